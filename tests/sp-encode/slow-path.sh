# Lines the fast scanner leaves to jq (escapes, nested values) encode to the
# same bytes as their plain spelling.
. "$SP_ROOT/tests/lib/lib.sh"
cat >spec.json <<'X'
{"id": "id", "labels": ["d"], "features": [
  {"field": "x", "transform": "minmax"},
  {"field": "g", "transform": "onehot"},
  {"field": "g", "transform": "hash", "dim": 16}]}
X
cat >plain.ndjson <<'X'
{"id":"a/1","d":"2026-01-01","x":1.5,"g":["rock","pop"]}
{"id":"b","x":3,"g":"jazz","other":{"deep":[[1]]}}
{"id":"c","x":-2e1,"g":["café"]}
X
cat >escaped.ndjson <<'X'
{"id":"a\/1","d":"2026-01-01","x":1.5,"g":["ro\u0063k","pop"]}
{"id":"b","x":3,"g":"jazz","other":{"deep":[[1]]},"unused":"\ud83c\udfb5"}
{"id":"c","x":-20,"g":["caf\u00e9"]}
X
sp-encode -s spec.json plain.ndjson >a.spm || fail "plain failed"
sp-encode -s spec.json escaped.ndjson >b.spm || fail "escaped failed"
cmp a.spm b.spm || fail "escaped and plain spellings encode differently"
sp-mat head -n 1 a.spm >got || fail "sp-mat head failed"
expect_grep '"label":{"id":"a/1","d":"2026-01-01"}' got
# -v counts the lines jq parsed: every line of escaped.ndjson, none of plain.
sp-encode -v -s spec.json escaped.ndjson 2>err >/dev/null || fail "-v failed"
expect_err "sp-encode: escaped.ndjson: 3 rows (3 parsed by jq), 21 columns, 10 non-zeros"
sp-encode -v -s spec.json plain.ndjson 2>err >/dev/null || fail "-v failed"
expect_err "sp-encode: plain.ndjson: 3 rows (0 parsed by jq), 21 columns, 10 non-zeros"
