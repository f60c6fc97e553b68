# needs: pg
# sp-load: a truncated gzip object is bad local data: exit 1, nothing of it
# loaded, no ledger row, and the next objects still load.
. "$SP_ROOT/tests/lib/lib.sh"
. "$SP_ROOT/tests/lib/stage.sh"
need_pg
export SP_HOME=$PWD/home

mkdir -p home/stage/plays/dt=2026-01-01
for i in $(seq 200); do export_play 7ouMYWpwJ422jRcDASZB7P "2025-03-01T10:$(printf %02d $((i % 60))):$(printf %02d $((i / 60)))Z" 1000; done |
    gzip -n >full.gz
head -c $(($(wc -c <full.gz) - 20)) full.gz >home/stage/plays/dt=2026-01-01/000000-cut.ndjson.gz
api_play 3n3Ppam7vgaVa1iaRUc9Lp 2026-11-20T08:00:00.000Z | sp-stage plays >/dev/null
expect_status 1 sp-load
expect_err "sp-load: plays/dt=2026-01-01/000000-cut.ndjson.gz: truncated gzip data"
expect_eq "plays" "api 1" "$(psql -X -At -F' ' -c 'select source, count(*) from raw.plays group by 1')"
expect_eq "ledger" 1 "$(psql -X -At -c 'select count(*) from raw.load_ledger')"
