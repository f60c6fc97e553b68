# A dense float64 matrix gives the same embedding as the same values in
# CSR float32.
. "$SP_ROOT/tests/lib/lib.sh"
spm() { python3 "$SP_ROOT/tests/sp-svd/spm.py" "$@"; }

spm gen 200 25 10 >csr.spm || fail "gen"
spm gen 200 25 10 --dense --f64 >dense.spm || fail "gen dense"
sp-svd -k 5 csr.spm >a.spm || fail "csr"
sp-svd -k 5 dense.spm >b.spm || fail "dense"
cmp a.spm b.spm || fail "dense input gives another embedding"
