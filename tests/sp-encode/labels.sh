# Row labels: the id first, then the label fields in spec order; numbers in
# shortest exact form, object members sorted, absent fields null.
. "$SP_ROOT/tests/lib/lib.sh"
cat >spec.json <<'X'
{"id": "track_id", "labels": ["release_date", "heard", "artist_ids", "extra"],
 "features": [{"field": "p", "transform": "scale", "by": 1}]}
X
cat >in.ndjson <<'X'
{"extra":{"z":1,"a":[0.10,1e2]},"artist_ids":["0Od"],"heard":false,"release_date":"2026-11-20","track_id":"4uLU","p":1}
{"track_id":17,"heard":true,"artist_ids":"x\"y"}
X
expect_status 0 sp-encode -s spec.json in.ndjson
mv out m.spm
cat >want <<'X'
{"track_id":"4uLU","release_date":"2026-11-20","heard":false,"artist_ids":["0Od"],"extra":{"a":[0.1,100],"z":1}}
{"track_id":17,"release_date":null,"heard":true,"artist_ids":"x\"y","extra":null}
X
sp-mat labels m.spm >got || fail "sp-mat labels failed"
expect_file want got
