# needs: pg
# A rejected record never stops a run: backfill of an export with one bad
# play stages and loads the others, says how many were rejected, and
# exits 0; the reject is kept for 'status' (rejected rows).
. "$SP_ROOT/tests/lib/lib.sh"
need_pg
export SP_HOME=$PWD/home
row() {	# row TS MS_PLAYED
	printf '{"ts":"%s","platform":"linux","ms_played":%s,"conn_country":"FR","master_metadata_track_name":"Song","master_metadata_album_artist_name":"Band","master_metadata_album_album_name":"Record","spotify_track_uri":"spotify:track:4uLU6hMCjMI75M1A2tKUQC","episode_name":null,"episode_show_name":null,"spotify_episode_uri":null,"reason_start":"trackdone","reason_end":"trackdone","shuffle":false,"skipped":false,"offline":false,"offline_timestamp":null,"incognito_mode":false}' "$1" "$2"
}
mkdir -p export
{ printf '['; row 2026-11-01T10:00:00Z 200000; printf ','; row 2026-11-01T10:05:00Z -1; printf ','
  row 2026-11-01T10:10:00Z 180000; printf ']\n'; } >export/Streaming_History_Audio_2026.json
expect_status 0 "$SP_ROOT/pipeline.sh" backfill export
expect_grep "^sp-stage: .*:2: field 'data.ms_played': -1 is below the minimum 0$" err
expect_grep '^pipeline: stage-plays: 1 of 3 records rejected; the others are staged$' err
expect_grep '^pipeline: load done' err
expect_eq 'plays loaded' 2 "$(psql -X -Atq -c 'select count(*) from raw.plays')"
