# needs: pg
# A load that makes a large part of a table (a first backfill) refreshes
# its statistics before the dedupe, in the same transaction, so the
# planner does not plan for an empty table; an hourly-size load does not.
# The planner's row estimate (pg_class.reltuples) shows which happened.
# The same load summarises the new ranges of raw.plays's BRIN index on
# play_id, which autovacuum may leave unsummarised after a backfill (every
# later load's search for its new rows then read the whole table).
. "$SP_ROOT/tests/lib/lib.sh"
. "$SP_ROOT/tests/lib/stage.sh"
need_pg
export SP_HOME=$PWD/home
reltuples() { psql -X -Atqc "select reltuples::bigint from pg_class where oid = 'raw.plays'::regclass"; }

# One play first (too few rows for either step) makes the schema; with
# autovacuum off for raw.plays, only the load can summarise its ranges.
acct_play 0 "$(date -u -d "@1560000000" +%Y-%m-%dT%H:%M:%SZ)" 100000 >first.ndjson
expect_status 0 sp-stage plays first.ndjson
expect_status 0 sp-load
psql -X -qc "alter table raw.plays set (autovacuum_enabled = off)" || fail "cannot turn autovacuum off"
unsummarised() { psql -X -Atqc "select brin_summarize_new_values('raw.plays_id')"; }

# 8,000 plays (acct_play's lines, by awk for speed): more than one BRIN
# range of 128 pages.
awk 'BEGIN {
	for (i = 1; i <= 8000; i++)
		printf "{\"kind\":\"play\",\"source\":\"export\",\"fetched_at\":\"2026-11-01T00:00:00Z\",\"file\":\"StreamingHistory_music_0.json\",\"data\":{\"ts\":\"%s\",\"ms_played\":100000,\"spotify_track_uri\":null,\"master_metadata_track_name\":\"Track %d\",\"master_metadata_album_artist_name\":\"Artist %d\",\"master_metadata_album_album_name\":null,\"reason_start\":null,\"reason_end\":null,\"skipped\":null,\"shuffle\":null,\"offline\":null,\"incognito_mode\":null,\"platform\":null,\"conn_country\":null}}\n", strftime("%Y-%m-%dT%H:%M:%SZ", 1570000000 + i * 300, 1), i, i
}' >big.ndjson
expect_status 0 sp-stage plays big.ndjson
expect_status 0 sp-load
expect_eq "rows" 8001 "$(psql -X -Atqc 'select count(*) from raw.plays')"
expect_eq "estimate after a first load" 8001 "$(reltuples)"
pages=$(psql -X -Atqc "select pg_relation_size('raw.plays') / 8192")
[ "$pages" -gt 128 ] || fail "raw.plays has $pages pages: the case needs more than one BRIN range (128)"
expect_eq "ranges left unsummarised by the first load" 0 "$(unsummarised)"
# 50 more plays: under a tenth of the table, no ANALYZE.
for i in $(seq 1 50); do
	acct_play "x$i" "$(date -u -d "@$((1600000000 + i * 300))" +%Y-%m-%dT%H:%M:%SZ)" 100000
done >hour.ndjson
expect_status 0 sp-stage plays hour.ndjson
expect_status 0 sp-load
expect_eq "estimate after a small load" 8001 "$(reltuples)"
