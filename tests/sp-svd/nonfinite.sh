# A NaN or infinite value is an error naming its row and column (exit 1).
. "$SP_ROOT/tests/lib/lib.sh"
spm() { python3 "$SP_ROOT/tests/sp-svd/spm.py" "$@"; }

printf '0:1 1:2\n2:1 3:inf\n' >rows.txt
spm rows rows.txt >x.spm || fail "rows"
expect_status 1 sp-svd -k 1 x.spm
expect_err "sp-svd: x.spm: row 1, column 3: value is not finite"
[ ! -s out ] || fail "output written"
printf '0:1 1:nan\n' >rows.txt
spm rows rows.txt --dense >y.spm || fail "rows"
expect_status 1 sp-svd -k 1 <y.spm
expect_err "sp-svd: <stdin>: row 0, column 1: value is not finite"
