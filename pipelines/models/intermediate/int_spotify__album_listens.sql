{{ config(materialized='view') }}
-- int_spotify__album_listens: per album, the plays up to as_of of its tracks.
-- album_id is the album's key (int_spotify__plays.album_key): the Spotify
-- id of a catalogued track's album, else 'name:' from the export's artist
-- and album names; album_name and artist_name for display.
-- Windows: 3 months, 1 year and lifetime, as in int_spotify__plays.
-- share = count / all plays with a known album in the same window, as
-- numeric (0 when the window has no plays).
with p as (
    select in_3m, in_1y, album_key, album_name, artist_name from {{ ref('int_spotify__plays') }}
    where album_key is not null
),
totals as (
    select
        count(*) filter (where in_3m) as n_3m,
        count(*) filter (where in_1y) as n_1y,
        count(*) as n_lifetime
    from p
)
select
    p.album_key as album_id,
    mode() within group (order by p.album_name) as album_name,
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
group by p.album_key
