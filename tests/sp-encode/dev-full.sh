# A write error on stdout is an error: exit 1 with one message.
. "$SP_ROOT/tests/lib/lib.sh"
[ -w /dev/full ] || skip "no /dev/full"
cat >spec.json <<'X'
{"id": "id", "features": [{"field": "x", "transform": "minmax"}]}
X
printf '{"id":"a","x":1}\n{"id":"b","x":2}\n' >in.ndjson
sp-encode -s spec.json in.ndjson >/dev/full 2>err
expect_eq "exit status" 1 $?
expect_err "sp-encode: write error on stdout: No space left on device"
expect_eq "stderr lines" 1 "$(wc -l <err)"
