# sp-rerank --hub: each line loses W times the mean of its item's --hub-k
# highest scores over all users (CSLS), with exact scores; an item with
# K lines or fewer keeps its scores; bad values of the flags exit 2
# naming the flag.
. "$SP_ROOT/tests/lib/lib.sh"

# c3 is not in the labels: it is still an item of the input.
cat >labels.ndjson <<'J'
{"track_id":"c1","artist_ids":["A"]}
{"track_id":"c2","artist_ids":["B"]}
J
printf '{"user":"u","track_id":"h"}\n' >history.ndjson
cat >in.ndjson <<'J'
{"user":"u","rank":1,"track_id":"c1","score":0.9}
{"user":"u","rank":2,"track_id":"c2","score":0.5}
{"user":"v","rank":1,"track_id":"c1","score":0.8}
{"user":"v","rank":2,"track_id":"c2","score":0.2}
{"user":"w","rank":1,"track_id":"c2","score":0.3}
{"user":"w","rank":2,"track_id":"c1","score":0.1}
{"user":"w","rank":3,"track_id":"c3","score":0.25}
{"user":"x","rank":1,"track_id":"c3","score":0.05}
J

# K = 2: c1's two highest scores 0.9 and 0.8 (mean 0.85), c2's 0.5 and
# 0.3 (0.4); c3 has only two lines, so no hubness.  u's order turns: c2
# 0.1 before c1 0.05.
expect_status 0 sp-rerank -H history.ndjson -l labels.ndjson --hub 1 --hub-k 2 in.ndjson
cat >want <<'J'
{"user":"u","rank":1,"track_id":"c2","score":0.100000}
{"user":"u","rank":2,"track_id":"c1","score":0.050000}
{"user":"v","rank":1,"track_id":"c1","score":-0.050000}
{"user":"v","rank":2,"track_id":"c2","score":-0.200000}
{"user":"w","rank":1,"track_id":"c3","score":0.250000}
{"user":"w","rank":2,"track_id":"c2","score":-0.100000}
{"user":"w","rank":3,"track_id":"c1","score":-0.750000}
{"user":"x","rank":1,"track_id":"c3","score":0.050000}
J
expect_file want out

# K = 1, W = 0.5, after the other terms (here --content 2): c1's best
# 1.8, c2's 1.0, c3's 0.5.
expect_status 0 sp-rerank -H history.ndjson -l labels.ndjson --content 2 --hub 0.5 --hub-k 1 -n 1 in.ndjson
cat >want <<'J'
{"user":"u","rank":1,"track_id":"c1","score":0.900000}
{"user":"v","rank":1,"track_id":"c1","score":0.700000}
{"user":"w","rank":1,"track_id":"c3","score":0.250000}
{"user":"x","rank":1,"track_id":"c3","score":-0.150000}
J
expect_file want out

# The default K, 10, is more than the users: nothing changes, as without
# --hub; without --hub, --hub-k changes nothing either.
expect_status 0 sp-rerank -H history.ndjson -l labels.ndjson in.ndjson
mv out plain
expect_status 0 sp-rerank -H history.ndjson -l labels.ndjson --hub 1 in.ndjson
expect_file plain out
expect_status 0 sp-rerank -H history.ndjson -l labels.ndjson --hub-k 1 in.ndjson
expect_file plain out

expect_status 2 sp-rerank -H history.ndjson -l labels.ndjson --hub-k 0 in.ndjson
expect_err "sp-rerank: --hub-k: expected an integer from 1 to 1000000, got '0'"
expect_status 2 sp-rerank -H history.ndjson -l labels.ndjson --hub x in.ndjson
expect_err "sp-rerank: --hub: expected a number, got 'x'"
