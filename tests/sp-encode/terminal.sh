# A binary matrix is not written to a terminal: exit 2 with a hint.
. "$SP_ROOT/tests/lib/lib.sh"
command -v script >/dev/null || skip "script(1) (util-linux) not installed"
cat >spec.json <<'X'
{"id": "id", "features": [{"field": "x", "transform": "minmax"}]}
X
printf '{"id":"a","x":1}\n' >in.ndjson
script -qec "sp-encode -s spec.json in.ndjson" /dev/null >tty.out 2>&1
expect_eq "exit status" 2 $?
tr -d '\r' <tty.out >err
expect_err "sp-encode: refusing to write a binary matrix to a terminal"
expect_grep '^sp-encode: hint: redirect stdout' err
