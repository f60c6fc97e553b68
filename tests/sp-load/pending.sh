# needs: pg
# sp-load --pending lists exactly the staged objects a load would take
# (batches and rejects files not in the ledger), loads nothing, and lists
# nothing once they are loaded.
. "$SP_ROOT/tests/lib/lib.sh"
. "$SP_ROOT/tests/lib/stage.sh"
need_pg
export SP_HOME=$PWD/home

api_play 3n3Ppam7vgaVa1iaRUc9Lp 2026-11-20T08:00:00.000Z | sp-stage plays >a || fail "stage a"
{ api_play 4uLU6hMCjMI75M1A2tKUQC 2026-11-20T09:00:00.000Z; echo '{"kind":"play"}'; } |
    sp-stage plays >b 2>/dev/null
[ -s b ] || fail "stage b wrote no object"
rej=$(cd home/stage && ls plays/rejects/*)
# Not objects: a stray file and a hidden one are neither listed nor loaded.
echo x >home/stage/plays/notes.txt

sp-load --pending </dev/null >out || fail "sp-load --pending exited $?"
sort a b - <<X >want
$rej
X
sort out >got
expect_file want got
expect_eq "loaded by --pending" 0 "$(psql -X -At -c 'select count(*) from raw.load_ledger')"

sp-load </dev/null 2>/dev/null
sp-load --pending </dev/null >out || fail "second --pending exited $?"
expect_eq "pending after the load" "" "$(cat out)"
expect_eq "ledger" 3 "$(psql -X -At -c 'select count(*) from raw.load_ledger')"
