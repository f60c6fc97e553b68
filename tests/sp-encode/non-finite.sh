# A value whose encoding does not fit the float32 matrix (1e39 scaled by 1,
# anything scaled by 1e-320, a weight of 1e39) is an error naming the line
# and field (exit 1), never an inf in the matrix.
. "$SP_ROOT/tests/lib/lib.sh"
spec() { printf '{"id": "id", "features": [{"field": "p", "transform": "scale", %s}]}\n' "$1" >spec.json; }
printf '{"id":"a","p":2}\n\n{"id":"b","p":1e39}\n' >in.ndjson

spec '"by": 1'
expect_status 1 sp-encode -s spec.json in.ndjson
expect_err "sp-encode: in.ndjson:3: field 'p': 1e+39 / 1 (scale) is beyond a 32-bit float"
[ ! -s out ] || fail "a matrix was written"

spec '"by": 1e-320'
expect_status 1 sp-encode -s spec.json in.ndjson
expect_err "sp-encode: in.ndjson:1: field 'p': 2 / 9.99989e-321 (scale) is beyond a 32-bit float"

spec '"by": 1, "weight": 1e39'
expect_status 2 sp-encode -s spec.json in.ndjson
expect_err "sp-encode: spec.json: features[0]: 'weight': beyond a 32-bit float"

# minmax maps 1e39 into [0, 1]: that is fine.
printf '{"id": "id", "features": [{"field": "p", "transform": "minmax"}]}\n' >spec.json
expect_status 0 sp-encode -s spec.json in.ndjson
sp-mat head out >got || fail "sp-mat head"
printf '%s\n' '{"row":0,"label":{"id":"a"},"values":{}}' '{"row":1,"label":{"id":"b"},"values":{"p":1}}' >want
expect_file want got
