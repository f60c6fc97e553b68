# needs: pg
# sp-load: an object whose plays are partly loaded already (an export
# imported twice, or the same play fetched in two polls, or twice in one
# object) loads only the new ones, keeping the first row of each key.
. "$SP_ROOT/tests/lib/lib.sh"
. "$SP_ROOT/tests/lib/stage.sh"
need_pg
export SP_HOME=$PWD/home

{
	export_play 7ouMYWpwJ422jRcDASZB7P 2025-03-01T10:00:00Z 200000
	export_play 3n3Ppam7vgaVa1iaRUc9Lp 2025-03-01T10:05:00Z 200000
} | sp-stage plays >/dev/null
sp-load || fail load
first=$(psql -X -At -c "select object from raw.plays where track_id = '7ouMYWpwJ422jRcDASZB7P'")
{
	export_play 7ouMYWpwJ422jRcDASZB7P 2025-03-01T10:00:00Z 200000
	export_play 0eGsygTp906u18L0Oimnem 2025-03-01T10:10:00Z 200000
	export_play 0eGsygTp906u18L0Oimnem 2025-03-01T10:10:00Z 200000
	export_play 0eGsygTp906u18L0Oimnem 2025-03-01T10:15:00Z 200000
} | sed 's/2026-11-01T00:00:00Z/2026-11-02T00:00:00Z/' | sp-stage plays >/dev/null
expect_status 0 sp-load -v
expect_grep "some rows are loaded already; merging" err
expect_grep ": loaded 4 records, 0 rejected; plays: 2 new, 2 already loaded$" err
expect_eq "plays" 4 "$(psql -X -At -c 'select count(*) from raw.plays')"
expect_eq "kept" "$first" "$(psql -X -At -c "select object from raw.plays where track_id = '7ouMYWpwJ422jRcDASZB7P'")"
expect_eq "ledger rows" "2,4" "$(psql -X -At -c 'select rows from raw.load_ledger order by loaded_at' | paste -sd,)"
