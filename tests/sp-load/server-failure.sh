# needs: pg
# The server ends sp-load's session in the middle of a COPY: exit 3 with
# the server's reason, nothing of the object stays, and a rerun loads it.
. "$SP_ROOT/tests/lib/lib.sh"
need_pg
export SP_HOME=$PWD/home

awk 'BEGIN {
	for (i = 0; i < 150000; i++)
		printf "{\"kind\":\"play\",\"source\":\"export\",\"fetched_at\":\"2026-11-01T00:00:00Z\",\"data\":{\"ts\":\"%s\",\"ms_played\":1000,\"spotify_track_uri\":\"spotify:track:t%021d\",\"master_metadata_track_name\":\"T\"}}\n", strftime("%Y-%m-%dT%H:%M:%SZ", 1600000000 + i * 200, 1), i % 500
}' | sp-stage plays >/dev/null || fail stage
sp-load 2>err &
pid=$!
for i in $(seq 200); do
	n=$(psql -X -At -c "select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and query like 'copy raw.plays%'" | grep -c t)
	[ "$n" -gt 0 ] && break
	sleep 0.05
done
[ "$n" -gt 0 ] || fail "never saw the COPY"
wait $pid
st=$?
expect_eq "status" 3 "$st"
expect_grep "terminat" err
expect_eq "rows left" "0 0" "$(psql -X -At -F' ' -c 'select (select count(*) from raw.plays), (select count(*) from raw.load_ledger)')"
expect_status 0 sp-load
expect_eq "loaded" 150000 "$(psql -X -At -c 'select count(*) from raw.plays')"
