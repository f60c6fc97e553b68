{{ config(materialized='view') }}
-- int_spotify__artist_listens: per artist, the plays up to as_of of its
-- tracks (int_spotify__listens, dimension 'artist').  artist_id is the
-- artist's key (int_spotify__plays.artist_keys): the Spotify id, or
-- 'name:' || lower(name) for an artist known only by the name a privacy
-- export gives; artist_name is the API's name, else the export's most
-- frequent spelling.
select key as artist_id, name as artist_name,
    listen_count_3m, listen_count_1y, listen_count_lifetime,
    listen_share_3m, listen_share_1y, listen_share_lifetime
from {{ ref('int_spotify__listens') }}
where dimension = 'artist'
