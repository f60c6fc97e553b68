{{ config(materialized='view') }}
-- stg_spotify__albums: one row per album from the raw Spotify album object.
-- label, popularity and album_group are gone for personal apps since
-- 2026-03 and are null when absent; genres may be empty.  release_date is
-- kept as Spotify gives it (YYYY, YYYY-MM or YYYY-MM-DD) when it is a valid
-- date of that shape, release_date_precision follows its shape (Spotify's
-- own precision is kept as given_precision), and release_day is the first
-- day of the period (1987 -> 1987-01-01).  An invalid date ("0000",
-- "2020-02-30") gives nulls.
with a as (
    select
        album_id, fetched_at, source, payload,
        payload->>'release_date' as rd,
        case when jsonb_typeof(payload->'artists') = 'array'
            then payload->'artists' else '[]'::jsonb end as artists
    from {{ source('spotify', 'albums') }}
)
select
    a.album_id,
    a.payload->>'name' as album_name,
    a.payload->>'album_type' as album_type,
    array(select x->>'id' from jsonb_array_elements(a.artists) with ordinality e(x, i)
          where jsonb_typeof(x) = 'object' and x->>'id' is not null order by i) as artist_ids,
    array(select x->>'name' from jsonb_array_elements(a.artists) with ordinality e(x, i)
          where jsonb_typeof(x) = 'object' and x->>'id' is not null order by i) as artist_names,
    case when rd.release_day is not null then a.rd end as release_date,
    case when rd.release_day is not null then
        case length(a.rd) when 4 then 'year' when 7 then 'month' else 'day' end
    end as release_date_precision,
    a.payload->>'release_date_precision' as given_precision,
    rd.release_day,
    case when jsonb_typeof(a.payload->'total_tracks') = 'number'
        then (a.payload->>'total_tracks')::numeric::integer end as total_tracks,
    a.payload->>'label' as label,
    case when jsonb_typeof(a.payload->'popularity') = 'number'
        then (a.payload->>'popularity')::numeric::integer end as popularity,
    array(select distinct g from jsonb_array_elements_text(
            case when jsonb_typeof(a.payload->'genres') = 'array'
                then a.payload->'genres' else '[]'::jsonb end) g
          where g <> '' order by g) as genres,
    a.payload->'external_ids'->>'upc' as upc,
    a.source,
    a.fetched_at
from a
cross join lateral (
    select case
        when a.rd is null
          or a.rd !~ '^[0-9]{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?$'
          or left(a.rd, 4) = '0000' then null::date
        when length(a.rd) = 4 then make_date(left(a.rd, 4)::integer, 1, 1)
        when length(a.rd) = 7 then make_date(left(a.rd, 4)::integer, substr(a.rd, 6, 2)::integer, 1)
        when substr(a.rd, 9, 2)::integer <= extract(day from make_date(left(a.rd, 4)::integer,
                substr(a.rd, 6, 2)::integer, 1) + interval '1 month' - interval '1 day')
            then make_date(left(a.rd, 4)::integer, substr(a.rd, 6, 2)::integer, substr(a.rd, 9, 2)::integer)
    end as release_day
) rd
