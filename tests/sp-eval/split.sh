# sp-eval: --history and --labels split NDCG into exploit (truth tracks by
# an artist of the user's history) and discovery (by artists new to the
# user), with exact values on a hand-made case; bad labels and a lone
# --history are errors.
. "$SP_ROOT/tests/lib/lib.sh"

# u1 knows A and B (h1, h2); u2 knows B.  u1's truth: t1 (A) and t2 (C
# with B) are exploit, t3 (D) discovery; u2's t4 (A) is discovery.
cat >truth.ndjson <<'J'
{"user":"u1","track_id":"t1"}
{"user":"u1","track_id":"t2"}
{"user":"u1","track_id":"t3"}
{"user":"u2","track_id":"t4"}
J
cat >labels.ndjson <<'J'
{"track_id":"h1","artist_ids":["A"]}
{"track_id":"h2","artist_ids":"B"}
{"track_id":"t1","artist_ids":["A"]}
{"track_id":"t2","artist_ids":["C","B"]}
{"track_id":"t3","artist_ids":["D"]}
{"track_id":"t4","artist_ids":["A"]}
{"track_id":"x","artist_ids":[]}
J
cat >history.ndjson <<'J'
{"user":"u1","track_id":"h1"}
{"user":"u1","track_id":"h2"}
{"user":"u2","track_id":"h2"}
{"user":"nobody","track_id":"h1"}
J
cat >recs.ndjson <<'J'
{"user":"u1","rank":1,"track_id":"t3"}
{"user":"u1","rank":2,"track_id":"x"}
{"user":"u1","rank":3,"track_id":"t1"}
{"user":"u2","rank":1,"track_id":"t4"}
J

# u1: t3 hits at rank 1 (discovery: DCG 1 = IDCG), t1 at rank 3
# (exploit: DCG 1/2, IDCG 1 + 1/log2(3): 0.306574).  u2: t4 at rank 1
# (discovery 1).  Exploit: u1 only; discovery: mean of 1 and 1.
expect_status 0 sp-eval -t truth.ndjson -k 3 --history history.ndjson \
    --labels labels.ndjson --json recs.ndjson
cat >want <<'J'
{"k":3,"users":2,"users_with_recs":2,"distinct_items":4,"hr":1,"recall":0.833333,"ndcg":0.851959,"precision":0.5,"coverage":null,"diversity":null,"artist_top_share":null,"artist_hhi":null,"users_exploit":1,"users_discovery":2,"ndcg_exploit":0.306574,"ndcg_discovery":1}
J
expect_file want out

# The table shows the same figures.
expect_status 0 sp-eval -t truth.ndjson -k 3 --history history.ndjson \
    --labels labels.ndjson recs.ndjson
expect_grep '^ndcg@3_exploit     0.3066$' out
expect_grep '^ndcg@3_discovery   1.0000$' out
expect_grep '^users_exploit      1$' out

# With no exploit truth, its NDCG is null, not 0.
printf '{"user":"u1","track_id":"t3"}\n' >t3.ndjson
expect_status 0 sp-eval -t t3.ndjson -k 3 --history history.ndjson \
    --labels labels.ndjson --json recs.ndjson
expect_grep '"users_exploit":0,"users_discovery":1,"ndcg_exploit":null,"ndcg_discovery":1}' out

# Without the split, the output is unchanged.
expect_status 0 sp-eval -t truth.ndjson -k 3 --json recs.ndjson
expect_eq "no split" "" "$(grep -o exploit out)"

expect_status 2 sp-eval -t truth.ndjson --history history.ndjson recs.ndjson
expect_err "sp-eval: --history and --labels go together"
printf '{"track_id":"h1","artist_ids":[1]}\n' >bad.ndjson
expect_status 1 sp-eval -t truth.ndjson --history history.ndjson --labels bad.ndjson recs.ndjson
expect_err "sp-eval: bad.ndjson:1: field 'artist_ids': expected a string or an array of strings"
