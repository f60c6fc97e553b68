# A one-hot or hash feature with no value in the first rows (and rows
# without one between): the encoder copies nothing for those rows.  Under
# make check SAN=1 this once stopped with "null pointer passed as argument".
. "$SP_ROOT/tests/lib/lib.sh"
cat >spec.json <<'X'
{"id": "id", "features": [{"field": "k", "transform": "onehot"},
  {"field": "h", "transform": "hash", "dim": 4}, {"field": "x", "transform": "minmax"}]}
X
cat >in.ndjson <<'X'
{"id":"a","x":1}
{"id":"b","x":2,"k":null}
{"id":"c","x":3,"k":"rock","h":"z"}
{"id":"d","x":4}
{"id":"e","x":5,"k":["pop","rock"]}
X
expect_status 0 sp-encode -s spec.json in.ndjson
sp-mat head out | sed 's/"h#hash[0-9]*":-\{0,1\}1,//' >got || fail "sp-mat head"
cat >want <<'X'
{"row":0,"label":{"id":"a"},"values":{}}
{"row":1,"label":{"id":"b"},"values":{"x":0.25}}
{"row":2,"label":{"id":"c"},"values":{"k=rock":1,"x":0.5}}
{"row":3,"label":{"id":"d"},"values":{"x":0.75}}
{"row":4,"label":{"id":"e"},"values":{"k=pop":1,"k=rock":1,"x":1}}
X
expect_file want got
