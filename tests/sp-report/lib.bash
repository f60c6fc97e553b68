# tests/sp-report/lib.bash: helpers sourced by the sp-report cases (not a case).
. "$SP_ROOT/tests/lib/lib.sh"

NOW=2026-11-27
# Keep the cases apart from the user's settings, tokens, runs and stage.
export SP_HOME=$PWD/home XDG_CONFIG_HOME=$PWD/config
unset SP_TZ SP_STAGE_URL

# report_db: a fresh database with the raw schema (applied by sp-model, as
# the tools do) and the fixture functions of fixtures.sql.
report_db() {
	need_pg
	sp-model run -q >setup.out 2>&1 || { cat setup.out >&2; fail "sp-model run on an empty database failed"; }
	psql -q -X -v ON_ERROR_STOP=1 -f "$SP_ROOT/tests/sp-report/fixtures.sql" >/dev/null ||
		fail "loading fixtures.sql failed"
}

# sql STATEMENTS: runs SQL quietly, failing the case on error.
sql() {
	psql -q -X -v ON_ERROR_STOP=1 -c "$1" >/dev/null || fail "SQL failed: $1"
}

# models [TZ]: builds the models as of $NOW in the listener's zone.
models() {
	sp-model run -q --var as_of="$NOW" --var tz="${1:-UTC}" >models.out 2>&1 ||
		{ cat models.out >&2; fail "sp-model run failed"; }
}

# chart ID FILE: the SVG of chart ID in the report FILE, one element a line.
chart() {
	awk -v id="data-chart=\"$1\"" 'index($0, id) { on = 1 } on { print } on && /<\/svg>/ { exit }' "$2"
}

# elements CLASS: the opening tags of the elements of class CLASS on stdin
# (without their <title>).
elements() {
	grep -o "<[a-z]* class=\"$1\"[^>]*>"
}

# mkmat OUT: a dense float32 matrix OUT from stdin lines "LABEL|v1 v2 ...",
# through Matrix Market and sp-mat from-mtx, as a user would.
mkmat() {
	awk -F'|' -v lab="$1.labels" -v mtx="$1.mtx" '
	{
		print $1 > lab
		n = split($2, v, " ")
		if (NR == 1)
			d = n
		for (j = 1; j <= n; j++)
			if (v[j] + 0 != 0)
				e[++ne] = NR " " j " " v[j]
	}
	END {
		print "%%MatrixMarket matrix coordinate real general" > mtx
		print NR, d, ne + 0 > mtx
		for (i = 1; i <= ne; i++)
			print e[i] > mtx
	}' || fail "mkmat: awk failed"
	sp-mat from-mtx --dense --labels "$1.labels" "$1.mtx" >"$1" ||
	    fail "mkmat: sp-mat from-mtx failed"
}
