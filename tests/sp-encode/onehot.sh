# onehot: a string, number or boolean is one category, an array several
# (null elements ignored, repeats add up); null or absent adds nothing.
# Columns are the categories seen, in ascending byte order.
. "$SP_ROOT/tests/lib/lib.sh"
cat >spec.json <<'X'
{"id": "id", "features": [{"field": "k", "transform": "onehot"}]}
X
cat >in.ndjson <<'X'
{"id":"a","k":"rock"}
{"id":"b","k":["pop","rock","pop"]}
{"id":"c","k":3}
{"id":"d","k":true}
{"id":"e","k":[null,"Zed",2.5]}
{"id":"f","k":null}
{"id":"g"}
{"id":"h","k":[]}
X
expect_status 0 sp-encode -s spec.json in.ndjson
mv out m.spm
cat >want <<'X'
"k=2.5"
"k=3"
"k=Zed"
"k=pop"
"k=rock"
"k=true"
X
sp-mat colnames m.spm >got || fail "sp-mat colnames failed"
expect_file want got
cat >want <<'X'
{"row":0,"label":{"id":"a"},"values":{"k=rock":1}}
{"row":1,"label":{"id":"b"},"values":{"k=pop":2,"k=rock":1}}
{"row":2,"label":{"id":"c"},"values":{"k=3":1}}
{"row":3,"label":{"id":"d"},"values":{"k=true":1}}
{"row":4,"label":{"id":"e"},"values":{"k=2.5":1,"k=Zed":1}}
{"row":5,"label":{"id":"f"},"values":{}}
{"row":6,"label":{"id":"g"},"values":{}}
{"row":7,"label":{"id":"h"},"values":{}}
X
sp-mat head m.spm >got || fail "sp-mat head failed"
expect_file want got
