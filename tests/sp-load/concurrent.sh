# needs: pg
# Two sp-load runs at once take turns object by object: every object is
# loaded once, both exit 0, and the rows are right.
. "$SP_ROOT/tests/lib/lib.sh"
. "$SP_ROOT/tests/lib/stage.sh"
need_pg
export SP_HOME=$PWD/home

for d in 11 12 13 14 15 16; do
	for h in 01 02 03 04 05 06 07 08 09 10; do
		api_play "${d}n3Ppam7vgaVa1iaRUc${h}" "2026-11-${d}T${h}:00:00.000Z"
	done | sp-stage plays >/dev/null || fail stage
done
sp-load 2>a.err & a=$!
sp-load 2>b.err & b=$!
wait $a; sa=$?
wait $b; sb=$?
[ "$sa" = 0 ] && [ "$sb" = 0 ] || { cat a.err b.err >&2; fail "exits $sa and $sb"; }
q() { psql -X -At -c "$1"; }
expect_eq "ledger" 6 "$(q 'select count(*) from raw.load_ledger')"
expect_eq "plays" 60 "$(q 'select count(*) from raw.plays')"
expect_eq "tracks" 60 "$(q 'select count(*) from raw.tracks')"
