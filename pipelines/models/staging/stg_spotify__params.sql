{{ config(materialized='table') }}
-- stg_spotify__params: the run's parameters, one row.  Every window is
-- computed as of as_of, so a backtest rebuilds the features as they stood
-- then; plays after as_of are invisible to every model.
--   as_of: var('as_of'), any PostgreSQL timestamptz input ("2026-06-01",
--          "2026-06-01 12:00+02"); a bare date means 00:00 UTC of that
--          day, the day boundary sp-cosine uses.  Default: the build time
--          for fresh data, but the newest play when the newest play is
--          more than 28 days old (a privacy export whose plays end long
--          ago: its last 3 months are then the 3 months before its end,
--          not an empty window).
--   as_of_rule: 'given' (var as_of), 'now' or 'last play', for the report.
--   tz:    var('tz'), the listener's IANA time zone for the local-time
--          columns (default UTC).  An unknown zone fails the build here.
with last as (
    select max(played_at) as t from {{ source('spotify', 'plays') }} where dup_of is null
),
given as (
    select nullif('{{ var("as_of", "") }}', '')::timestamptz as t
)
select
    coalesce(given.t,
        case when last.t < now() - interval '28 days' then last.t else now() end) as as_of,
    case when given.t is not null then 'given'
        when last.t < now() - interval '28 days' then 'last play'
        else 'now' end as as_of_rule,
    case when (now() at time zone '{{ var("tz", "UTC") }}') is not null
        then '{{ var("tz", "UTC") }}'::text end as tz
from last cross join given
