# sp-stage: a track URI or id that is not 22 base-62 characters (a '/' in
# it, a path) is a reject with its line, in an export play and in an API
# play; the good records, a local file's spotify:local: URI and an
# episode's URI among them, are still staged.
. "$SP_ROOT/tests/lib/lib.sh"
. "$SP_ROOT/tests/lib/stage.sh"
export SP_HOME=$PWD/home

{
	export_play 4uLU6hMCjMI75M1A2tKUQC 2026-01-01T10:00:00Z 1000
	export_play 4uLU6hMCjMI75M1A2tKU/Q 2026-01-01T10:01:00Z 1000
	export_play ../../etc 2026-01-01T10:02:00Z 1000
	api_play 3n3Ppam7vgaVa1iaRUc9Lp 2026-01-01T10:03:00.000Z
	api_play 3n3Ppam7vgaVa1iaRUc9L/ 2026-01-01T10:04:00.000Z
	api_play 3n3Ppam7vgaVa1iaRUc9Lpx 2026-01-01T10:05:00.000Z
	echo '{"kind":"play","source":"export","fetched_at":"2026-11-01T00:00:00Z","data":{"ts":"2026-01-01T10:06:00Z","ms_played":1,"spotify_track_uri":"spotify:local:Home+Tapes:Demos:Kitchen+Song:187"}}'
	episode spotify:episode:e1 2026-01-01T10:07:00Z 1000
	export_play 5uLU6hMCjMI75M1A2tKUQC 2026-01-01T10:08:00Z 2000
} >in.ndjson
expect_status 1 sp-stage plays in.ndjson
cat >want.err <<'EOF'
sp-stage: in.ndjson:2: field 'data.spotify_track_uri': not a Spotify URI
sp-stage: in.ndjson:3: field 'data.spotify_track_uri': not a Spotify URI
sp-stage: in.ndjson:5: field 'data.track.id': not a Spotify id (22 base-62 characters)
sp-stage: in.ndjson:6: field 'data.track.id': not a Spotify id (22 base-62 characters)
EOF
grep '^sp-stage: in.ndjson:' err >got.err
expect_file want.err got.err
expect_grep "^sp-stage: 4 of 9 records rejected; see $SP_HOME/stage/plays/rejects/" err
rej=$(find home/stage/plays/rejects -name '*.ndjson')
expect_eq 'rejected lines' '2 3 5 6' "$(jq -r .line "$rej" | tr '\n' ' ' | sed 's/ $//')"
{ sed -n 1p in.ndjson; sed -n 4p in.ndjson; sed -n 7,9p in.ndjson; } >want.ndjson
for name in $(cat out); do zcat "home/stage/$name"; done >got.ndjson
expect_eq 'staged plays' "$(jq -c . want.ndjson | sort)" "$(jq -c . got.ndjson | sort)"
