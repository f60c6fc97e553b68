# The simulator's answers have the keys and value types of real recorded
# Spotify responses (../shared/data/spotify-api-fixtures), minus the fields
# removed in 2026 and with playlist track->item, tracks->items.
. "$SP_ROOT/tests/lib/lib.sh"
. "$SP_ROOT/tests/lib/sim.sh"
need_data spotify-api-fixtures
FX=$SP_DATA/spotify-api-fixtures
PHP=$FX/jwilsson-spotify-web-api-php
GO=$FX/zmb3-spotify
JAVA=$FX/spotify-web-api-java/data
start_sim --enable-batch

api() {	# api METHOD PATH [JSON] > file
	curl -sS -X "$1" -H "Authorization: Bearer $SIM_TOKEN" ${3:+-H 'Content-Type: application/json' --data-binary "$3"} "$SIM_URL/v1$2"
}
api GET /me/player/recently-played?limit=5 >rp.json
api GET /me/tracks?limit=5 >saved.json
api GET /me/playlists >playlists.json
pl=$(jq -r '.items[0].id' playlists.json)
api GET "/playlists/$pl/items?limit=5" >items.json
artist=$(jq -r '.items[0].track.artists[0].id' rp.json)
album=$(jq -r '.items[0].track.album.id' rp.json)
track=$(jq -r '.items[0].track.id' rp.json)
api GET "/artists/$artist" >artist.json
api GET "/albums/$album" >album.json
api GET "/tracks/$track" >track.json
api GET "/artists/$artist/albums?include_groups=album,single&limit=10" >artist-albums.json
api GET "/search?q=tag:new&type=album&limit=5" >search.json
api GET "/artists?ids=$artist,$artist" >artists.json
api GET "/tracks?ids=$track" >tracks.json
api GET /me >me.json
api POST /me/playlists '{"name":"New","description":"d","public":false}' >created.json
api PUT "/playlists/$pl/items" "{\"uris\":[\"spotify:track:$track\"]}" >snapshot.json

bad=0
check() {	# check FIXTURE SIMFILE
	[ -f "$1" ] || fail "fixture $1 is missing"
	if ! python3 "$SP_ROOT/tests/spotify-sim/shapes.py" fixture "$1" "$2" >diff.txt; then
		echo "--- $2 vs $1:" >&2
		cat diff.txt >&2
		bad=1
	fi
}
check "$PHP/recently-played.json" rp.json
check "$GO/player_recently_played.txt" rp.json
check "$JAVA/player/GetCurrentUsersRecentlyPlayedTracksRequest.json" rp.json
check "$PHP/user-tracks.json" saved.json
check "$GO/current_users_tracks.txt" saved.json
check "$JAVA/library/GetUsersSavedTracksRequest.json" saved.json
check "$PHP/my-playlists.json" playlists.json
check "$GO/current_users_playlists.txt" playlists.json
check "$PHP/user-playlist-tracks.json" items.json
check "$GO/playlist_items_tracks.json" items.json
check "$PHP/artist.json" artist.json
check "$GO/find_artist.txt" artist.json
check "$PHP/album.json" album.json
check "$GO/find_album.txt" album.json
check "$PHP/track.json" track.json
check "$GO/find_track.txt" track.json
check "$PHP/artist-albums.json" artist-albums.json
check "$JAVA/artists/GetArtistsAlbumsRequest.json" artist-albums.json
check "$PHP/search-album.json" search.json
check "$PHP/artists.json" artists.json
check "$PHP/tracks.json" tracks.json
check "$PHP/snapshot-id.json" snapshot.json
check "$JAVA/playlists/CreatePlaylistRequest.json" created.json
[ "$bad" = 0 ] || fail "the simulator's shapes differ from the recordings"
# The checker itself must catch a missing member, a wrong type and a
# removed field.
jq 'del(.id) | .name = [] | .popularity = 3' artist.json >bad.json
python3 "$SP_ROOT/tests/spotify-sim/shapes.py" fixture "$PHP/artist.json" bad.json >diff.txt &&
	fail "the checker accepted a bad artist"
expect_grep '^\.id: missing in the simulator' diff.txt
expect_grep '^\.name: string in the fixture, array in the simulator' diff.txt
expect_grep '^\.popularity: a removed field is present' diff.txt
