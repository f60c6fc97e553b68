# sp-stage: a local file (is_local, no id) in recently-played or in an owned
# playlist is a valid record, staged with the others; a record claiming
# is_local without a name is still rejected, and a missing id on a
# Spotify track too.
. "$SP_ROOT/tests/lib/lib.sh"
. "$SP_ROOT/tests/lib/stage.sh"
export SP_HOME=$PWD/home
local_track='{"album":{"album_type":null,"artists":[],"id":null,"name":"Demos","uri":null},"artists":[{"id":null,"name":"Home Tapes","uri":null}],"duration_ms":187000,"id":null,"href":null,"is_local":true,"name":"Kitchen Song","type":"track","uri":"spotify:local:Home+Tapes:Demos:Kitchen+Song:187"}'
{
	api_play 3n3Ppam7vgaVa1iaRUc9Lp 2026-11-20T08:00:00.123Z
	printf '{"kind":"play","source":"recently-played","fetched_at":"2026-11-20T23:00:00Z","data":{"track":%s,"played_at":"2026-11-20T08:05:00.000Z","context":null}}\n' "$local_track"
	api_play 0eGsygTp906u18L0Oimnem 2026-11-20T08:09:00.000Z
} >plays.ndjson
expect_status 0 sp-stage plays plays.ndjson
expect_eq 'no stderr' '' "$(cat err)"
expect_eq 'staged' 3 "$(gzip -dc "home/stage/$(cat out)" | wc -l)"

{
	printf '{"kind":"playlist_item","source":"playlist","fetched_at":"2026-11-20T23:00:00Z","playlist_id":"pl1","position":0,"data":{"added_at":"2026-11-01T00:00:00Z","is_local":true,"item":%s}}\n' "$local_track"
	printf '{"kind":"playlist_item","source":"playlist","fetched_at":"2026-11-20T23:00:00Z","playlist_id":"pl1","position":1,"data":{"added_at":"2026-11-01T00:00:00Z","is_local":true,"track":%s}}\n' "$local_track"
} >pl.ndjson
expect_status 0 sp-stage playlists pl.ndjson
expect_eq 'playlist items staged' 2 "$(gzip -dc "home/stage/$(cat out)" | wc -l)"

{
	printf '{"kind":"play","source":"recently-played","fetched_at":"2026-11-20T23:00:00Z","data":{"track":{"is_local":true,"id":null},"played_at":"2026-11-20T09:00:00.000Z"}}\n'
	printf '{"kind":"play","source":"recently-played","fetched_at":"2026-11-20T23:00:00Z","data":{"track":{"is_local":false,"id":null,"name":"x"},"played_at":"2026-11-20T09:00:00.000Z"}}\n'
} >bad.ndjson
expect_status 1 sp-stage plays bad.ndjson
cat >want.err <<EOF2
sp-stage: bad.ndjson:1: field 'data.track.name': missing
sp-stage: bad.ndjson:2: field 'data.track.id': expected a string, got null
EOF2
head -n 2 err >got.err
expect_file want.err got.err
