{{ config(materialized='view') }}
-- int_spotify__track_listens: per track, the plays up to as_of
-- (int_spotify__listens, dimension 'track'), whether the track is known
-- by id or only by name (int_spotify__plays.track_key: a local file, an
-- account-data play not resolved yet).  track_id is the id when there is
-- one; track_name and artist_name for display.
select key as track_key, track_id, name as track_name, artist_name,
    listen_count_3m, listen_count_1y, listen_count_lifetime,
    listen_share_3m, listen_share_1y, listen_share_lifetime
from {{ ref('int_spotify__listens') }}
where dimension = 'track'
