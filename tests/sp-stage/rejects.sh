# sp-stage: invalid records go to the rejects file and stderr with their
# line and reason, exit 1; the valid ones are still staged, in order.
. "$SP_ROOT/tests/lib/lib.sh"
. "$SP_ROOT/tests/lib/stage.sh"
export SP_HOME=$PWD/home

{
	export_play 4uLU6hMCjMI75M1A2tKUQC 2026-01-01T10:00:00Z 1000
	echo '{"kind":"play","source":"export","fetched_at":"2026-11-01T00:00:00Z","data":{"ts":"2026-13-01T00:00:00Z","ms_played":5}}'
	echo '[1]'
	echo '{bad'
	echo '{"kind":"play","source":"recently-played","fetched_at":"2026-01-01T00:00:00Z","data":{"played_at":"2026-01-01T00:00:00Z","track":{"id":"6rqhFgbbKwnb9MLmUQDhG6","name":"n","duration_ms":"long"}}}'
	echo '{"kind":"podcast","source":"export","fetched_at":"2026-01-01T00:00:00Z","data":{}}'
	echo '{"kind":"play","source":"export","fetched_at":"2026-01-01T00:00:00Z","data":{"ts":"2026-01-01T00:00:00Z"}}'
	echo
	echo '{"source":"export","fetched_at":"2026-01-01T00:00:00Z","data":{}}'
	echo '{"kind":"play","source":"recently-played","fetched_at":"2026-01-01T00:00:00Z","data":{"played_at":"2026-01-01T00:00:00Z","track":{"id":"6rqhFgbbKwnb9MLmUQDhG6","name":"n","artists":[{"name":1}]}}}'
	echo '{"kind":"play","source":"export","fetched_at":"yesterday","data":{"ts":"2026-01-01T00:00:00Z","ms_played":1}}'
	echo '{"kind":"play","source":"export","fetched_at":"2026-01-01T00:00:00Z","data":{"ts":"2026-01-01T00:00:00Z","ms_played":-1}}'
	echo '{"kind":"play","source":"export","fetched_at":"2026-01-01T00:00:00Z","data":{"ts":"2026-01-01T00:00:00Z","ms_played":1,"master_metadata_track_name":"a\u0000b"}}'
	export_play 5uLU6hMCjMI75M1A2tKUQC 2026-01-01T11:00:00Z 2000
} >in.ndjson
expect_status 1 sp-stage plays in.ndjson
cat >want.err <<EOF
sp-stage: in.ndjson:2: field 'data.ts': not an ISO 8601 time
sp-stage: in.ndjson:3: expected a JSON object, got an array
sp-stage: in.ndjson:4: invalid JSON: Invalid numeric literal at EOF at line 1, column 4 (while parsing '{bad')
sp-stage: in.ndjson:5: field 'data.track.duration_ms': expected integer or null, got a string
sp-stage: in.ndjson:6: field 'kind': 'podcast' is not one of 'play', 'episode', 'audiobook', 'video'
sp-stage: in.ndjson:7: field 'data.ms_played': missing
sp-stage: in.ndjson:9: field 'kind': missing
sp-stage: in.ndjson:10: field 'data.track.artists[0].name': expected a string, got an integer
sp-stage: in.ndjson:11: field 'fetched_at': not an ISO 8601 time
sp-stage: in.ndjson:12: field 'data.ms_played': -1 is below the minimum 0
sp-stage: 1 more record rejected
EOF
head -n 11 err >got.err
expect_file want.err got.err
rej=$(find home/stage/plays/rejects -name '*.ndjson')
[ -n "$rej" ] || fail "no rejects file"
expect_grep "^sp-stage: 11 of 13 records rejected; see $SP_HOME/stage/plays/rejects/" err
expect_eq "rejects file lines" 11 "$(wc -l <"$rej")"
jq -r '"\(.line) \(.reason)"' "$rej" | tail -n 1 >got.last
echo '13 contains \u0000, which PostgreSQL refuses' >want.last
expect_file want.last got.last
expect_eq "record kept" '[1]' "$(jq -r 'select(.line == 3) | .record' "$rej")"

name=$(cat out)
case $name in plays/dt=2026-11-01/000000-*.ndjson.gz) ;; *) fail "object name '$name'" ;; esac
{ sed -n 1p in.ndjson; sed -n 14p in.ndjson; } >want.ndjson
zcat "home/stage/$name" >got.ndjson
expect_file want.ndjson got.ndjson
