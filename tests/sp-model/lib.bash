# tests/sp-model/lib.bash: shared set-up for the model and feature cases.
# models_db: a fresh database with the raw schema (applied by sp-model, as
# the tools do) and the fixture functions t_artist, t_track, t_api,
# t_export (fixtures.sql).
models_db() {
	need_pg
	sp-model run -q >setup.out 2>&1 || { cat setup.out >&2; fail "sp-model run on an empty database failed"; }
	psql -q -X -v ON_ERROR_STOP=1 -f "$SP_ROOT/tests/sp-model/fixtures.sql" >/dev/null ||
		fail "loading fixtures.sql failed"
}

# sql STATEMENTS: runs SQL quietly, failing the case on error.
sql() {
	psql -q -X -v ON_ERROR_STOP=1 -c "$1" >/dev/null || fail "SQL failed: $1"
}

# q QUERY: prints the result unaligned, '|'-separated, without headers.
q() {
	psql -X -A -t -v ON_ERROR_STOP=1 -c "$1" || fail "query failed: $1"
}

# expect_q QUERY EXPECTED: the query's output is EXPECTED (lines).
expect_q() {
	local got
	got=$(q "$1")
	if [ "$got" != "$2" ]; then
		printf 'query: %s\n--- expected\n%s\n--- got\n%s\n' "$1" "$2" "$got" >&2
		fail "unexpected query result"
	fi
}
