{{ config(materialized='table') }}
-- int_spotify__tracks: the catalogue, one row per track, with the album's
-- own release date when the album was fetched (else the track's embedded
-- album) and the track's genres: the sorted union of its artists' genres,
-- an empty array when none is known.  isrc: the recording's code (the
-- API's external_ids, back since March 2026), upper-cased, null when none.
with tracks as (
    select * from {{ ref('stg_spotify__tracks') }}
),
albums as (
    select * from {{ ref('stg_spotify__albums') }}
),
track_genres as (
    select t.track_id, array_agg(distinct g order by g) as genres
    from tracks t
    cross join lateral unnest(t.artist_ids) as aid
    join {{ ref('stg_spotify__artists') }} ar on ar.artist_id = aid
    cross join lateral unnest(ar.genres) as g
    group by t.track_id
)
select
    t.track_id,
    t.track_name,
    t.artist_ids,
    t.artist_names,
    t.album_id,
    coalesce(al.album_name, t.album_name) as album_name,
    coalesce(al.album_type, t.album_type) as album_type,
    case when al.release_day is not null then al.release_date else t.release_date end as release_date,
    case when al.release_day is not null then al.release_date_precision
        else t.release_date_precision end as release_date_precision,
    coalesce(al.release_day, t.release_day) as release_day,
    t.duration_ms,
    t.explicit,
    t.popularity,
    upper(nullif(btrim(t.isrc), '')) as isrc,
    coalesce(tg.genres, '{}') as genres,
    t.source,
    t.fetched_at
from tracks t
left join albums al on al.album_id = t.album_id
left join track_genres tg on tg.track_id = t.track_id
