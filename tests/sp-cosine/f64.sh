# A float64 matrix gives the same recommendations as its float32 copy.
. "$SP_ROOT/tests/sp-cosine/cosine.bash"
mkexample x.spm
sp-mat from-mtx --dense --f64 --labels x.spm.labels x.spm.mtx >x64.spm || fail "from-mtx --f64 failed"
sp-mat info x64.spm | grep -q 'float64' || fail "not float64"

sp-cosine --now $NOW x.spm >a || fail "float32 run failed"
expect_status 0 sp-cosine --now $NOW x64.spm
expect_file a out
[ -s out ] || fail "no output"
