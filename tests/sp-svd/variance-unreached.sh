# When the k components explain less than --variance F, all k are kept,
# with a warning that says so.
. "$SP_ROOT/tests/lib/lib.sh"
spm() { python3 "$SP_ROOT/tests/sp-svd/spm.py" "$@"; }

spm gen 300 60 4 >x.spm || fail "gen"
expect_status 0 sp-svd -k 2 --variance 0.99 x.spm
expect_grep '^sp-svd: x.spm: 2 components explain 0\.[0-9]* of the variance, less than --variance 0.99; keeping them all$' err
spm dump out | head -n 1 >got
echo "layout dense dtype f32 rows 300 cols 2 nnz 600" >want
expect_file want got
