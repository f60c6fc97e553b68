#!/usr/bin/env bash
# needs: pg
# A failing data test: a duplicate play pointing at another duplicate
# breaks relationships_plays_dup_of; sp-model test exits 1, says which
# test failed and shows the failing rows.
. "$SP_ROOT/tests/lib/lib.sh"
. "$SP_ROOT/tests/sp-model/lib.bash"
models_db

sql "select t_track('A', '{a1}', 'al', '2019', 200000);
     select t_api('A', '2026-05-10 10:00:00+00', 200000);
     select t_export('A', '2026-05-10 10:03:20+00', 200000, 'trackdone', null,
                     (select play_id from raw.plays where source = 'api'));
     select t_export('A', '2026-05-10 10:03:21+00', 200000, 'trackdone', null,
                     (select play_id from raw.plays where source = 'export'));"
expect_status 0 sp-model run -q --var as_of=2026-06-01
expect_status 1 sp-model test
expect_err "sp-model: 1 data test failed"
cat >expected <<'OUT'
ok   accepted_range_merged_tracks
ok   accepted_values_heard
ok   accepted_values_release_date_precision
ok   not_null_merged_tracks
FAIL relationships_plays_dup_of: 1 failing row
     play_id | source | played_at | dup_of
     3 | export | 2026-05-10 10:03:21+00 | 2
ok   relationships_track_facts_tracks
ok   unique_album_names_name_key
ok   unique_merged_tracks_track_id
ok   unique_stg_plays_play_id
8 passed, 1 failed
OUT
expect_file expected out

# -n limits the rows shown; build = run + test, with the same exit status.
sql "select t_export('A', '2026-05-10 10:03:22+00', 200000, 'trackdone', null, 3)"
expect_status 1 sp-model build -q -n 1 --var as_of=2026-06-01
grep -A3 '^FAIL' out >got
cat >expected <<'OUT'
FAIL relationships_plays_dup_of: 2 failing rows
     play_id | source | played_at | dup_of
     3 | export | 2026-05-10 10:03:21+00 | 2
     ... and 1 more
OUT
expect_file expected got
