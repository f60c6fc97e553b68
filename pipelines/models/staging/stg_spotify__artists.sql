{{ config(materialized='view') }}
-- stg_spotify__artists: one row per artist from the raw Spotify artist
-- object.  followers and popularity were removed for personal apps in
-- 2026-03 and are null when absent; genres is a sorted, distinct, possibly
-- empty array (never null).
select
    artist_id,
    payload->>'name' as artist_name,
    array(select distinct g from jsonb_array_elements_text(
            case when jsonb_typeof(payload->'genres') = 'array'
                then payload->'genres' else '[]'::jsonb end) g
          where g <> '' order by g) as genres,
    case when jsonb_typeof(payload->'popularity') = 'number'
        then (payload->>'popularity')::numeric::integer end as popularity,
    case when jsonb_typeof(payload->'followers') = 'object'
          and jsonb_typeof(payload->'followers'->'total') = 'number'
        then (payload->'followers'->>'total')::numeric::bigint end as followers,
    source,
    fetched_at
from {{ source('spotify', 'artists') }}
