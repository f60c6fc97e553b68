# One row: k is clamped to min(rows, columns) = 1 with a warning, and the
# embedding is the row's norm (the sign convention makes it positive).
. "$SP_ROOT/tests/lib/lib.sh"
spm() { python3 "$SP_ROOT/tests/sp-svd/spm.py" "$@"; }

echo '0:3 2:4 5:12' >rows.txt
spm rows rows.txt >x.spm || fail "rows"
expect_status 0 sp-svd -k 5 x.spm
expect_err "sp-svd: x.spm: -k 5 is more than min(rows, columns) = 1; computing 1 component"
spm dump out >got
printf '%s\n' 'layout dense dtype f32 rows 1 cols 1 nnz 1' 'colnames "svd0"' \
	'{"track_id":"t0"}	13' >want
expect_file want got
