# needs: pg
# sp-stage DATASET | sp-load: sp-load waits for the names on its stdin, so
# the batch just staged is loaded; a name that is not in the store is an
# error (exit 1) after the rest is loaded.
. "$SP_ROOT/tests/lib/lib.sh"
. "$SP_ROOT/tests/lib/stage.sh"
need_pg
export SP_HOME=$PWD/home

# A slow producer: sp-load must not list the store before sp-stage is done.
{ sleep 1; api_play 3n3Ppam7vgaVa1iaRUc9Lp 2026-11-20T08:00:00.000Z; } |
    sp-stage plays | sp-load -v 2>err
st=$?
[ "$st" = 0 ] || { cat err >&2; fail "pipeline exited $st"; }
expect_grep "^sp-load: 1 object loaded, 0 already loaded, 0 failed$" err
expect_eq "plays" 1 "$(psql -X -At -c 'select count(*) from raw.plays')"

echo plays/dt=2026-01-01/000000-0000000000000000.ndjson.gz | sp-load 2>err
st=$?
expect_eq "status" 1 "$st"
expect_err "sp-load: plays/dt=2026-01-01/000000-0000000000000000.ndjson.gz: no such object in $SP_HOME/stage"
