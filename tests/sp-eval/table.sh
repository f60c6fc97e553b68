# sp-eval: the readable table, and the default K of 25.
. "$SP_ROOT/tests/lib/lib.sh"

printf '{"user":"a","track_id":"t2"}\n' >truth.ndjson
printf '{"user":"a","rank":1,"track_id":"t1"}\n{"user":"a","rank":2,"track_id":"t2"}\n' >recs.ndjson
expect_status 0 sp-eval -t truth.ndjson --candidates truth.ndjson recs.ndjson
# One hit at rank 2 of a one-item truth: NDCG 1/log2(3) = 0.63093.
cat >want <<'J'
k                  25
users              1
users_with_recs    1
distinct_items     2
hr@25              1.0000
recall@25          1.0000
ndcg@25            0.6309
precision@25       0.0400
coverage           2.0000
diversity          -
artist_top_share   -
artist_hhi         -
J
expect_file want out
