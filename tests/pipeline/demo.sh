# './pipeline.sh demo' runs every stage on a simulated account, on its own
# embedded database, and prints the published playlist with each track's
# reason, in well under a minute.
. "$SP_ROOT/tests/lib/lib.sh"
unset PGHOST PGPORT PGUSER PGDATABASE SP_DATABASE_URL
export SP_DEMO_HOME=$PWD/demo SP_DEMO_SETUP=0

start=$(date +%s)
expect_status 0 "$SP_ROOT/pipeline.sh" demo
secs=$(( $(date +%s) - start ))
[ "$secs" -lt 45 ] || fail "the demo took $secs s"
expect_grep "^playlist 'sp demo: new releases for you' (spotify:playlist:[A-Za-z0-9_]*), created: 25 tracks; 25 added, 0 removed, 0 kept$" out
[ "$(grep -c '^      because you played ' out)" = 25 ] || fail "not every track has its reason"
expect_grep '^published: 25 tracks in playlist ' out
# Both sources were loaded, and the plays they share kept once.
expect_grep '^  plays                 4000$' out
expect_grep '^  plays (duplicates)    50$' out
for f in playlist.jspf playlist.m3u playlist.csv recs.ndjson embedded.spm; do
	[ -s demo/runs/latest/$f ] || fail "demo/runs/latest/$f missing"
done
[ ! -e demo/pg/data/postmaster.pid ] || fail "the embedded server was left running"
# The simulator is stopped: nothing listens on its port any more.
port=$(cat demo/sim/sim.port)
! curl -s -m 2 "http://127.0.0.1:$port/_sim/log" >/dev/null || fail "the simulator is still running"
