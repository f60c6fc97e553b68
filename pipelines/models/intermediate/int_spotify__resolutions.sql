{{ config(materialized='table') }}
-- int_spotify__resolutions: the account-data plays' tracks.  The
-- account-data history (StreamingHistory*.json) names a play by track and
-- artist name only; one row per such pair (names compared
-- case-insensitively) among the canonical plays up to as_of, with its
-- plays and the track it resolves to:
--   method 'history': a play with a track id (the extended history, or an
--     API play) of the same track and artist names; the id played most,
--     then the smallest;
--   method 'search': else the API's search for the pair
--     (raw.track_searches, sp-fetch search-tracks) found the track.
-- status: 'resolved', 'unresolvable' (searched, nothing matched) or
-- 'pending' (not searched yet).  int_spotify__plays carries the id to
-- the plays, so resolved plays reach the features.
with acc as (
    select
        lower(track_name) as track_key,
        lower(artist_name) as artist_key,
        min(track_name) as track_name,
        min(artist_name) as artist_name,
        count(*) as plays
    from {{ ref('stg_spotify__plays') }}
    where source = 'export' and track_id is null and reason_start is null
      and track_name is not null and artist_name is not null
    group by 1, 2
),
hist as (
    select distinct on (track_key, artist_key) track_key, artist_key, track_id
    from (
        select lower(track_name) as track_key, lower(artist_name) as artist_key, track_id,
               count(*) as n
        from {{ ref('stg_spotify__plays') }}
        where track_id is not null and track_name is not null and artist_name is not null
        group by 1, 2, 3
    ) x
    order by track_key, artist_key, n desc, track_id
),
searched as (
    select lower(track_name) as track_key, lower(artist_name) as artist_key, track_id
    from {{ source('spotify', 'track_searches') }}
)
select
    acc.track_key,
    acc.artist_key,
    acc.track_name,
    acc.artist_name,
    acc.plays,
    coalesce(h.track_id, s.track_id) as track_id,
    case when h.track_id is not null then 'history'
        when s.track_id is not null then 'search' end as method,
    case when coalesce(h.track_id, s.track_id) is not null then 'resolved'
        when s.track_key is not null then 'unresolvable'
        else 'pending' end as status
from acc
left join hist h using (track_key, artist_key)
left join searched s using (track_key, artist_key)
