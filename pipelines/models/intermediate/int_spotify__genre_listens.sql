{{ config(materialized='view') }}
-- int_spotify__genre_listens: per genre, the plays up to as_of of tracks
-- in the genre (int_spotify__listens, dimension 'genre'): the union of
-- the track's artists' genres; a play counts once for each of its genres,
-- a track without genres adds to no genre.  Shares are over the plays of
-- catalogued tracks.
select key as genre,
    listen_count_3m, listen_count_1y, listen_count_lifetime,
    listen_share_3m, listen_share_1y, listen_share_lifetime
from {{ ref('int_spotify__listens') }}
where dimension = 'genre'
