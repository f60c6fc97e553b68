# tests/lib/stage.sh: hand-made staged records and an S3 server for the
# sp-stage and sp-load cases.  Source it after tests/lib/lib.sh.
#
#   api_play ID PLAYED_AT [DURATION_MS]  a recently-played record (fetched_at
#                   is PLAYED_AT's day at 23:00:00Z, artist "Artist ID")
#   export_play ID TS MS_PLAYED          an extended-history play (sp-import's
#                   shape; ID "" for a play without a URI)
#   acct_play ID TS MS_PLAYED            an account-data-history play as
#                   sp-import writes it (no URI, no reasons; "Track ID" by
#                   "Artist ID")
#   episode URI TS MS_PLAYED             an export podcast play
#   start_s3        starts s3rver (tests/s3, installed by 'npm ci --prefix
#                   tests/s3' in pipelines/deps.sh) on a free loopback port
#                   with bucket "sp"; sets SP_S3_ENDPOINT and the AWS_*
#                   variables; skips the case when s3rver is not installed.

api_play() {
	printf '{"kind":"play","source":"recently-played","fetched_at":"%sT23:00:00Z","data":{"track":{"id":"%s","name":"Track %s","duration_ms":%s,"artists":[{"id":"a%s","name":"Artist %s"}],"album":{"id":"al%s","name":"Album %s"}},"played_at":"%s","context":null}}\n' \
	    "${2%%T*}" "$1" "$1" "${3:-200000}" "$1" "$1" "$1" "$1" "$2"
}

export_play() {
	local uri=null name='"Track '$1'"'
	[ -n "$1" ] && uri='"spotify:track:'$1'"'
	printf '{"kind":"play","source":"export","fetched_at":"2026-11-01T00:00:00Z","file":"Streaming_History_Audio_2026.json","data":{"ts":"%s","ms_played":%s,"spotify_track_uri":%s,"master_metadata_track_name":%s,"master_metadata_album_artist_name":"Artist %s","master_metadata_album_album_name":"Album %s","reason_start":"trackdone","reason_end":"trackdone","skipped":false,"shuffle":false,"offline":false,"incognito_mode":false,"platform":"linux","conn_country":"DE"}}\n' \
	    "$2" "$3" "$uri" "$name" "$1" "$1"
}

acct_play() {
	printf '{"kind":"play","source":"export","fetched_at":"2026-11-01T00:00:00Z","file":"StreamingHistory_music_0.json","data":{"ts":"%s","ms_played":%s,"spotify_track_uri":null,"master_metadata_track_name":"Track %s","master_metadata_album_artist_name":"Artist %s","master_metadata_album_album_name":null,"reason_start":null,"reason_end":null,"skipped":null,"shuffle":null,"offline":null,"incognito_mode":null,"platform":null,"conn_country":null}}\n' \
	    "$2" "$3" "$1" "$1"
}

episode() {
	printf '{"kind":"episode","source":"export","fetched_at":"2026-11-01T00:00:00Z","file":"Streaming_History_Audio_2026.json","data":{"ts":"%s","ms_played":%s,"spotify_episode_uri":"%s","episode_name":"Episode","episode_show_name":"Show","reason_start":"clickrow","reason_end":"endplay","skipped":null,"shuffle":false,"offline":false,"incognito_mode":false,"platform":"linux","conn_country":"DE"}}\n' \
	    "$2" "$3" "$1"
}

start_s3() {
	local bin=$SP_ROOT/tests/s3/node_modules/.bin/s3rver i port
	[ -x "$bin" ] || skip "s3rver is not installed (npm ci --prefix tests/s3; see pipelines/deps.sh)"
	command -v node >/dev/null || skip "node is not installed"
	port=$(free_port)
	mkdir -p s3data
	"$bin" -d s3data -a 127.0.0.1 -p "$port" --silent --configure-bucket sp >s3.log 2>&1 &
	S3_PID=$!
	trap 'kill $S3_PID 2>/dev/null; wait $S3_PID 2>/dev/null' EXIT
	for i in $(seq 100); do
		curl -s -o /dev/null "http://127.0.0.1:$port/" && break
		sleep 0.1
	done
	export SP_S3_ENDPOINT=http://127.0.0.1:$port AWS_ACCESS_KEY_ID=S3RVER
	export AWS_SECRET_ACCESS_KEY=S3RVER AWS_REGION=us-east-1
}
