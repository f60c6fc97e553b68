# A spec that is not valid is an error naming the spec file and the place
# in it; exit 2, nothing written.
. "$SP_ROOT/tests/lib/lib.sh"
printf '{"id":"a","x":1}\n' >in.ndjson
n=0
check() {	# check SPEC-TEXT EXPECTED-MESSAGE
	n=$((n + 1))
	printf '%s\n' "$1" >spec$n.json
	expect_status 2 sp-encode -s spec$n.json in.ndjson
	expect_err "sp-encode: spec$n.json: $2"
	test ! -s out || fail "spec$n: output written despite the error"
}
check '{"id": "id", "features": [' 'invalid JSON: Unfinished JSON term at EOF at line 2, column 0'
check '[]' 'expected a JSON object'
check '{"features": []}' "'id' is missing"
check '{"id": "id", "feature": []}' "unknown member 'feature'"
check '{"id": "id"}' "'features': expected an array"
check '{"id": "id", "labels": "date", "features": []}' "'labels': expected an array of strings"
check '{"id": "id", "labels": ["id"], "features": []}' "labels[0]: 'id' is the id field"
check '{"id": "id", "features": [{"transform": "minmax"}]}' "features[0]: 'field' is missing"
check '{"id": "id", "features": [{"field": "x"}]}' "features[0]: 'transform' is missing"
check '{"id": "id", "features": [{"field": "x", "transform": "minmax", "wieght": 2}]}' "features[0]: unknown member 'wieght'"
check '{"id": "id", "features": [{"field": "x", "transform": "scale"}]}' "features[0]: 'by': scale needs a non-zero number"
check '{"id": "id", "features": [{"field": "x", "transform": "scale", "by": 0}]}' "features[0]: 'by': scale needs a non-zero number"
check '{"id": "id", "features": [{"field": "x", "transform": "hash"}]}' "features[0]: 'dim': hash needs an integer from 1 to 16777216"
check '{"id": "id", "features": [{"field": "x", "transform": "hash", "dim": 2.5}]}' "features[0]: 'dim': hash needs an integer from 1 to 16777216"
check '{"id": "id", "features": [{"field": "x", "transform": "onehot", "missing": 1}]}' "features[0]: 'missing' applies to numeric transforms only"
check '{"id": "id", "features": [{"field": "x", "transform": "minmax", "weight": "2"}]}' "features[0]: 'weight': expected a number"
check '{"id": "id", "features": [{"field": "x", "transform": "minmax", "dim": 2}]}' "features[0]: 'dim' applies to the hash transform only"
# A spec file that does not exist.
expect_status 2 sp-encode -s nosuch.json in.ndjson
expect_err "sp-encode: nosuch.json: No such file or directory"
