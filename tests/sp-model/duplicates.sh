#!/usr/bin/env bash
# needs: pg
# Duplicate plays: an API play and its export twin (dup_of) are one listen,
# with both sources as provenance and the export's playback details, which
# decide the skip over the gap rule.
. "$SP_ROOT/tests/lib/lib.sh"
. "$SP_ROOT/tests/sp-model/lib.bash"
models_db

sql "select t_track('A', '{a1}', 'al', '2019', 200000);
     select t_track('B', '{a1}', 'al', '2019', 200000);
     select t_api('A', '2026-05-10 10:00:00+00', 200000);
     -- Its export twin: ended after 50 s with the forward button.
     select t_export('A', '2026-05-10 10:00:50+00', 50000, 'fwdbtn', null,
                     (select play_id from raw.plays where source = 'api'));
     -- The next play is 5 minutes later: the gap alone would say not skipped.
     select t_api('B', '2026-05-10 10:05:00+00', 200000);
     select t_export('B', '2026-05-10 11:00:00+00', 200000);"

expect_status 0 sp-model run -q --var as_of=2026-06-01
expect_q "select track_id, source, sources, cardinality(duplicate_play_ids), ms_played, reason_end
          from analytics.stg_spotify__plays order by played_at" \
"A|api|{api,export}|1|50000|fwdbtn
B|api|{api}|0||
B|export|{export}|0|200000|trackdone"
expect_q "select track_id, skip_method, skipped, share_listened from analytics.int_spotify__plays order by played_at" \
"A|export|t|0.250000
B|gap|f|1.000000
B|export|f|1.000000"
expect_q "select track_id, play_count_lifetime, skip_rate_lifetime from analytics.mart_spotify__merged_tracks order by 1" \
"A|1|1.000000
B|2|0.000000"
expect_status 0 sp-model test
