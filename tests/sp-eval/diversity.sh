# sp-eval: intra-list diversity from an embedding, and artist concentration.
. "$SP_ROOT/tests/lib/lib.sh"

# Items: a=(1,0) b=(0,1) c=(1,1) d=(1,0).  Artists: a, d by X; b by Y;
# c has none (an artist of its own).
cat >emb.mtx <<'M'
%%MatrixMarket matrix array real general
4 2
1
0
1
1
0
1
1
0
M
cat >labels.ndjson <<'J'
{"track_id":"a","artist_ids":["X","Z"]}
{"track_id":"b","artist_ids":"Y"}
{"track_id":"c","artist_ids":null}
{"track_id":"d","artist_ids":["X"]}
J
sp-mat from-mtx --labels labels.ndjson emb.mtx >emb.spm || fail "sp-mat from-mtx"
printf '{"user":"u","track_id":"a"}\n{"user":"v","track_id":"a"}\n' >truth.ndjson
# u: a b c: distances 1, 1 - 1/sqrt2, 1 - 1/sqrt2: mean (3 - sqrt2) / 3
#   = 0.528595; three artists: top share 1/3, HHI 1/3.
# v: a d: distance 0; one artist X: top share 1, HHI 1.
cat >recs.ndjson <<'J'
{"user":"u","rank":1,"track_id":"a"}
{"user":"u","rank":2,"track_id":"b"}
{"user":"u","rank":3,"track_id":"c"}
{"user":"v","rank":1,"track_id":"a"}
{"user":"v","rank":2,"track_id":"d"}
J
expect_status 0 sp-eval -t truth.ndjson --embedding emb.spm --json recs.ndjson
expect_eq diversity 0.264298 "$(jq -r '.diversity' out)"
expect_eq top_share 0.666667 "$(jq -r '.artist_top_share' out)"
expect_eq hhi 0.666667 "$(jq -r '.artist_hhi' out)"

# The same through a CSR matrix.
sp-mat from-mtx --csr --labels labels.ndjson emb.mtx >csr.spm || fail "sp-mat from-mtx --csr"
expect_status 0 sp-eval -t truth.ndjson --embedding csr.spm --json recs.ndjson
expect_eq diversity-csr 0.264298 "$(jq -r '.diversity' out)"
