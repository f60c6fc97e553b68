# A missing or null numeric value takes the feature's "missing" value
# (default 0) before the transform; a missing categorical value adds no
# column; a missing label is null.
. "$SP_ROOT/tests/lib/lib.sh"
cat >spec.json <<'X'
{"id": "id", "labels": ["date"], "features": [
  {"field": "x", "transform": "minmax"},
  {"field": "x", "transform": "minmax", "missing": 15},
  {"field": "g", "transform": "onehot"}]}
X
cat >in.ndjson <<'X'
{"id":"a","x":10,"g":"rock","date":"2026-11-20"}
{"id":"b","x":null,"g":null,"date":null}
{"id":"c"}
{"id":"d","x":20,"g":["rock"]}
X
expect_status 0 sp-encode -s spec.json in.ndjson
mv out m.spm
# Default: 10 0 0 20 -> 0.5 0 0 1.  With missing 15: 10 15 15 20 -> 0 .5 .5 1.
cat >want <<'X'
{"row":0,"label":{"id":"a","date":"2026-11-20"},"values":{"x":0.5,"g=rock":1}}
{"row":1,"label":{"id":"b","date":null},"values":{"x:minmax":0.5}}
{"row":2,"label":{"id":"c","date":null},"values":{"x:minmax":0.5}}
{"row":3,"label":{"id":"d","date":null},"values":{"x":1,"x:minmax":1,"g=rock":1}}
X
sp-mat head m.spm >got || fail "sp-mat head failed"
expect_file want got
