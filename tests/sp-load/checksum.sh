# needs: pg
# sp-load: an object whose bytes changed after it was loaded is an error
# (exit 1, named), not a silent skip; the other objects still load.
. "$SP_ROOT/tests/lib/lib.sh"
. "$SP_ROOT/tests/lib/stage.sh"
need_pg
export SP_HOME=$PWD/home

name=$(api_play 3n3Ppam7vgaVa1iaRUc9Lp 2026-11-20T08:00:00.000Z | sp-stage plays) || fail stage
sp-load || fail load
api_play 0eGsygTp906u18L0Oimnem 2026-11-20T08:00:00.000Z | gzip -n >"home/stage/$name"
api_play 0eGsygTp906u18L0Oimnem 2026-11-21T08:00:00.000Z | sp-stage plays >/dev/null
expect_status 1 sp-load
expect_grep "^sp-load: $name: checksum [0-9a-f]\{16\}\.\.\. differs from the loaded object's [0-9a-f]\{16\}\.\.\.$" err
expect_eq "plays" 2 "$(psql -X -At -c 'select count(*) from raw.plays')"
