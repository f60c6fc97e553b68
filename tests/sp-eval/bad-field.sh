# sp-eval: a truth line without the item id, and a rank that is not a
# number, are errors naming the file, the line and the field.
. "$SP_ROOT/tests/lib/lib.sh"

printf '{"user":"u","track_id":"a"}\n{"user":"u"}\n' >truth.ndjson
expect_status 1 sp-eval -t truth.ndjson </dev/null
expect_err "sp-eval: truth.ndjson:2: field 'track_id': expected a string, got nothing"

printf '{"user":"u","track_id":"a"}\n' >truth.ndjson
printf '{"user":"u","rank":"1","track_id":"a"}\n' >recs.ndjson
expect_status 1 sp-eval -t truth.ndjson recs.ndjson
expect_err "sp-eval: recs.ndjson:1: field 'rank': expected a number, got a string"
