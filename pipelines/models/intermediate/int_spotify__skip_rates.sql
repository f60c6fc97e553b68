{{ config(materialized='view') }}
-- int_spotify__skip_rates: per played track, play counts per window, skip
-- counts and rates (skips / plays whose skip is known; null when none is
-- known), the average share listened, and first and last play.  The skip
-- rules are in int_spotify__plays.
select
    track_id,
    count(*) filter (where in_3m) as play_count_3m,
    count(*) filter (where in_1y) as play_count_1y,
    count(*) as play_count_lifetime,
    count(*) filter (where source = 'api') as api_play_count,
    count(*) filter (where source = 'export') as export_play_count,
    count(skipped) as skip_known_count,
    count(*) filter (where skipped) as skip_count_lifetime,
    round((count(*) filter (where skipped and in_3m))::numeric
        / nullif(count(skipped) filter (where in_3m), 0), 6) as skip_rate_3m,
    round((count(*) filter (where skipped and in_1y))::numeric
        / nullif(count(skipped) filter (where in_1y), 0), 6) as skip_rate_1y,
    round((count(*) filter (where skipped))::numeric
        / nullif(count(skipped), 0), 6) as skip_rate_lifetime,
    round(avg(share_listened), 6) as avg_share_listened,
    min(played_at) as first_played_at,
    max(played_at) as last_played_at,
    max(played_at_local) as last_played_local
from {{ ref('int_spotify__plays') }}
where track_id is not null
group by track_id
