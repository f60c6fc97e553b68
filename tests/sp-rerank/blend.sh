# sp-rerank: content, artist affinity (history-weighted) and popularity
# blend into the documented score; -n keeps the top N per user.
. "$SP_ROOT/tests/lib/lib.sh"

cat >labels.ndjson <<'J'
{"track_id":"h1","artist_ids":["A"],"popularity":10}
{"track_id":"h2","artist_ids":["A"],"popularity":10}
{"track_id":"h3","artist_ids":["B"],"popularity":10}
{"track_id":"c1","artist_ids":["B","A"],"popularity":50}
{"track_id":"c2","artist_ids":"C","popularity":100}
{"track_id":"c3","artist_ids":["B"],"popularity":null}
J
# u's history weight: A 1 + 2 = 3, B 1, total 4.
cat >history.ndjson <<'J'
{"user":"u","track_id":"h1"}
{"user":"u","track_id":"h2","weight":2}
{"user":"u","track_id":"h3","weight":1}
J
cat >in.ndjson <<'J'
{"user":"u","rank":1,"track_id":"c2","score":0.5,"because":[{"track_id":"h1","similarity":0.5}]}
{"user":"u","rank":2,"track_id":"c3","score":0.4,"because":[]}
{"user":"u","rank":3,"track_id":"c1","score":0.1,"because":[]}
J
# c1: 0.1 + 1 * max(3/4, 1/4) + 0.5 * 50/100 = 1.1
# c2: 0.5 + 0 + 0.5 * 1 = 1.0;  c3: 0.4 + 1/4 + 0 = 0.65
expect_status 0 sp-rerank -H history.ndjson -l labels.ndjson --artist 1 --popularity 0.5 in.ndjson
cat >want <<'J'
{"user":"u","rank":1,"track_id":"c1","score":1.100000,"because":[]}
{"user":"u","rank":2,"track_id":"c2","score":1.000000,"because":[{"track_id":"h1","similarity":0.5}]}
{"user":"u","rank":3,"track_id":"c3","score":0.650000,"because":[]}
J
expect_file want out

# Unweighted: A holds 2 of 3 history tracks; -n 2 keeps two lines.
expect_status 0 sp-rerank -H history.ndjson -l labels.ndjson --content 0 --artist 1 --unweighted -n 2 in.ndjson
cat >want <<'J'
{"user":"u","rank":1,"track_id":"c1","score":0.666667,"because":[]}
{"user":"u","rank":2,"track_id":"c3","score":0.333333,"because":[]}
J
expect_file want out

# A single listener: neither the input nor the history names a user.
jq -c 'del(.user)' history.ndjson >h1.ndjson
jq -c 'del(.user)' in.ndjson >in1.ndjson
expect_status 0 sp-rerank -H h1.ndjson -l labels.ndjson --content 0 --artist 1 --unweighted -n 1 in1.ndjson
expect_eq single '{"rank":1,"track_id":"c1","score":0.666667,"because":[]}' "$(cat out)"
