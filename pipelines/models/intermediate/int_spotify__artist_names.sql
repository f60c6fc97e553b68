{{ config(materialized='table') }}
-- int_spotify__artist_names: the artists the API has described, by name:
-- one row per lower-cased name, with the artist's id and its name as the
-- API spells it.  A play that names its artist only (a privacy export's
-- artistName or master_metadata_album_artist_name, a track not fetched)
-- is counted for this id, so an artist first known by name and later by
-- id is one artist.  Two artists of one name: the smaller id.
with named as (
    select artist_id, artist_name from {{ ref('stg_spotify__artists') }}
    where artist_name is not null and artist_name <> ''
    union all
    select x.i, x.n from {{ ref('int_spotify__tracks') }} t,
        unnest(t.artist_ids, t.artist_names) x(i, n)
    where x.n is not null and x.n <> ''
)
select distinct on (lower(artist_name))
    lower(artist_name) as name_key,
    artist_id,
    artist_name
from named
order by lower(artist_name), artist_id, artist_name
