{{ config(materialized='view') }}
-- int_spotify__album_listens: per album, the plays up to as_of of its
-- tracks (int_spotify__listens, dimension 'album').  album_id is the
-- album's key (int_spotify__plays.album_key): the Spotify id of a
-- catalogued track's album, else 'name:' from the export's artist and
-- album names; album_name and artist_name for display.
select key as album_id, name as album_name, artist_name,
    listen_count_3m, listen_count_1y, listen_count_lifetime,
    listen_share_3m, listen_share_1y, listen_share_lifetime
from {{ ref('int_spotify__listens') }}
where dimension = 'album'
