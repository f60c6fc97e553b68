# minmax maps each value to (x - min) / (max - min): 10 20 40 30 -> 0 1/3 1 2/3.
. "$SP_ROOT/tests/lib/lib.sh"
cat >spec.json <<'X'
{"id": "id", "features": [{"field": "x", "transform": "minmax"}]}
X
cat >in.ndjson <<'X'
{"id":"a","x":10}
{"id":"b","x":20}
{"id":"c","x":40}
{"id":"d","x":30}
X
expect_status 0 sp-encode -s spec.json in.ndjson
mv out m.spm
# float32(1/3) = 0.333333343, float32(2/3) = 0.666666687; a zero is not stored.
cat >want <<'X'
{"row":0,"label":{"id":"a"},"values":{}}
{"row":1,"label":{"id":"b"},"values":{"x":0.333333343}}
{"row":2,"label":{"id":"c"},"values":{"x":1}}
{"row":3,"label":{"id":"d"},"values":{"x":0.666666687}}
X
sp-mat head m.spm >got || fail "sp-mat head failed"
expect_file want got
