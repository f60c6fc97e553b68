# tracks with malformed ids among good ones (a '/' in the id, a path, a
# short id, an escape) fetches every good one, names each bad id escaped
# with its line, and exits 0: one bad id never blocks the others.
. "$SP_ROOT/tests/lib/lib.sh"
. "$SP_ROOT/tests/lib/sim.sh"
export SP_HOME=$PWD/home
start_sim
sim_tokens
sim_ctl GET state | jq -r '.tracks[:3][].id' >want
{
	jq -c -R '{kind:"play",source:"export",fetched_at:"2026-11-20T00:00:00Z",
	    data:{ts:"2026-11-01T10:00:00Z",ms_played:1000,spotify_track_uri:("spotify:track:" + .)}}' <want
	echo '{"kind":"play","source":"export","data":{"spotify_track_uri":"spotify:track:4uLU6hMCjMI75M1A2tKU/Q"}}'
	echo 'spotify:track:../../etc'
	printf 'spotify:track:\033[31mred\n'
	echo '4uLU6hMCjMI75M1A2tK'
} >in
expect_status 0 sp-fetch tracks <in
expect_eq ids "$(sort want)" "$(jq -r .data.id out | sort)"
expect_eq 'single gets' 3 "$(sim_count GET '/tracks/*')"
cat >want-err <<'END'
sp-fetch: <stdin>:4: not a Spotify track id, skipped: "4uLU6hMCjMI75M1A2tKU/Q"
sp-fetch: <stdin>:5: not a Spotify track id, skipped: "../../etc"
sp-fetch: <stdin>:6: not a Spotify track id, skipped: "\u001b[31mred"
sp-fetch: <stdin>:7: not a Spotify track id, skipped: "4uLU6hMCjMI75M1A2tK"
END
expect_eq stderr "$(cat want-err)" "$(grep 'not a Spotify' err)"
