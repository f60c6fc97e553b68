# sp-eval: a malformed recommendation line is an error naming its line.
. "$SP_ROOT/tests/lib/lib.sh"

printf '{"user":"u","track_id":"a"}\n' >truth.ndjson
printf '{"user":"u","rank":1,"track_id":"a"}\n{"user":"u",\n' >recs.ndjson
expect_status 1 sp-eval -t truth.ndjson recs.ndjson
expect_grep '^sp-eval: recs.ndjson:2: invalid JSON' err
[ ! -s out ] || fail "output on error"
