#!/usr/bin/env bash
# needs: pg
# The track searches of account-data plays stay within SP_SEARCH_MAX a
# run, the most played pairs first; the rest stay pending and are searched
# by the next run; a pair is never searched twice.  Synthetic: three pairs
# the simulator's own catalogue holds (by its names, any case), one it
# does not.
. "$SP_ROOT/tests/lib/lib.sh"
. "$SP_ROOT/tests/pipeline/lib.bash"
need_pg
python3 "$SP_ROOT/tests/spotify-sim/server.py" --print-state --seed 3 --artists 3 --plays 0 \
    --new-releases 1 --saved 0 >state.json || fail "the simulator could not generate a state"
start_sim --state state.json
sim_tokens
# Account-data plays: track k of the catalogue played 4-k times (k = 0..2),
# plus one unknown pair; the names' case changed.
jq '[.artists as $a | .tracks[0:3] | to_entries[] | .key as $k | .value as $t
     | range(4 - $k) as $i
     | {endTime: ("2026-03-0" + ($k + 1 | tostring) + " 1" + ($i | tostring) + ":00"),
        artistName: ($a[] | select(.id == $t.artist_ids[0]) | .name | ascii_upcase),
        trackName: ($t.name | ascii_downcase), msPlayed: 120000}]
    + [{endTime: "2026-03-05 10:00", artistName: "Nobody", trackName: "Nothing", msPlayed: 60000}]' \
    state.json >StreamingHistory_music_0.json || fail "jq failed"
expect_status 0 "$SP_ROOT/pipeline.sh" backfill StreamingHistory_music_0.json
searched() {
	sim_log | jq -r 'select(.path == "/search" and (.query | test("type=track"))) | .query'
}
sim_ctl DELETE log >/dev/null
SP_SEARCH_MAX=2 expect_status 0 "$SP_ROOT/pipeline.sh" resolve
expect_grep '^pipeline: resolve: searching the tracks of 2 of 4 account-data name pairs' err
expect_grep '^sp-fetch: searched 2 name pairs; 2 left for the next run (--max-searches 2)' err
searched >first
expect_eq "searches, first run" 2 "$(wc -l <first)"
expect_eq "status" "  account-data plays: 7 resolved, 3 pending, 0 unresolvable" \
    "$("$SP_ROOT/pipeline.sh" status | grep 'account-data plays')"
sim_ctl DELETE log >/dev/null
SP_SEARCH_MAX=2 expect_status 0 "$SP_ROOT/pipeline.sh" resolve
searched >second
expect_eq "searches, second run" 2 "$(wc -l <second)"
expect_eq "searched twice" 0 "$(sort first second | uniq -d | wc -l)"
expect_eq "status" "  account-data plays: 9 resolved, 0 pending, 1 unresolvable" \
    "$("$SP_ROOT/pipeline.sh" status | grep 'account-data plays')"
# The resolved ids are the catalogue's.
jq -r '.tracks[0:3][].id' state.json | sort >want.ids
psql -X -Atqc "select distinct track_id from analytics.int_spotify__plays where resolution = 'search' order by 1" >got.ids
expect_file want.ids got.ids
sim_ctl DELETE log >/dev/null
expect_status 0 "$SP_ROOT/pipeline.sh" resolve
expect_eq "searches, third run" 0 "$(searched | wc -l)"
exit 0
