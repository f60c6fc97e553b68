# './pipeline.sh demo' runs every stage on a simulated account, on its own
# embedded database, and prints the published playlist with each track's
# reason.
. "$SP_ROOT/tests/lib/lib.sh"
unset PGHOST PGPORT PGUSER PGDATABASE SP_DATABASE_URL
export SP_DEMO_HOME=$PWD/demo SP_DEMO_SETUP=0

# (Its speed is not asserted here: timings belong in make bench.)
expect_status 0 "$SP_ROOT/pipeline.sh" demo
# Its home is private from the start: nothing to tighten afterwards.
grep -q 'readable by you alone' err && fail "the demo's own files were readable by others"
expect_grep "^playlist 'sp demo: new releases for you' (spotify:playlist:[A-Za-z0-9_]*), created: 25 tracks; 25 added, 0 removed, 0 kept$" out
[ "$(grep -c '^      because you played ' out)" = 25 ] || fail "not every track has its reason"
expect_grep '^published: 25 tracks in playlist ' out
# Both sources were loaded, and the plays they share kept once.
expect_grep '^  plays                 4000$' out
expect_grep '^  plays (duplicates)    50$' out
for f in playlist.jspf playlist.m3u playlist.csv recs.ndjson embedded.spm; do
	[ -s demo/runs/latest/$f ] || fail "demo/runs/latest/$f missing"
done
# The week's releases the listener already played (the demo's listener
# plays some: 5 of 25 recommendations were such) are its history, never
# recommended back.
r=demo/runs/latest
played=$(jq -r 'select(.heard == true and .release_date >= "'"$(date -u -d "$(cat $r/now) - 6 days" +%F)"'") | .track_id' $r/features.ndjson | sort)
[ -n "$played" ] || fail "no release of the week was played: the case checks nothing"
expect_eq "releases played, recommended" "" "$(jq -r .track_id $r/recs.ndjson | sort | comm -12 - <(printf '%s\n' "$played"))"
expect_eq "releases played, in the history" "$played" "$(jq -r .track_id $r/history.ndjson | sort | comm -12 - <(printf '%s\n' "$played"))"
# Nor is an album's version of a single played (the same recording under
# another id: the simulator's albums of the week hold some).
again=$(jq -r 'select(.recording_heard == true and .heard != true) | .track_id' $r/features.ndjson | sort)
[ -n "$again" ] || fail "no recording played under another id: the case checks nothing"
expect_eq "recordings played, recommended" "" "$(jq -r .track_id $r/recs.ndjson | sort | comm -12 - <(printf '%s\n' "$again"))"
# and it explains nothing: every reason is a track the listener played
# (as history, an album version stood beside its single as a second
# reason for one pick: "because you played Glass, Glass").
expect_eq "reasons not played" "" "$(jq -r '.because[].track_id' $r/recs.ndjson | sort -u |
    comm -23 - <(jq -r 'select(.heard == true) | .track_id' $r/features.ndjson | sort))"
[ ! -e demo/pg/data/postmaster.pid ] || fail "the embedded server was left running"
# The simulator is stopped: nothing listens on its port any more.
port=$(cat demo/sim/sim.port)
! curl -s -m 2 "http://127.0.0.1:$port/_sim/log" >/dev/null || fail "the simulator is still running"
# It ends by saying how to look at its world, and those commands work.
expect_grep "^  SP_HOME=$SP_DEMO_HOME $SP_ROOT/pipeline.sh status$" out
expect_grep "^  SP_HOME=$SP_DEMO_HOME $SP_ROOT/pipeline.sh report " out
expect_grep '^(the simulated Spotify has stopped; status says so and does not ask it)$' out
unset XDG_CONFIG_HOME XDG_STATE_HOME XDG_CACHE_HOME
SP_HOME=$SP_DEMO_HOME "$SP_ROOT/pipeline.sh" status >status.out 2>status.err
expect_eq "status exit (the demo's account is not checked once the simulator is gone)" 0 "$?"
expect_grep "^  the demo's simulated account: its Spotify ran only during the demo (not asked)$" status.out
expect_grep "^  refresh token expires: " status.out
expect_grep '^  plays                 4000$' status.out
expect_grep "^latest recommendations: 25 in $SP_DEMO_HOME/runs/" status.out
! grep -q 'not logged in' status.out || fail "status after the demo does not find its token"
SP_HOME=$SP_DEMO_HOME expect_status 0 "$SP_ROOT/pipeline.sh" report
expect_grep "^pipeline: report: $SP_DEMO_HOME/runs/.*/report.html$" err
