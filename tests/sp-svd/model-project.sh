# --model saves the fit; --project MODEL embeds rows with it, giving the
# direct run's embedding byte for byte, also after --variance.
. "$SP_ROOT/tests/lib/lib.sh"
spm() { python3 "$SP_ROOT/tests/sp-svd/spm.py" "$@"; }

spm gen 500 50 5 >x.spm || fail "gen"
sp-svd -k 8 --model m.spm x.spm >direct.spm || fail "fit"
sp-svd --project m.spm x.spm >proj.spm || fail "project"
cmp direct.spm proj.spm || fail "projection differs from the direct run"
sp-svd -k 12 --variance 0.5 --model mv.spm x.spm >directv.spm || fail "fit --variance"
sp-svd --project mv.spm <x.spm >projv.spm || fail "project --variance"
cmp directv.spm projv.spm || fail "projection differs after --variance"
# The model: k x cols float64, V^T, the input's column names, one label
# per component.
spm dump m.spm >dump
expect_eq header "layout dense dtype f64 rows 8 cols 50 nnz 400" "$(head -n 1 dump)"
spm dump x.spm | sed -n 2p >want
sed -n 2p dump >got
expect_file want got
sed -n 3p dump | grep -q '^{"component":0,"singular_value":[0-9.e+-]*,"explained_variance":[0-9.e+-]*,"explained_variance_ratio":[0-9.e+-]*}	' ||
	fail "model label: $(sed -n 3p dump | cut -f 1)"
# New rows with the same columns project too.
spm gen 7 50 99 >new.spm || fail "gen new"
expect_status 0 sp-svd --project m.spm new.spm
spm dump out | head -n 1 | grep -qx 'layout dense dtype f32 rows 7 cols 8 nnz 56' ||
	fail "projection of new rows: $(spm dump out | head -n 1)"
