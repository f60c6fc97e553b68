# needs: pg
# sp-load: records of an object that fail the schema go to raw.rejects
# (object, line, reason, record) in the object's transaction, the rest is
# loaded, exit 1; sp-stage's rejects files are loaded into raw.rejects too.
. "$SP_ROOT/tests/lib/lib.sh"
. "$SP_ROOT/tests/lib/stage.sh"
need_pg
export SP_HOME=$PWD/home

# An object written by hand, as a broken or older stager could have.
mkdir -p home/stage/plays/dt=2026-01-01
{
	export_play 7ouMYWpwJ422jRcDASZB7P 2025-03-01T10:00:00Z 200000
	echo '{"kind":"play","source":"export","fetched_at":"2026-11-01T00:00:00Z","data":{"ts":"soon","ms_played":5}}'
	echo 'not json'
	echo '{"kind":"play","source":"radio","fetched_at":"2026-11-01T00:00:00Z","data":{}}'
} | gzip -n >home/stage/plays/dt=2026-01-01/000000-handmade.ndjson.gz
printf '%s\n' '{"kind":"play"}' | sp-stage plays 2>/dev/null
expect_status 1 sp-load
expect_err "sp-load: plays/dt=2026-01-01/000000-handmade.ndjson.gz: 3 records rejected; see raw.rejects"
psql -X -At -F'|' -c "select object, line, reason, coalesce(record, '-') from raw.rejects order by object, line" >got
cat >want <<'EOF'
plays/dt=2026-01-01/000000-handmade.ndjson.gz|2|field 'data.ts': not an ISO 8601 time|{"kind":"play","source":"export","fetched_at":"2026-11-01T00:00:00Z","data":{"ts":"soon","ms_played":5}}
plays/dt=2026-01-01/000000-handmade.ndjson.gz|3|invalid JSON: Invalid numeric literal at line 1, column 4 (while parsing 'not json')|not json
plays/dt=2026-01-01/000000-handmade.ndjson.gz|4|field 'source': 'radio' is not one of 'recently-played', 'export'|{"kind":"play","source":"radio","fetched_at":"2026-11-01T00:00:00Z","data":{}}
EOF
ls home/stage/plays/rejects/ | sed 's|^|plays/rejects/|;s/$/|1|field '"'"'source'"'"': missing|{"kind":"play"}/' >>want
expect_file want got
expect_eq "plays" 1 "$(psql -X -At -c 'select count(*) from raw.plays')"
expect_eq "ledger" "1 3,0 1" "$(psql -X -At -F' ' -c 'select rows, rejected from raw.load_ledger order by object' | paste -sd,)"
expect_status 0 sp-load
