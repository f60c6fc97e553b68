# Column names: FIELD for numeric, FIELD=VALUE for onehot, FIELD#hashN for
# hash; a field used again in the same kind gets FIELD:TRANSFORM, then
# FIELD:TRANSFORM:2.
. "$SP_ROOT/tests/lib/lib.sh"
cat >spec.json <<'X'
{"id": "id", "features": [
  {"field": "popularity", "transform": "minmax"},
  {"field": "popularity", "transform": "scale", "by": 100},
  {"field": "popularity", "transform": "scale", "by": 10},
  {"field": "popularity", "transform": "scale", "by": 1},
  {"field": "genres", "transform": "onehot"},
  {"field": "genres", "transform": "hash", "dim": 2},
  {"field": "genres", "transform": "onehot", "weight": 2}]}
X
printf '{"id":"a","popularity":1,"genres":["indie rock"]}\n' >in.ndjson
expect_status 0 sp-encode -s spec.json in.ndjson
mv out m.spm
cat >want <<'X'
"popularity"
"popularity:scale"
"popularity:scale:2"
"popularity:scale:3"
"genres=indie rock"
"genres#hash0"
"genres#hash1"
"genres:onehot=indie rock"
X
sp-mat colnames m.spm >got || fail "sp-mat colnames failed"
expect_file want got
