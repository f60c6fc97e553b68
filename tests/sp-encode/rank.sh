# rank: the percentile rank, position / (rows - 1), ties sharing the mean
# position.  5 1 5 3 5 2 sorts to 1 2 3 5 5 5 (positions 0..5; the three 5s
# share (3 + 4 + 5) / 3 = 4): 5 -> 4/5, 1 -> 0, 3 -> 2/5, 2 -> 1/5.
. "$SP_ROOT/tests/lib/lib.sh"
cat >spec.json <<'X'
{"id": "id", "features": [{"field": "n", "transform": "rank"}]}
X
cat >in.ndjson <<'X'
{"id":"a","n":5}
{"id":"b","n":1}
{"id":"c","n":5}
{"id":"d","n":3}
{"id":"e","n":5}
{"id":"f","n":2}
X
expect_status 0 sp-encode -s spec.json in.ndjson
mv out m.spm
cat >want <<'X'
{"row":0,"label":{"id":"a"},"values":{"n":0.800000012}}
{"row":1,"label":{"id":"b"},"values":{}}
{"row":2,"label":{"id":"c"},"values":{"n":0.800000012}}
{"row":3,"label":{"id":"d"},"values":{"n":0.400000006}}
{"row":4,"label":{"id":"e"},"values":{"n":0.800000012}}
{"row":5,"label":{"id":"f"},"values":{"n":0.200000003}}
X
sp-mat head m.spm >got || fail "sp-mat head failed"
expect_file want got
