{{ config(materialized='table') }}
-- mart_spotify__merged_tracks: one row per catalogued track, the feature
-- table sp-features streams to sp-encode (pipelines/encode.json).
-- A track with several artists (or genres) takes, for each artist (genre)
-- column, the largest value among its artists (genres); 0 when it has none
-- or none was played.  Shares are numeric fractions of the plays in the
-- window (never integer division).  candidate_source is the raw source
-- when the track was found as a new-release candidate ('releases',
-- 'search'), else null; found_via is the raw source in every case.
with t as (
    select * from {{ ref('int_spotify__tracks') }}
),
track_artists as (
    select t.track_id, x.artist_id
    from t cross join lateral (select distinct unnest(t.artist_ids)) as x(artist_id)
),
artist_agg as (
    select
        ta.track_id,
        max(a.listen_count_3m) as c3, max(a.listen_count_1y) as c1, max(a.listen_count_lifetime) as cl,
        max(a.listen_share_3m) as s3, max(a.listen_share_1y) as s1, max(a.listen_share_lifetime) as sl
    from track_artists ta
    join {{ ref('int_spotify__artist_listens') }} a on a.artist_id = ta.artist_id
    group by ta.track_id
),
genre_agg as (
    select
        t.track_id,
        max(g.listen_count_3m) as c3, max(g.listen_count_1y) as c1, max(g.listen_count_lifetime) as cl,
        max(g.listen_share_3m) as s3, max(g.listen_share_1y) as s1, max(g.listen_share_lifetime) as sl
    from t
    cross join lateral unnest(t.genres) as x(genre)
    join {{ ref('int_spotify__genre_listens') }} g on g.genre = x.genre
    group by t.track_id
)
select
    t.track_id,
    t.release_date,
    t.release_date_precision,
    f.heard,
    f.recording_heard,
    f.liked,
    t.artist_ids,
    t.artist_names,
    t.track_name,
    t.album_id,
    t.album_name,
    t.album_type,
    t.release_day,
    t.duration_ms,
    t.explicit,
    t.popularity,
    t.genres,
    cardinality(t.genres) as genre_count,
    f.play_count_3m,
    f.play_count_1y,
    f.play_count_lifetime,
    f.skip_count_lifetime,
    f.skip_rate_3m,
    f.skip_rate_1y,
    f.skip_rate_lifetime,
    f.avg_share_listened,
    coalesce(aa.c3, 0) as artist_listen_count_3m,
    coalesce(aa.c1, 0) as artist_listen_count_1y,
    coalesce(aa.cl, 0) as artist_listen_count_lifetime,
    coalesce(aa.s3, 0) as artist_listen_share_3m,
    coalesce(aa.s1, 0) as artist_listen_share_1y,
    coalesce(aa.sl, 0) as artist_listen_share_lifetime,
    coalesce(al.listen_count_3m, 0) as album_listen_count_3m,
    coalesce(al.listen_count_1y, 0) as album_listen_count_1y,
    coalesce(al.listen_count_lifetime, 0) as album_listen_count_lifetime,
    coalesce(al.listen_share_3m, 0) as album_listen_share_3m,
    coalesce(al.listen_share_1y, 0) as album_listen_share_1y,
    coalesce(al.listen_share_lifetime, 0) as album_listen_share_lifetime,
    coalesce(ga.c3, 0) as genre_listen_count_3m,
    coalesce(ga.c1, 0) as genre_listen_count_1y,
    coalesce(ga.cl, 0) as genre_listen_count_lifetime,
    coalesce(ga.s3, 0) as genre_listen_share_3m,
    coalesce(ga.s1, 0) as genre_listen_share_1y,
    coalesce(ga.sl, 0) as genre_listen_share_lifetime,
    f.first_played_at,
    f.last_played_at,
    f.last_played_local,
    f.liked_at,
    case when t.source in ('releases', 'search') then t.source end as candidate_source,
    t.source as found_via,
    params.as_of
from t
cross join {{ ref('stg_spotify__params') }} params
join {{ ref('mart_spotify__track_facts') }} f on f.track_id = t.track_id
left join artist_agg aa on aa.track_id = t.track_id
left join genre_agg ga on ga.track_id = t.track_id
left join {{ ref('int_spotify__album_listens') }} al on al.album_id = t.album_id
