# needs: pg
# sp-load: an object whose bytes changed after it was loaded is not read
# by a plain run (a run costs what is new), but --check finds it: an
# error (exit 1, named), not a silent skip; the other objects still load.
# So does naming it on stdin (sp-stage | sp-load).
. "$SP_ROOT/tests/lib/lib.sh"
. "$SP_ROOT/tests/lib/stage.sh"
need_pg
export SP_HOME=$PWD/home

name=$(api_play 3n3Ppam7vgaVa1iaRUc9Lp 2026-11-20T08:00:00.000Z | sp-stage plays) || fail stage
sp-load || fail load
api_play 0eGsygTp906u18L0Oimnem 2026-11-20T08:00:00.000Z | gzip -n >"home/stage/$name"
api_play 0eGsygTp906u18L0Oimnem 2026-11-21T08:00:00.000Z | sp-stage plays >/dev/null
expect_status 0 sp-load -v
expect_grep "^sp-load: 1 object loaded, 1 already loaded, 0 failed$" err
expect_eq "plays" 2 "$(psql -X -At -c 'select count(*) from raw.plays')"
expect_status 1 sp-load --check
expect_grep "^sp-load: $name: checksum [0-9a-f]\{16\}\.\.\. differs from the loaded object's [0-9a-f]\{16\}\.\.\.$" err
echo "$name" >names
expect_status 1 sp-load <names
expect_grep "^sp-load: $name: checksum [0-9a-f]\{16\}\.\.\. differs" err
expect_eq "plays" 2 "$(psql -X -At -c 'select count(*) from raw.plays')"
