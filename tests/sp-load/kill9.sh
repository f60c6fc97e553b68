# needs: pg
# sp-load: killed with SIGKILL at random moments while it loads big
# objects, then rerun: exactly the right rows, each object once.
. "$SP_ROOT/tests/lib/lib.sh"
need_pg
export SP_HOME=$PWD/home

# Two objects of 100,000 export plays each (distinct times), and one of API
# plays that duplicate some of them, so that the dedupe runs too.
gen() {	# gen FIRST COUNT
	awk -v first="$1" -v n="$2" 'BEGIN {
		for (i = first; i < first + n; i++) {
			t = 1700000000 + i * 240
			printf "{\"kind\":\"play\",\"source\":\"export\",\"fetched_at\":\"2026-11-0%dT00:00:00Z\",\"data\":{\"ts\":\"%s\",\"ms_played\":%d,\"spotify_track_uri\":\"spotify:track:t%021d\",\"master_metadata_track_name\":\"T%d\",\"master_metadata_album_artist_name\":\"A\",\"master_metadata_album_album_name\":\"B\",\"reason_start\":\"trackdone\",\"reason_end\":\"trackdone\",\"skipped\":false,\"shuffle\":false,\"offline\":false,\"incognito_mode\":false,\"platform\":\"linux\",\"conn_country\":\"DE\"}}\n", first ? 2 : 1, strftime("%Y-%m-%dT%H:%M:%SZ", t, 1), 100000, i % 997, i % 997
		}
	}'
}
gen 0 100000 | sp-stage plays >/dev/null || fail stage
gen 100000 100000 | sp-stage plays >/dev/null || fail stage
awk 'BEGIN {
	for (i = 0; i < 50; i++) {
		t = 1700000000 + i * 240 - 30
		printf "{\"kind\":\"play\",\"source\":\"recently-played\",\"fetched_at\":\"2026-11-03T00:00:00Z\",\"data\":{\"played_at\":\"%s\",\"track\":{\"id\":\"t%021d\",\"name\":\"T%d\",\"duration_ms\":200000},\"context\":null}}\n", strftime("%Y-%m-%dT%H:%M:%SZ", t, 1), i % 997, i % 997
	}
}' | sp-stage plays >/dev/null || fail stage

kills=0
# Each round kills sp-load a moment after it has started copying an
# object (seen in pg_stat_activity), so that the kills land inside loads
# however fast the machine is.  The delays grow, so the first rounds kill
# inside the first object and the later ones once an object or two are
# in (each round's ledger count goes to the log).  A round that finds
# sp-load done counts no kill.
copying() {
	[ "$(psql -X -At -c "select count(*) from pg_stat_activity
	    where datname = current_database() and query ilike 'copy raw.plays%'")" != 0 ]
}
for delay in 0.1 0.05 0.3 0.2 0.6 0.5 0.9 1.1; do
	sp-load 2>>load.err &
	pid=$!
	for i in $(seq 200); do
		copying && break
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.02
	done
	sleep "$delay"
	if kill -9 "$pid" 2>/dev/null; then
		kills=$((kills + 1))
	fi
	wait "$pid" 2>/dev/null
	echo "round: $(psql -X -At -c 'select count(*) from raw.load_ledger') objects loaded" >&2
done
echo "killed $kills times" >&2
[ "$kills" -ge 3 ] || fail "sp-load finished too soon to be killed ($kills kills)"
expect_status 0 sp-load
q() { psql -X -At -F' ' -c "$1"; }
expect_eq "plays" "api 50,export 200000" "$(q "select source, count(*) from raw.plays group by 1 order by 1" | paste -sd,)"
expect_eq "dups" 50 "$(q "select count(*) from raw.plays where dup_of is not null")"
expect_eq "distinct keys" 200050 "$(q "select count(distinct (source, played_at, track_id)) from raw.plays")"
expect_eq "ledger" "3 200050" "$(q "select count(*), sum(rows) from raw.load_ledger")"
expect_eq "rejects" 0 "$(q "select count(*) from raw.rejects")"
