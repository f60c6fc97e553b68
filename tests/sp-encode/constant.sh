# A constant column has no spread: minmax, log1p-minmax and rank make it
# zeros (nothing stored, no division by zero); scale is unaffected.
. "$SP_ROOT/tests/lib/lib.sh"
cat >spec.json <<'X'
{"id": "id", "features": [
  {"field": "x", "transform": "minmax"},
  {"field": "x", "transform": "log1p-minmax"},
  {"field": "x", "transform": "rank"},
  {"field": "x", "transform": "scale", "by": 7}]}
X
printf '{"id":"a","x":7}\n{"id":"b","x":7}\n{"id":"c","x":7}\n' >in.ndjson
expect_status 0 sp-encode -s spec.json in.ndjson
mv out m.spm
cat >want <<'X'
{"row":0,"label":{"id":"a"},"values":{"x:scale":1}}
{"row":1,"label":{"id":"b"},"values":{"x:scale":1}}
{"row":2,"label":{"id":"c"},"values":{"x:scale":1}}
X
sp-mat head m.spm >got || fail "sp-mat head failed"
expect_file want got
sp-mat info m.spm >info || fail "sp-mat info failed"
expect_grep '^cols	4$' info
expect_grep '^nnz	3$' info
