# needs: pg
# A load that makes a large part of a table (a first backfill) refreshes
# its statistics before the dedupe, in the same transaction, so the
# planner does not plan for an empty table; an hourly-size load does not.
# The planner's row estimate (pg_class.reltuples) shows which happened.
. "$SP_ROOT/tests/lib/lib.sh"
. "$SP_ROOT/tests/lib/stage.sh"
need_pg
export SP_HOME=$PWD/home
reltuples() { psql -X -Atqc "select reltuples::bigint from pg_class where oid = 'raw.plays'::regclass"; }

for i in $(seq 1 1500); do
	acct_play "$i" "$(date -u -d "@$((1570000000 + i * 300))" +%Y-%m-%dT%H:%M:%SZ)" 100000
done >big.ndjson
expect_status 0 sp-stage plays big.ndjson
expect_status 0 sp-load
expect_eq "rows" 1500 "$(psql -X -Atqc 'select count(*) from raw.plays')"
expect_eq "estimate after a first load" 1500 "$(reltuples)"
# 50 more plays: under a tenth of the table, no ANALYZE.
for i in $(seq 1 50); do
	acct_play "x$i" "$(date -u -d "@$((1600000000 + i * 300))" +%Y-%m-%dT%H:%M:%SZ)" 100000
done >hour.ndjson
expect_status 0 sp-stage plays hour.ndjson
expect_status 0 sp-load
expect_eq "estimate after a small load" 1500 "$(reltuples)"
