# Every row needs its id (a string or a number): it names the row downstream.
. "$SP_ROOT/tests/lib/lib.sh"
cat >spec.json <<'X'
{"id": "track_id", "features": [{"field": "x", "transform": "minmax"}]}
X
printf '{"track_id":"a","x":1}\n{"x":2}\n' >f1.ndjson
expect_status 1 sp-encode -s spec.json f1.ndjson
expect_err "sp-encode: f1.ndjson:2: field 'track_id': the row id is missing"
printf '{"track_id":["a"],"x":1}\n' >f2.ndjson
expect_status 1 sp-encode -s spec.json f2.ndjson
expect_err "sp-encode: f2.ndjson:1: field 'track_id': expected a string or a number"
