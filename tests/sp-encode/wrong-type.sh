# A numeric field holding a string is an error naming line and field.
. "$SP_ROOT/tests/lib/lib.sh"
cat >spec.json <<'X'
{"id": "track_id", "features": [{"field": "popularity", "transform": "minmax"}]}
X
printf '{"track_id":"a","popularity":1}\n{"track_id":"b","popularity":"high"}\n' >feats.ndjson
expect_status 1 sp-encode -s spec.json feats.ndjson
expect_err "sp-encode: feats.ndjson:2: field 'popularity': expected a number"
# Booleans are not numbers either, on stdin too.
printf '{"track_id":"a","popularity":true}\n' >b.ndjson
expect_status 1 sp-encode -s spec.json <b.ndjson
expect_err "sp-encode: <stdin>:1: field 'popularity': expected a number"
