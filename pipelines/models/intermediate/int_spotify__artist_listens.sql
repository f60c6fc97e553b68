{{ config(materialized='view') }}
-- int_spotify__artist_listens: per artist, the plays up to as_of of its
-- tracks; a play of a track with several artists counts once for each of
-- them, so shares over artists can add up to more than 1.
-- artist_id is the artist's key (int_spotify__plays.artist_keys): the
-- Spotify id, or 'name:' || lower(name) for an artist known only by the
-- name a privacy export gives; artist_name is the API's name, else the
-- export's most frequent spelling.
-- Windows: 3 months, 1 year and lifetime, as in int_spotify__plays.
-- share = count / all plays with a known artist in the same window, as
-- numeric (0 when the window has no plays).
with p as (
    select in_3m, in_1y, artist_keys, artist_names from {{ ref('int_spotify__plays') }}
    where cardinality(artist_keys) > 0
),
totals as (
    select
        count(*) filter (where in_3m) as n_3m,
        count(*) filter (where in_1y) as n_1y,
        count(*) as n_lifetime
    from p
)
select
    x.artist_id,
    mode() within group (order by x.artist_name) as artist_name,
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
cross join lateral (select distinct on (k) k, n from unnest(p.artist_keys, p.artist_names) u(k, n)
                    order by k, n) as x(artist_id, artist_name)
cross join totals
group by x.artist_id
