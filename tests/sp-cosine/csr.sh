# A sparse (CSR) matrix is refused with a hint to embed it first.
. "$SP_ROOT/tests/sp-cosine/cosine.bash"
printf '{"track_id":"a","release_date":"2026-11-25"}\n{"track_id":"b","heard":true}\n' >lab
printf '%%%%MatrixMarket matrix coordinate real general\n2 3 2\n1 1 1\n2 3 1\n' >x.mtx
sp-mat from-mtx --csr --labels lab x.mtx >x.spm || fail "sp-mat from-mtx failed"

expect_status 1 sp-cosine --now $NOW x.spm
expect_err "sp-cosine: x.spm: a sparse (csr) matrix: sp-cosine reads a dense embedding"
expect_eq "hint" "sp-cosine: hint: embed it first: sp-svd -k 100 x.spm | sp-cosine" "$(sed -n 2p err)"
