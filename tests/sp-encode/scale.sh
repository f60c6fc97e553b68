# scale divides by "by": 50 7 -30 0 by 100 -> 0.5 0.07 -0.3 (0 not stored).
. "$SP_ROOT/tests/lib/lib.sh"
cat >spec.json <<'X'
{"id": "id", "features": [{"field": "p", "transform": "scale", "by": 100}]}
X
cat >in.ndjson <<'X'
{"id":"a","p":50}
{"id":"b","p":7}
{"id":"c","p":-30}
{"id":"d","p":0}
X
expect_status 0 sp-encode -s spec.json in.ndjson
mv out m.spm
cat >want <<'X'
{"row":0,"label":{"id":"a"},"values":{"p":0.5}}
{"row":1,"label":{"id":"b"},"values":{"p":0.0700000003}}
{"row":2,"label":{"id":"c"},"values":{"p":-0.300000012}}
{"row":3,"label":{"id":"d"},"values":{}}
X
sp-mat head m.spm >got || fail "sp-mat head failed"
expect_file want got
