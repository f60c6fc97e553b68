# -k above min(rows, columns) computes min(rows, columns) components,
# with a warning; those are then exact.
. "$SP_ROOT/tests/lib/lib.sh"
spm() { python3 "$SP_ROOT/tests/sp-svd/spm.py" "$@"; }

spm gen 30 6 9 >x.spm || fail "gen"
expect_status 0 sp-svd -k 10 -v x.spm
expect_err "sp-svd: x.spm: -k 10 is more than min(rows, columns) = 6; computing 6 components"
expect_eq components 6 "$(grep -c '^svd' err)"
spm dump out | head -n 1 >got
echo "layout dense dtype f32 rows 30 cols 6 nnz 180" >want
expect_file want got
# With all 6 components the explained variance is the whole variance.
expect_eq cumulative 1.000 "$(awk -F '\t' '/^svd5/ { printf "%.3f", $4 }' err)"
