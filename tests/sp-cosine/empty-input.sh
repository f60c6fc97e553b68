# Empty input is not a matrix (exit 1, the reader's message); a matrix of
# no rows has no candidates (a warning, exit 0).
. "$SP_ROOT/tests/sp-cosine/cosine.bash"

expect_status 1 sp-cosine --now $NOW </dev/null
expect_err "sp-cosine: <stdin>: truncated: empty input"
[ ! -s out ] || fail "output: $(cat out)"

printf '%%%%MatrixMarket matrix array real general\n0 4\n' | sp-mat from-mtx --dense >empty.spm ||
    fail "sp-mat from-mtx failed"
expect_status 0 sp-cosine --now $NOW empty.spm
[ ! -s out ] || fail "output: $(cat out)"
expect_err "sp-cosine: empty.spm: no candidates: no row released from 2026-11-21 to 2026-11-27; nothing to recommend"
