# A single row is a constant column for minmax and rank (0), and encodes
# as usual otherwise.
. "$SP_ROOT/tests/lib/lib.sh"
cat >spec.json <<'X'
{"id": "id", "labels": ["heard"], "features": [
  {"field": "x", "transform": "minmax"},
  {"field": "x", "transform": "rank"},
  {"field": "x", "transform": "scale", "by": 4},
  {"field": "g", "transform": "onehot"}]}
X
printf '{"id":"only","x":2,"g":["b","a"],"heard":true}\n' >in.ndjson
expect_status 0 sp-encode -s spec.json in.ndjson
mv out m.spm
cat >want <<'X'
{"row":0,"label":{"id":"only","heard":true},"values":{"x:scale":0.5,"g=a":1,"g=b":1}}
X
sp-mat head m.spm >got || fail "sp-mat head failed"
expect_file want got
sp-mat info m.spm >info || fail "sp-mat info failed"
expect_grep '^rows	1$' info
expect_grep '^cols	5$' info
