{{ config(materialized='view') }}
-- int_spotify__track_listens: per track, the plays up to as_of, whether
-- the track is known by id or only by name (int_spotify__plays.track_key:
-- a local file, an account-data play not resolved yet).  track_id is the
-- id when there is one; track_name and artist_name for display.
-- Windows: 3 months, 1 year and lifetime, as in int_spotify__plays.
-- share = count / all plays with a known track in the same window.
with p as (
    select in_3m, in_1y, track_key, track_id, track_name, artist_name
    from {{ ref('int_spotify__plays') }}
    where track_key is not null
),
totals as (
    select
        count(*) filter (where in_3m) as n_3m,
        count(*) filter (where in_1y) as n_1y,
        count(*) as n_lifetime
    from p
)
select
    p.track_key,
    max(p.track_id) as track_id,
    mode() within group (order by p.track_name) as track_name,
    mode() within group (order by p.artist_name) as artist_name,
    count(*) filter (where p.in_3m) as listen_count_3m,
    count(*) filter (where p.in_1y) as listen_count_1y,
    count(*) as listen_count_lifetime,
    coalesce(round((count(*) filter (where p.in_3m))::numeric / nullif(max(totals.n_3m), 0), 6), 0)
        as listen_share_3m,
    coalesce(round((count(*) filter (where p.in_1y))::numeric / nullif(max(totals.n_1y), 0), 6), 0)
        as listen_share_1y,
    coalesce(round(count(*)::numeric / nullif(max(totals.n_lifetime), 0), 6), 0)
        as listen_share_lifetime
from p
cross join totals
group by p.track_key
