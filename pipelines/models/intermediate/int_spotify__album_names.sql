{{ config(materialized='table') }}
-- int_spotify__album_names: the albums the API has described, by name: one
-- row per lower-cased (artist name, album name) pair, with the album's id
-- and its name as the API spells it.  The artist is the album's first
-- artist (a fetched album), or the first artist of a fetched track on it,
-- as a privacy export names it (master_metadata_album_artist_name is the
-- track's first artist).  A play that names its album only (an export
-- play whose track the API has not described: not fetched yet, pending
-- resolution, or a local file) is counted for this id, so an album first
-- known by name and later by id is one album, as artists are
-- (int_spotify__artist_names).  Two albums of one name by one artist (a
-- deluxe edition named alike): the smaller id.
with named as (
    select t.album_id, t.album_name, t.artist_names[1] as artist_name
    from {{ ref('int_spotify__tracks') }} t
    where t.album_id is not null
    union all
    select al.album_id, al.album_name, al.artist_names[1]
    from {{ ref('stg_spotify__albums') }} al
)
select distinct on (lower(artist_name) || chr(31) || lower(album_name))
    lower(artist_name) || chr(31) || lower(album_name) as name_key,
    album_id,
    album_name
from named
where coalesce(album_name, '') <> '' and coalesce(artist_name, '') <> ''
order by lower(artist_name) || chr(31) || lower(album_name), album_id, album_name
