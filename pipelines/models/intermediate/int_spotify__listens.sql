{{ config(materialized='view') }}
-- int_spotify__listens: the listens (plays of 30 s or more, is_listen in
-- int_spotify__plays, as Spotify counts streams) up to as_of per
-- dimension and key, in long form: one query for every dimension, so
-- that a window or a share is defined once.  The thin views
-- int_spotify__artist_listens, _album_, _track_ and _genre_listens each
-- take one dimension and name its columns.
--
-- dimension and key, from the listens of int_spotify__plays:
--   'artist': each of artist_keys (a play of a track with several artists
--             counts once for each of them, so shares over artists can add
--             up to more than 1); name the API's name, else the export's
--             most frequent spelling;
--   'album':  album_key; name the album's, artist_name its artist's;
--   'track':  track_key (an id, or 'name:' for a track known by name only:
--             a local file, an account-data play not resolved yet);
--             track_id the id when there is one;
--   'genre':  each genre of a catalogued track (the union of its artists'
--             genres); a track without genres adds to no genre.
-- Windows: 3 months, 1 year and lifetime, as in int_spotify__plays.
-- share = count / the listens in the same window that have the dimension
-- at all (a known artist, album or track; a catalogued track for genres),
-- as numeric rounded to 6 places (0 when the window has no such plays).
-- (not materialized: each branch scans the table as before, filtered)
with listens as not materialized (
    select * from {{ ref('int_spotify__plays') }} where is_listen
),
keyed as (
    select 'artist'::text as dimension, x.k as key, x.n as name, null::text as artist_name,
           null::text as track_id, p.in_3m, p.in_1y
    from listens p
    cross join lateral (select distinct on (k) k, n from unnest(p.artist_keys, p.artist_names) u(k, n)
                        order by k, n) as x(k, n)
    where cardinality(p.artist_keys) > 0
    union all
    select 'album', p.album_key, p.album_name, p.artist_name, null, p.in_3m, p.in_1y
    from listens p where p.album_key is not null
    union all
    select 'track', p.track_key, p.track_name, p.artist_name, p.track_id, p.in_3m, p.in_1y
    from listens p where p.track_key is not null
    union all
    select 'genre', g.genre, g.genre, null, null, p.in_3m, p.in_1y
    from listens p cross join lateral unnest(p.genres) as g(genre)
    where p.track_known
),
totals as (
    select d.dimension,
        count(*) filter (where p.in_3m) as n_3m,
        count(*) filter (where p.in_1y) as n_1y,
        count(*) as n_lifetime
    from listens p
    cross join lateral (values
        ('artist', cardinality(p.artist_keys) > 0),
        ('album', p.album_key is not null),
        ('track', p.track_key is not null),
        ('genre', p.track_known)) as d(dimension, has)
    where d.has
    group by d.dimension
)
select
    k.dimension,
    k.key,
    mode() within group (order by k.name) as name,
    mode() within group (order by k.artist_name) as artist_name,
    max(k.track_id) as track_id,
    count(*) filter (where k.in_3m) as listen_count_3m,
    count(*) filter (where k.in_1y) as listen_count_1y,
    count(*) as listen_count_lifetime,
    coalesce(round((count(*) filter (where k.in_3m))::numeric / nullif(max(t.n_3m), 0), 6), 0)
        as listen_share_3m,
    coalesce(round((count(*) filter (where k.in_1y))::numeric / nullif(max(t.n_1y), 0), 6), 0)
        as listen_share_1y,
    coalesce(round(count(*)::numeric / nullif(max(t.n_lifetime), 0), 6), 0)
        as listen_share_lifetime
from keyed k
join totals t on t.dimension = k.dimension
group by k.dimension, k.key
