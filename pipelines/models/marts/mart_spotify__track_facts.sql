{{ config(materialized='view') }}
-- mart_spotify__track_facts: what the listener did with each catalogued
-- track up to as_of: heard (played at least once), recording_heard (it,
-- or another track of the same recording, by ISRC: a single's album
-- version, a re-release), liked (saved at or before as_of), play counts,
-- skips and the share listened.
with params as (
    select as_of from {{ ref('stg_spotify__params') }}
),
liked as (
    select s.track_id, s.added_at
    from {{ source('spotify', 'saved_tracks') }} s
    cross join params
    where s.added_at <= params.as_of
),
heard_isrc as (
    select distinct t.isrc
    from {{ ref('int_spotify__tracks') }} t
    join {{ ref('int_spotify__skip_rates') }} s on s.track_id = t.track_id
    where t.isrc is not null and s.play_count_lifetime > 0
)
select
    t.track_id,
    coalesce(s.play_count_lifetime, 0) > 0 as heard,
    coalesce(s.play_count_lifetime, 0) > 0 or h.isrc is not null as recording_heard,
    l.track_id is not null as liked,
    l.added_at as liked_at,
    coalesce(s.play_count_3m, 0) as play_count_3m,
    coalesce(s.play_count_1y, 0) as play_count_1y,
    coalesce(s.play_count_lifetime, 0) as play_count_lifetime,
    coalesce(s.skip_known_count, 0) as skip_known_count,
    coalesce(s.skip_count_lifetime, 0) as skip_count_lifetime,
    s.skip_rate_3m,
    s.skip_rate_1y,
    s.skip_rate_lifetime,
    s.avg_share_listened,
    s.first_played_at,
    s.last_played_at,
    s.last_played_local
from {{ ref('int_spotify__tracks') }} t
left join {{ ref('int_spotify__skip_rates') }} s on s.track_id = t.track_id
left join liked l on l.track_id = t.track_id
left join heard_isrc h on h.isrc = t.isrc
