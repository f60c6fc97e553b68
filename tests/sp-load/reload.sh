# needs: pg
# sp-load says how many of an object's plays are new: an export staged
# again (a new object, the same plays) loads nothing twice and says so,
# "plays: 0 new, 3 already loaded", not that it loaded its records.
# Without -v one summary line; with -q nothing.
. "$SP_ROOT/tests/lib/lib.sh"
. "$SP_ROOT/tests/lib/stage.sh"
need_pg
export SP_HOME=$PWD/home

plays() {
	export_play 7ouMYWpwJ422jRcDASZB7P 2025-03-01T10:00:00Z 200000
	export_play 3n3Ppam7vgaVa1iaRUc9Lp 2025-03-01T10:05:00Z 200000
	export_play 0eGsygTp906u18L0Oimnem 2025-03-01T10:10:00Z 200000
}
plays | sp-stage plays >name1 || fail "stage 1"
expect_status 0 sp-load -v
expect_grep "^sp-load: $(cat name1): loaded 3 records, 0 rejected; plays: 3 new, 0 already loaded\$" err
expect_grep "^sp-load: 1 object loaded, 0 already loaded, 0 failed\$" err

# The same export again, fetched a day later: a new object, no new play.
plays | sed 's/2026-11-01T00:00:00Z/2026-11-02T00:00:00Z/' | sp-stage plays >name2 || fail "stage 2"
[ "$(cat name1)" != "$(cat name2)" ] || fail "the same object name"
expect_status 0 sp-load -v
expect_grep "^sp-load: $(cat name2): loaded 3 records, 0 rejected; plays: 0 new, 3 already loaded\$" err
expect_eq "plays" 3 "$(psql -X -At -c 'select count(*) from raw.plays')"

# One play more: one new, three known.
{ plays; export_play 0eGsygTp906u18L0Oimnem 2025-03-01T10:15:00Z 200000; } |
    sed 's/2026-11-01T00:00:00Z/2026-11-03T00:00:00Z/' | sp-stage plays >name3 || fail "stage 3"
expect_status 0 sp-load -v
expect_grep "^sp-load: $(cat name3): loaded 4 records, 0 rejected; plays: 1 new, 3 already loaded\$" err

# Not a terminal, no -v: the summary line alone.  -q: nothing.
plays | sed 's/2026-11-01T00:00:00Z/2026-11-04T00:00:00Z/' | sp-stage plays >/dev/null || fail "stage 4"
expect_status 0 sp-load
expect_eq "stderr" "sp-load: 1 object loaded, 3 already loaded, 0 failed" "$(cat err)"
plays | sed 's/2026-11-01T00:00:00Z/2026-11-05T00:00:00Z/' | sp-stage plays >/dev/null || fail "stage 5"
expect_status 0 sp-load -q
expect_eq "stderr with -q" "" "$(cat err)"
expect_eq "ledger" 5 "$(psql -X -At -c 'select count(*) from raw.load_ledger')"
exit 0
