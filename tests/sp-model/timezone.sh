#!/usr/bin/env bash
# needs: pg
# The listener's time zone (var tz): a play at 23:30 UTC is the next day in
# Europe/Berlin, and 02:00 UTC is the day before in America/New_York;
# played_at itself stays UTC.
. "$SP_ROOT/tests/lib/lib.sh"
. "$SP_ROOT/tests/sp-model/lib.bash"
models_db

sql "select t_track('A', '{a1}', 'al', '2019', 200000);
     select t_api('A', '2026-05-10 23:30:00+00');  -- a Sunday in UTC, CEST is +2
     select t_api('A', '2026-01-10 23:30:00+00');  -- CET is +1
     select t_api('A', '2026-05-11 02:00:00+00');"
query="select played_at, played_at_local, played_date_local, played_hour_local, played_dow_local, time_zone
       from analytics.stg_spotify__plays order by played_at"

expect_status 0 sp-model run -q --var as_of=2026-06-01
expect_q "$query" \
"2026-01-10 23:30:00+00|2026-01-10 23:30:00|2026-01-10|23|6|UTC
2026-05-10 23:30:00+00|2026-05-10 23:30:00|2026-05-10|23|7|UTC
2026-05-11 02:00:00+00|2026-05-11 02:00:00|2026-05-11|2|1|UTC"

expect_status 0 sp-model run -q --var as_of=2026-06-01 --var tz=Europe/Berlin
expect_q "$query" \
"2026-01-10 23:30:00+00|2026-01-11 00:30:00|2026-01-11|0|7|Europe/Berlin
2026-05-10 23:30:00+00|2026-05-11 01:30:00|2026-05-11|1|1|Europe/Berlin
2026-05-11 02:00:00+00|2026-05-11 04:00:00|2026-05-11|4|1|Europe/Berlin"
expect_q "select last_played_at, last_played_local from analytics.mart_spotify__merged_tracks" \
"2026-05-11 02:00:00+00|2026-05-11 04:00:00"

expect_status 0 sp-model run -q --var as_of=2026-06-01 --var tz=America/New_York
expect_q "select played_date_local, played_hour_local from analytics.stg_spotify__plays order by played_at" \
"2026-01-10|18
2026-05-10|19
2026-05-10|22"

# An unknown zone fails the build at the parameters model, and the models
# built before stay as they were.
expect_status 1 sp-model run -q --var tz=Mars/Olympus
expect_err "sp-model: $SP_ROOT/pipelines/models/staging/stg_spotify__params.sql: SQL error: time zone \"Mars/Olympus\" not recognized"
expect_q "select distinct time_zone from analytics.stg_spotify__plays" "America/New_York"
