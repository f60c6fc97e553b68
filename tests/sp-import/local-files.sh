# A local file in an extended history (spotify_track_uri null, or a
# spotify:local: URI, with master_metadata_* set) is kept as a play by its
# names with no URI; it stages without a reject.
. "$SP_ROOT/tests/lib/lib.sh"
row() {	# row TS URI-JSON NAME
	printf '{"ts":"%s","platform":"linux","ms_played":187000,"conn_country":"FR","master_metadata_track_name":"%s","master_metadata_album_artist_name":"Home Tapes","master_metadata_album_album_name":"Demos","spotify_track_uri":%s,"episode_name":null,"episode_show_name":null,"spotify_episode_uri":null,"reason_start":"trackdone","reason_end":"trackdone","shuffle":false,"skipped":false,"offline":false,"offline_timestamp":null,"incognito_mode":false}' "$1" "$3" "$2"
}
{
	printf '['
	row 2026-11-01T10:00:00Z null 'Kitchen Song'
	printf ','
	row 2026-11-01T10:05:00Z '"spotify:local:Home+Tapes:Demos:Porch+Song:201"' 'Porch Song'
	printf ','
	row 2026-11-01T10:09:00Z '"spotify:track:4uLU6hMCjMI75M1A2tKUQC"' 'On Spotify'
	printf ']\n'
} >Streaming_History_Audio_2026.json
expect_status 0 sp-import --fetched-at 2026-11-02T00:00:00Z Streaming_History_Audio_2026.json
cat >want <<'EOF2'
play null Kitchen Song Home Tapes Demos
play null Porch Song Home Tapes Demos
play "spotify:track:4uLU6hMCjMI75M1A2tKUQC" On Spotify Home Tapes Demos
EOF2
jq -r '[.kind, (.data.spotify_track_uri | tojson), .data.master_metadata_track_name,
    .data.master_metadata_album_artist_name, .data.master_metadata_album_album_name] | join(" ")' out >got
expect_file want got
cp out plays.ndjson
SP_HOME=$PWD/home expect_status 0 sp-stage plays plays.ndjson
expect_eq 'stage stderr' '' "$(cat err)"
# -v counts them, per file.
expect_status 0 sp-import -v --fetched-at 2026-11-02T00:00:00Z Streaming_History_Audio_2026.json
expect_eq 'summary' 'sp-import: Streaming_History_Audio_2026.json: extended history, 3 records: 3 plays
sp-import: Streaming_History_Audio_2026.json: 2 local-file plays kept (no Spotify id)
sp-import: imported 3 records from 1 history' "$(cat err)"
