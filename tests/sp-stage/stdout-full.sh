# sp-stage: a failed write of the object's name to stdout exits 1 (the
# object itself is staged and a rerun prints the same name).
. "$SP_ROOT/tests/lib/lib.sh"
. "$SP_ROOT/tests/lib/stage.sh"
export SP_HOME=$PWD/home

export_play 4uLU6hMCjMI75M1A2tKUQC 2026-01-01T10:00:00Z 1000 >in.ndjson
sp-stage plays in.ndjson >/dev/full 2>err
st=$?
[ "$st" = 1 ] || fail "exit $st, expected 1"
expect_grep 'sp-stage: .*No space left on device' err
expect_status 0 sp-stage plays in.ndjson
[ -f "home/stage/$(cat out)" ] || fail "object missing"
