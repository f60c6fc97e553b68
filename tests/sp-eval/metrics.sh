# sp-eval: HR, recall, NDCG and precision of hand-made lists with known values.
. "$SP_ROOT/tests/lib/lib.sh"

# a: truth {x1, x3}; its list, given out of order, is x1 x2 x3.
# b: truth {y9}; its list misses.  c: truth {z1}, no list: scores 0.
# d: a list but no truth: ignored.
cat >truth.ndjson <<'J'
{"user":"a","track_id":"x1"}
{"user":"a","track_id":"x3"}
{"user":"a","track_id":"x3"}
{"user":"b","track_id":"y9"}
{"user":"c","track_id":"z1"}
J
cat >recs.ndjson <<'J'
{"user":"a","rank":2,"track_id":"x2","score":0.5}
{"user":"a","rank":1,"track_id":"x1","score":0.9}
{"user":"d","rank":1,"track_id":"q","score":0.9}
{"user":"a","rank":3,"track_id":"x3","score":0.1}
{"user":"b","rank":1,"track_id":"y1","score":0.9}
J

# K = 2: a hits x1 at rank 1: DCG 1, IDCG 1 + 1/log2(3) = 1.63093,
# NDCG 0.613147; mean over a, b, c = 0.204382.  Recall 1/2 / 3.
# Coverage: x1 x2 y1 of 10.
expect_status 0 sp-eval -t truth.ndjson -k 2 --catalogue 10 --json --name m recs.ndjson
cat >want <<'J'
{"name":"m","k":2,"users":3,"users_with_recs":2,"distinct_items":3,"hr":0.333333,"recall":0.166667,"ndcg":0.204382,"precision":0.166667,"coverage":0.3,"diversity":null,"artist_top_share":null,"artist_hhi":null}
J
expect_file want out

# K = 3: a hits x1 and x3 (rank 3): DCG 1 + 1/2, NDCG 1.5 / 1.63093 / 3.
expect_status 0 sp-eval -t truth.ndjson -k 3 --json <recs.ndjson
cat >want <<'J'
{"k":3,"users":3,"users_with_recs":2,"distinct_items":4,"hr":0.333333,"recall":0.333333,"ndcg":0.306574,"precision":0.222222,"coverage":null,"diversity":null,"artist_top_share":null,"artist_hhi":null}
J
expect_file want out
