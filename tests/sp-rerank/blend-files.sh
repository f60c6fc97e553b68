# sp-rerank --blend W:FILE adds W times another ranking's score for the
# same user and item (0 when it does not list them), once per file.
. "$SP_ROOT/tests/lib/lib.sh"

printf '{"track_id":"h","artist_ids":["A"]}\n' >labels.ndjson
printf '{"user":"u","track_id":"h"}\n' >history.ndjson
cat >in.ndjson <<'J'
{"user":"u","rank":1,"track_id":"a","score":0.9}
{"user":"u","rank":2,"track_id":"b","score":0.5}
{"user":"u","rank":3,"track_id":"c","score":0.4}
{"user":"v","rank":1,"track_id":"a","score":0.2}
J
# b listed twice counts once; v's a is not u's a.
cat >other.ndjson <<'J'
{"user":"u","rank":1,"track_id":"b","score":0.8}
{"user":"u","rank":2,"track_id":"b","score":0.8}
{"user":"u","rank":3,"track_id":"c","score":0.1}
{"user":"v","rank":1,"track_id":"a","score":0.5}
J
printf '{"user":"u","track_id":"c","score":1}\n' >third.ndjson
# a: 0.9;  b: 0.5 + 0.5 * 0.8 = 0.9 (ties keep input order);
# c: 0.4 + 0.05 + 2 * 1 = 2.45;  v's a: 0.2 + 0.25 = 0.45.
expect_status 0 sp-rerank -H history.ndjson -l labels.ndjson --blend 0.5:other.ndjson --blend 2:third.ndjson in.ndjson
cat >want <<'J'
{"user":"u","rank":1,"track_id":"c","score":2.450000}
{"user":"u","rank":2,"track_id":"a","score":0.900000}
{"user":"u","rank":3,"track_id":"b","score":0.900000}
{"user":"v","rank":1,"track_id":"a","score":0.450000}
J
expect_file want out

expect_status 2 sp-rerank -H history.ndjson -l labels.ndjson --blend other.ndjson in.ndjson
expect_err "sp-rerank: --blend: expected W:FILE, got 'other.ndjson'"
