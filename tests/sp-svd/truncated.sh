# A truncated matrix is an error naming the file (exit 1), never a crash.
. "$SP_ROOT/tests/lib/lib.sh"
spm() { python3 "$SP_ROOT/tests/sp-svd/spm.py" "$@"; }

spm gen 40 10 8 >x.spm || fail "gen"
size=$(wc -c <x.spm)
head -c $((size - 100)) x.spm >cut.spm
expect_status 1 sp-svd -k 2 cut.spm
expect_err "sp-svd: cut.spm: truncated: the header announces $((size - 64)) bytes of data, the file has $((size - 164))"
# Through a pipe the reader finds out as the data runs short.
head -c $((size - 100)) x.spm | sp-svd -k 2 >out 2>err
expect_eq status 1 $?
expect_grep '^sp-svd: <stdin>: truncated in values: expected ' err
[ ! -s out ] || fail "output written for a truncated input"
