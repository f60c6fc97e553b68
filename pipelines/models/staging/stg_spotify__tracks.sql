{{ config(materialized='view') }}
-- stg_spotify__tracks: one row per track from the raw Spotify track object.
-- Tolerant of the fields Spotify removed or may omit: a missing or
-- mistyped member is null (popularity, available_markets, explicit ...),
-- a missing artists array is empty.  The release date is the embedded
-- album's, normalised as in stg_spotify__albums: release_date is the text
-- (YYYY, YYYY-MM or YYYY-MM-DD) when valid, release_date_precision
-- year/month/day from its shape, release_day the first day it denotes.
with t as (
    select
        track_id, fetched_at, source, payload,
        case when jsonb_typeof(payload->'artists') = 'array'
            then payload->'artists' else '[]'::jsonb end as artists,
        case when jsonb_typeof(payload->'album') = 'object'
            then payload->'album' else '{}'::jsonb end as album
    from {{ source('spotify', 'tracks') }}
),
d as (
    select t.*, t.album->>'release_date' as rd
    from t
)
select
    d.track_id,
    d.payload->>'name' as track_name,
    array(select a->>'id' from jsonb_array_elements(d.artists) with ordinality e(a, i)
          where jsonb_typeof(a) = 'object' and a->>'id' is not null order by i) as artist_ids,
    array(select coalesce(a->>'name', '') from jsonb_array_elements(d.artists) with ordinality e(a, i)
          where jsonb_typeof(a) = 'object' and a->>'id' is not null order by i) as artist_names,
    d.album->>'id' as album_id,
    d.album->>'name' as album_name,
    d.album->>'album_type' as album_type,
    case when rd.release_day is not null then d.rd end as release_date,
    case when rd.release_day is not null then
        case length(d.rd) when 4 then 'year' when 7 then 'month' else 'day' end
    end as release_date_precision,
    rd.release_day,
    case when jsonb_typeof(d.payload->'duration_ms') = 'number'
        then (d.payload->>'duration_ms')::numeric::bigint end as duration_ms,
    case when jsonb_typeof(d.payload->'explicit') = 'boolean'
        then (d.payload->>'explicit')::boolean end as explicit,
    case when jsonb_typeof(d.payload->'popularity') = 'number'
        then (d.payload->>'popularity')::numeric::integer end as popularity,
    case when jsonb_typeof(d.payload->'available_markets') = 'array'
        then jsonb_array_length(d.payload->'available_markets') end as available_market_count,
    d.payload->'external_ids'->>'isrc' as isrc,
    case when jsonb_typeof(d.payload->'track_number') = 'number'
        then (d.payload->>'track_number')::numeric::integer end as track_number,
    case when jsonb_typeof(d.payload->'disc_number') = 'number'
        then (d.payload->>'disc_number')::numeric::integer end as disc_number,
    d.source,
    d.fetched_at
from d
cross join lateral (
    select case
        when d.rd is null
          or d.rd !~ '^[0-9]{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?$'
          or left(d.rd, 4) = '0000' then null::date
        when length(d.rd) = 4 then make_date(left(d.rd, 4)::integer, 1, 1)
        when length(d.rd) = 7 then make_date(left(d.rd, 4)::integer, substr(d.rd, 6, 2)::integer, 1)
        when substr(d.rd, 9, 2)::integer <= extract(day from make_date(left(d.rd, 4)::integer,
                substr(d.rd, 6, 2)::integer, 1) + interval '1 month' - interval '1 day')
            then make_date(left(d.rd, 4)::integer, substr(d.rd, 6, 2)::integer, substr(d.rd, 9, 2)::integer)
    end as release_day
) rd
