# A categorical field holding an object, or an array holding an array, is
# an error naming line and field.
. "$SP_ROOT/tests/lib/lib.sh"
cat >spec.json <<'X'
{"id": "id", "features": [{"field": "genres", "transform": "hash", "dim": 8}]}
X
printf '{"id":"a","genres":["x"]}\n{"id":"b","genres":{"x":1}}\n' >f1.ndjson
expect_status 1 sp-encode -s spec.json f1.ndjson
expect_err "sp-encode: f1.ndjson:2: field 'genres': expected a string, number, boolean or an array of them"
printf '{"id":"a","genres":["x",["y"]]}\n' >f2.ndjson
expect_status 1 sp-encode -s spec.json f2.ndjson
expect_err "sp-encode: f2.ndjson:1: field 'genres': expected a string, number, boolean or an array of them"
