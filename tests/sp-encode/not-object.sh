# A line that is valid JSON but not an object is an error; exit 1.
. "$SP_ROOT/tests/lib/lib.sh"
cat >spec.json <<'X'
{"id": "id", "features": [{"field": "x", "transform": "minmax"}]}
X
printf '{"id":"a","x":1}\n[{"id":"b"}]\n' >feats.ndjson
expect_status 1 sp-encode -s spec.json feats.ndjson
expect_err "sp-encode: feats.ndjson:2: expected a JSON object, got an array"
