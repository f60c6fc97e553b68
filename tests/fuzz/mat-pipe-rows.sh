# fuzz (mat): a matrix read through a pipe whose header announces far more
# rows than its label section holds is refused as such, without allocating
# for the announced rows first (found by fuzz_mat; the reproducer is
# tests/fuzz/mat/crashes/labels-fewer-than-huge-rows-through-a-pipe).
. "$SP_ROOT/tests/lib/lib.sh"

f=$SP_ROOT/tests/fuzz/mat/crashes/labels-fewer-than-huge-rows-through-a-pipe
cat "$f" | sp-mat info - >out 2>err
expect_eq "exit status" 1 "$?"
expect_eq "message" "sp-mat: <stdin>: row labels section does not hold 549755813888 lines" "$(cat err)"
[ ! -s out ] || fail "unexpected output: $(cat out)"
