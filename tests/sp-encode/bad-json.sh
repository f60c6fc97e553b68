# A malformed JSON line is an error naming the input and the line; exit 1.
. "$SP_ROOT/tests/lib/lib.sh"
cat >spec.json <<'X'
{"id": "id", "features": [{"field": "x", "transform": "minmax"}]}
X
printf '{"id":"a","x":1}\n\n{"id":"b","x":2,}\n' >feats.ndjson
expect_status 1 sp-encode -s spec.json feats.ndjson
expect_err "sp-encode: feats.ndjson:3: invalid JSON: Expected another key-value pair at line 1, column 17 (while parsing '{\"id\":\"b\",\"x\":2,}')"
test ! -s out || fail "output written despite the error"
