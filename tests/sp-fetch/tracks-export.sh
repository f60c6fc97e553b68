# tracks fetches every track an export names only by URI (an export play
# has no track object), each once, as kind track, staged as dataset
# 'tracks'; a bad id is a warning, not a failure; the cache holds them.
. "$SP_ROOT/tests/lib/lib.sh"
. "$SP_ROOT/tests/lib/sim.sh"
export SP_HOME=$PWD/home
start_sim
sim_tokens
sim_ctl GET state | jq -r '.tracks[:3][].id' >want
# Export plays: two of the same track, one of another, one podcast-like
# record with no track URI, and a bare URI line.
{
	jq -c -R '{kind:"play",source:"export",fetched_at:"2026-11-20T00:00:00Z",
	    data:{ts:"2026-11-01T10:00:00Z",ms_played:1000,spotify_track_uri:("spotify:track:" + .)}}' <want
	jq -c -n --arg t "$(head -n 1 want)" '{kind:"play",source:"export",fetched_at:"2026-11-20T00:00:00Z",
	    data:{ts:"2026-11-02T10:00:00Z",ms_played:1000,spotify_track_uri:("spotify:track:" + $t)}}'
	echo '{"kind":"episode","source":"export","data":{"spotify_episode_uri":"spotify:episode:abc"}}'
} >plays.ndjson
expect_status 0 sp-fetch tracks <plays.ndjson
expect_eq ids "$(sort want)" "$(jq -r .data.id out | sort)"
expect_eq kinds track/tracks "$(jq -r '.kind + "/" + .source' out | sort -u)"
expect_eq 'single gets' 3 "$(sim_count GET '/tracks/*')"
mv out fetched
sp-stage tracks fetched >staged || fail "sp-stage tracks rejected the records"
grep -q '^tracks/dt=' staged || fail "no tracks object staged"
# Cached: nothing fetched the second time.
sim_ctl DELETE log >/dev/null
expect_status 0 sp-fetch tracks <plays.ndjson
expect_eq 'nothing fetched' '' "$(sim_log)"
