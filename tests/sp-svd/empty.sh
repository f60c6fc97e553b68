# A matrix with no rows gives an empty embedding of the requested width.
. "$SP_ROOT/tests/lib/lib.sh"
spm() { python3 "$SP_ROOT/tests/sp-svd/spm.py" "$@"; }

spm gen 0 12 1 >x.spm || fail "gen"
expect_status 0 sp-svd -k 3 x.spm
[ ! -s err ] || fail "unexpected stderr: $(cat err)"
spm dump out >got
printf '%s\n' 'layout dense dtype f32 rows 0 cols 3 nnz 0' 'colnames "svd0" "svd1" "svd2"' >want
expect_file want got
expect_status 1 sp-svd -k 3 --model m.spm x.spm
expect_err "sp-svd: x.spm: no rows: cannot fit a model"
# Projecting no rows gives no rows, as wide as the model.
spm gen 20 12 2 >y.spm || fail "gen"
sp-svd -k 2 --model m.spm y.spm >/dev/null || fail "fit"
expect_status 0 sp-svd --project m.spm x.spm
spm dump out >got
printf '%s\n' 'layout dense dtype f32 rows 0 cols 2 nnz 0' 'colnames "svd0" "svd1"' >want
expect_file want got
