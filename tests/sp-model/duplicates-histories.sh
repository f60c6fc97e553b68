#!/usr/bin/env bash
# needs: pg
# An API play with two export twins, one from each export history: the
# API row is the listen, its playback details come from the extended
# history's twin, not from the account-data one (which has no reasons),
# whichever was loaded first.
. "$SP_ROOT/tests/lib/lib.sh"
. "$SP_ROOT/tests/sp-model/lib.bash"
models_db

sql "select t_track('A', '{a1}', 'al', '2019', 200000);
     select t_api('A', '2026-05-10 10:00:00+00', 200000);
     -- The account-data twin first (a lower play_id): no track id, no reasons.
     insert into raw.plays (source, played_at, track_name, artist_name, ms_played, dup_of,
         payload, object, line)
     values ('export', '2026-05-10 10:00:00+00', 'Track A', 'Artist a1', 50500,
         (select play_id from raw.plays where source = 'api'), '{}', 'fixture', 0);
     select t_export('A', '2026-05-10 10:00:50+00', 50000, 'fwdbtn', true,
                     (select play_id from raw.plays where source = 'api'));"

expect_status 0 sp-model run -q --var as_of=2026-06-01
expect_q "select track_id, source, sources, cardinality(duplicate_play_ids), ms_played, reason_start, reason_end, skipped
          from analytics.stg_spotify__plays order by played_at" \
"A|api|{api,export}|2|50000|clickrow|fwdbtn|t"
expect_status 0 sp-model test
