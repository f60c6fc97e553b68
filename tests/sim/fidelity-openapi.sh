# The simulator's answers validate against the schemas of the Web API's
# OpenAPI description (2026.5.31, ../shared/data/spotify-openapi): types,
# enums, required members (deprecated ones excepted), no invented members.
. "$SP_ROOT/tests/lib/lib.sh"
. "$SP_ROOT/tests/lib/sim.sh"
need_data spotify-openapi
python3 -c 'import yaml' 2>/dev/null || skip "python3-yaml is not installed"
SPEC=$SP_DATA/spotify-openapi/fixed-spotify-open-api.yml
start_sim --enable-batch

api() {	# api METHOD PATH [JSON] > file
	curl -sS -X "$1" -H "Authorization: Bearer $SIM_TOKEN" ${3:+-H 'Content-Type: application/json' --data-binary "$3"} "$SIM_URL/v1$2"
}
api GET /me/player/recently-played?limit=5 >rp.json
api GET /me/tracks?limit=5 >saved.json
api GET /me/playlists >playlists.json
pl=$(jq -r '.items[0].id' playlists.json)
api GET "/playlists/$pl" >playlist.json
api GET "/playlists/$pl/items?limit=5" >items.json
artist=$(jq -r '.items[0].track.artists[0].id' rp.json)
album=$(jq -r '.items[0].track.album.id' rp.json)
track=$(jq -r '.items[0].track.id' rp.json)
api GET "/artists/$artist" >artist.json
api GET "/albums/$album" >album.json
api GET "/albums/$album/tracks?limit=2" >album-tracks.json
api GET "/tracks/$track" >track.json
api GET "/artists/$artist/albums?include_groups=album,single&limit=10" >artist-albums.json
api GET "/search?q=tag:new&type=album&limit=5" | jq .albums >search.json
api GET /me >me.json
api POST /me/playlists '{"name":"New","description":"d","public":false}' >created.json

bad=0
check() {	# check SCHEMA SIMFILE
	if ! python3 "$SP_ROOT/tests/spotify-sim/shapes.py" openapi "$SPEC" "$1" "$2" >diff.txt; then
		echo "--- $2 against $1:" >&2
		cat diff.txt >&2
		bad=1
	fi
}
check CursorPagingPlayHistoryObject rp.json
check PagingSavedTrackObject saved.json
check PagingPlaylistObject playlists.json
check PlaylistObject playlist.json
check PagingPlaylistTrackObject items.json
check ArtistObject artist.json
check AlbumObject album.json
check PagingSimplifiedTrackObject album-tracks.json
check TrackObject track.json
check PagingArtistDiscographyAlbumObject artist-albums.json
check PagingSimplifiedAlbumObject search.json
check PrivateUserObject me.json
check PlaylistObject created.json
[ "$bad" = 0 ] || fail "the simulator's answers do not fit the OpenAPI schemas"
# The checker itself must catch a wrong type and an invented member.
jq '.name = 5 | .invented = 1' artist.json >bad.json
python3 "$SP_ROOT/tests/spotify-sim/shapes.py" openapi "$SPEC" ArtistObject bad.json >diff.txt && fail "the checker accepted a bad artist"
expect_grep 'ArtistObject.name: expected string, got number' diff.txt
expect_grep 'ArtistObject.invented: not in the schema' diff.txt
