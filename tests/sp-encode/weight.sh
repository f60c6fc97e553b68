# "weight" multiplies every column of a feature: numeric, onehot, hash.
. "$SP_ROOT/tests/lib/lib.sh"
cat >spec.json <<'X'
{"id": "id", "features": [
  {"field": "p", "transform": "scale", "by": 10, "weight": 3},
  {"field": "g", "transform": "onehot", "weight": 0.5},
  {"field": "g", "transform": "hash", "dim": 1000, "weight": -2}]}
X
cat >in.ndjson <<'X'
{"id":"a","p":5,"g":["hello","abc"]}
X
expect_status 0 sp-encode -s spec.json in.ndjson
mv out m.spm
# p: 5 / 10 * 3 = 1.5; onehot 0.5 each; hash "hello" +1 * -2, "abc" -1 * -2.
cat >want <<'X'
{"row":0,"label":{"id":"a"},"values":{"p":1.5,"g=abc":0.5,"g=hello":0.5,"g#hash294":2,"g#hash351":-2}}
X
sp-mat head m.spm >got || fail "sp-mat head failed"
expect_file want got
