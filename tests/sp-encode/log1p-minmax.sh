# log1p-minmax: log(1 + x), then minmax.  x = 0, e - 1, e^2 - 1 gives
# log1p = 0, 1, 2, so 0, 0.5, 1; x = 1.5 gives log(2.5) / 2 = 0.458145366 (float32 0.45814538).
. "$SP_ROOT/tests/lib/lib.sh"
cat >spec.json <<'X'
{"id": "id", "features": [{"field": "d", "transform": "log1p-minmax"}]}
X
cat >in.ndjson <<'X'
{"id":"a","d":0}
{"id":"b","d":1.718281828459045}
{"id":"c","d":6.38905609893065}
{"id":"d","d":1.5}
X
expect_status 0 sp-encode -s spec.json in.ndjson
mv out m.spm
cat >want <<'X'
{"row":0,"label":{"id":"a"},"values":{}}
{"row":1,"label":{"id":"b"},"values":{"d":0.5}}
{"row":2,"label":{"id":"c"},"values":{"d":1}}
{"row":3,"label":{"id":"d"},"values":{"d":0.45814538}}
X
sp-mat head m.spm >got || fail "sp-mat head failed"
expect_file want got

# A value at or below -1 has no log1p: an error naming the line and field.
printf '{"id":"a","d":3}\n{"id":"b","d":-1}\n' >neg.ndjson
expect_status 1 sp-encode -s spec.json neg.ndjson
expect_err "sp-encode: neg.ndjson:2: field 'd': log1p-minmax needs values above -1, got -1"
