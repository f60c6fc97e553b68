# needs: pg
# sp-load: PostgreSQL unreachable is exit 3 with the reason; the staged
# objects wait and load on the next run.
. "$SP_ROOT/tests/lib/lib.sh"
. "$SP_ROOT/tests/lib/stage.sh"
need_pg
export SP_HOME=$PWD/home

api_play 3n3Ppam7vgaVa1iaRUc9Lp 2026-11-20T08:00:00.000Z | sp-stage plays >/dev/null
mkdir nopg
PGHOST=$PWD/nopg expect_status 3 sp-load
expect_grep "^sp-load: cannot connect to PostgreSQL: " err
expect_status 0 sp-load
expect_eq "plays" 1 "$(psql -X -At -c 'select count(*) from raw.plays')"
