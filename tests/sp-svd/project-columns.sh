# --project refuses a matrix whose columns are not the model's.
. "$SP_ROOT/tests/lib/lib.sh"
spm() { python3 "$SP_ROOT/tests/sp-svd/spm.py" "$@"; }

spm gen 100 20 6 >x.spm || fail "gen"
sp-svd -k 3 --model m.spm x.spm >/dev/null || fail "fit"
spm gen 10 21 7 >wide.spm || fail "gen"
expect_status 1 sp-svd --project m.spm wide.spm
expect_err "sp-svd: wide.spm: 21 columns, but the model m.spm has 20"
# Same count, other names: rename column 3 of a copy of x.spm's names.
python3 - <<'PY' || fail "rename"
data = bytearray(open("x.spm", "rb").read())
i = data.index(b'"c3"')
data[i:i + 4] = b'"x3"'
open("renamed.spm", "wb").write(data)
PY
expect_status 1 sp-svd --project m.spm renamed.spm
expect_err 'sp-svd: renamed.spm: column 3 is "x3", but the model m.spm has "c3"'
expect_status 1 sp-svd --project x.spm x.spm
expect_err "sp-svd: x.spm: not an sp-svd model (see sp-svd(1), --model)"
