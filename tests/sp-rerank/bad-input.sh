# sp-rerank: a negative history weight and a line without a score are
# errors naming the file and line.
. "$SP_ROOT/tests/lib/lib.sh"

printf '{"track_id":"h","artist_ids":["A"],"popularity":1}\n' >labels.ndjson
printf '{"user":"u","track_id":"h"}\n{"user":"u","track_id":"h","weight":-1}\n' >history.ndjson
printf '{"user":"u","rank":1,"track_id":"c"}\n' >in.ndjson
expect_status 1 sp-rerank -H history.ndjson -l labels.ndjson in.ndjson
expect_err "sp-rerank: history.ndjson:2: field 'weight': expected a finite number >= 0"

printf '{"user":"u","track_id":"h"}\n' >history.ndjson
expect_status 1 sp-rerank -H history.ndjson -l labels.ndjson in.ndjson
expect_err "sp-rerank: in.ndjson:1: field 'score': expected a number, got nothing"
# Without the content term the score is not needed.
expect_status 0 sp-rerank -H history.ndjson -l labels.ndjson --content 0 in.ndjson
expect_eq out '{"user":"u","rank":1,"track_id":"c","score":0.000000}' "$(cat out)"
