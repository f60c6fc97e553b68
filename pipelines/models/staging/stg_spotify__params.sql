{{ config(materialized='table') }}
-- stg_spotify__params: the run's parameters, one row.  Every window is
-- computed as of as_of, so a backtest rebuilds the features as they stood
-- then; plays after as_of are invisible to every model.
--   as_of: var('as_of'), any PostgreSQL timestamptz input ("2026-06-01",
--          "2026-06-01 12:00+02"); a bare date means 00:00 UTC of that
--          day, the day boundary sp-cosine uses.  Default: the build time.
--   tz:    var('tz'), the listener's IANA time zone for the local-time
--          columns (default UTC).  An unknown zone fails the build here.
select
    '{{ var("as_of", "now") }}'::timestamptz as as_of,
    case when (now() at time zone '{{ var("tz", "UTC") }}') is not null
        then '{{ var("tz", "UTC") }}'::text end as tz
