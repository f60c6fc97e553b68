# What Development-Mode apps lost answers 403 or 404 with Spotify's error
# shape; the batch gets answer only with --enable-batch (or /_sim/config).
. "$SP_ROOT/tests/lib/lib.sh"
. "$SP_ROOT/tests/lib/sim.sh"
start_sim
code() {	# code PATH: the status of GET /v1PATH
	curl -sS -o body.json -w '%{http_code}' -H "Authorization: Bearer $SIM_TOKEN" "$SIM_URL/v1$1"
}
track=$(sim_ctl GET state | jq -r '.tracks[0].id')
artist=$(sim_ctl GET state | jq -r '.artists[0].id')
expect_eq audio-features 403 "$(code "/audio-features/$track")"
expect_eq 'error body' '{"error":{"status":403,"message":"Forbidden"}}' "$(jq -c . body.json)"
expect_eq recommendations 403 "$(code "/recommendations?seed_tracks=$track")"
expect_eq new-releases 403 "$(code /browse/new-releases)"
expect_eq top-tracks 403 "$(code "/artists/$artist/top-tracks")"
expect_eq related-artists 404 "$(code "/artists/$artist/related-artists")"
expect_eq 'users playlists' 403 "$(code /users/listener/playlists)"
expect_eq 'playlist tracks' 403 "$(code "/playlists/$(sim_ctl GET state | jq -r '.playlists[0].id')/tracks")"
expect_eq 'batch tracks' 403 "$(code "/tracks?ids=$track")"
expect_eq 'batch artists' 403 "$(code "/artists?ids=$artist")"
expect_eq 'batch albums' 403 "$(code "/albums?ids=x")"
sim_ctl POST config '{"batch":true}' >/dev/null
expect_eq 'batch artists enabled' 200 "$(code "/artists?ids=$artist,$artist")"
expect_eq 'batch size' 2 "$(jq '.artists | length' body.json)"
# Removed fields are absent everywhere; ISRC is present.
expect_eq track 200 "$(code "/tracks/$track")"
expect_eq 'removed track fields' '[]' "$(jq -c '[paths | .[-1] | select(. == "popularity" or . == "available_markets" or . == "linked_from" or . == "label" or . == "album_group" or . == "followers")]' body.json)"
expect_eq isrc string "$(jq -r '.external_ids.isrc | type' body.json)"
expect_eq artist 200 "$(code "/artists/$artist")"
expect_eq 'artist keys' '["external_urls","genres","href","id","images","name","type","uri"]' "$(jq -c 'keys' body.json)"
