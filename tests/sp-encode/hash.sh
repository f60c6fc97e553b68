# hash: MurmurHash3_x86_32 (seed 0) of each category; read as a signed
# int h, column |h| mod dim, sign of h.  Published values: "hello" ->
# 0x248bfa47 = 613153351 (column 351 of 1000, +); "abc" -> 0xb3dd93fa =
# -1277324294 (column 294, -); "" -> 0 (column 0, +).  Every one of the dim
# columns exists; repeats add up and opposite signs cancel.
. "$SP_ROOT/tests/lib/lib.sh"
cat >spec.json <<'X'
{"id": "id", "features": [{"field": "t", "transform": "hash", "dim": 1000}]}
X
cat >in.ndjson <<'X'
{"id":"a","t":["hello","abc"]}
{"id":"b","t":["abc","abc"]}
{"id":"c","t":""}
{"id":"d","t":null}
X
expect_status 0 sp-encode -s spec.json in.ndjson
mv out m.spm
sp-mat info m.spm >info || fail "sp-mat info failed"
expect_grep '^cols	1000$' info
sp-mat colnames m.spm >names || fail "sp-mat colnames failed"
expect_eq "column 0" '"t#hash0"' "$(sed -n 1p names)"
expect_eq "column 351" '"t#hash351"' "$(sed -n 352p names)"
expect_eq "column 999" '"t#hash999"' "$(sed -n 1000p names)"
cat >want <<'X'
{"row":0,"label":{"id":"a"},"values":{"t#hash294":-1,"t#hash351":1}}
{"row":1,"label":{"id":"b"},"values":{"t#hash294":-2}}
{"row":2,"label":{"id":"c"},"values":{"t#hash0":1}}
{"row":3,"label":{"id":"d"},"values":{}}
X
sp-mat head m.spm >got || fail "sp-mat head failed"
expect_file want got
