{{ config(materialized='view') }}
-- int_spotify__genre_listens: per genre, the plays up to as_of of tracks in
-- the genre (the union of the track's artists' genres); a play counts once
-- for each of its genres, a track without genres adds to no genre.
-- Windows: 3 months, 1 year and lifetime, as in int_spotify__plays.
-- share = count / all plays of catalogued tracks in the same window, as
-- numeric (0 when the window has no plays).
with p as (
    select in_3m, in_1y, genres from {{ ref('int_spotify__plays') }} where track_known
),
totals as (
    select
        count(*) filter (where in_3m) as n_3m,
        count(*) filter (where in_1y) as n_1y,
        count(*) as n_lifetime
    from p
)
select
    x.genre,
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
cross join lateral unnest(p.genres) as x(genre)
cross join totals
group by x.genre
