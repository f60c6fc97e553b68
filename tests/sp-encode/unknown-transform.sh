# An unknown transform is a spec error naming the spec and the feature; exit 2.
. "$SP_ROOT/tests/lib/lib.sh"
cat >spec.json <<'X'
{"id": "id", "features": [
  {"field": "x", "transform": "minmax"},
  {"field": "x", "transform": "zscore"}]}
X
printf '{"id":"a","x":1}\n' >in.ndjson
expect_status 2 sp-encode -s spec.json in.ndjson
expect_err "sp-encode: spec.json: features[1]: unknown transform 'zscore'"
test ! -s out || fail "output written despite the error"
