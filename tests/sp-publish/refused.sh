# A track Spotify refuses (taken down after the recommendations were made:
# 400 "Invalid track uri: spotify:track:ID" on the PUT or POST of items) is
# left out with a warning naming it, the rest published, exit 1; a rerun
# does the same without writing more.  The files list every
# recommendation, the refused one too.  Every track refused keeps the
# playlist as it is (exit 1).
. "$SP_ROOT/tests/lib/lib.sh"
. "$SP_ROOT/tests/sp-publish/lib.bash"
pub_start
gone=lG5Ru8o3sjjF4iAO6FGEuR
# recs_with N AT [SKIP]: N recommendations, the one of rank AT a track the
# catalogue no longer has (named by its labels, as sp-cosine --labels does).
recs_with() {
	pub_recs "$1" "${3:-0}" | jq -c --argjson at "$2" --arg id "$gone" \
	    'if .rank == $at then .track_id = $id | .labels = {track_name: "Gone Song", artist_names: ["Nobody"]} else . end'
}
recs_with 25 7 >recs.ndjson
jq -r 'select(.track_id != "'$gone'") | .track_id' recs.ndjson >want

expect_status 1 sp-publish --out pl recs.ndjson
id=$(pub_id)
expect_err "sp-publish: track 'Gone Song by Nobody' ($gone): refused by Spotify (Invalid track uri: spotify:track:$gone); published without it"
expect_eq 'warnings' 1 "$(wc -l <err)"
pub_items "$id" >got
expect_file want got
expect_eq header "playlist 'sp: new releases for you' (spotify:playlist:$id), created: 24 tracks; 24 added, 0 removed, 0 kept; 1 refused by Spotify" "$(head -n 1 out)"
expect_grep "^    ! Gone Song by Nobody ($gone): refused by Spotify$" out
expect_eq 'listed' 24 "$(grep -c '^ *[0-9]* + ' out)"
expect_eq writes "POST /me/playlists 201
PUT /playlists/$id/items 400
PUT /playlists/$id/items 200
PUT /playlists/$id 200" "$(pub_writes)"
desc=$(sim_ctl GET state | jq -r --arg id "$id" '.playlists[] | select(.id == $id) | .description')
expect_grep '24 tracks picked by cosine' <(echo "$desc")
# The files hold the week's recommendations, the refused one too: they
# name it by title and artist, which a player may still find.
expect_eq 'csv rows' 26 "$(wc -l <pl.csv)"
expect_grep "^7,$gone,spotify:track:$gone,Gone Song,Nobody," pl.csv
expect_eq 'jspf tracks' 25 "$(jq '.playlist.track | length' pl.jspf)"
expect_eq 'm3u tracks' 25 "$(grep -c '^https://open.spotify.com/track/' pl.m3u)"

# The rerun: the same refusal, the rest already in place, nothing else written.
sim_ctl DELETE log >/dev/null
expect_status 1 sp-publish --out pl recs.ndjson
expect_err "sp-publish: track 'Gone Song by Nobody' ($gone): refused by Spotify (Invalid track uri: spotify:track:$gone); published without it"
expect_eq 'rerun writes' "PUT /playlists/$id/items 400" "$(pub_writes)"
expect_eq header "playlist 'sp: new releases for you' (spotify:playlist:$id): 24 tracks; 0 added, 0 removed, 24 kept; 1 refused by Spotify" "$(head -n 1 out)"
pub_items "$id" >got
expect_file want got

# Over 100 tracks, refused in the POST of the second hundred: the whole
# list is written again without it.
recs_with 130 110 >big.ndjson
jq -r 'select(.track_id != "'$gone'") | .track_id' big.ndjson >want
sim_ctl DELETE log >/dev/null
expect_status 1 sp-publish --out big big.ndjson
expect_eq writes "PUT /playlists/$id/items 200
POST /playlists/$id/items 400
PUT /playlists/$id/items 200
POST /playlists/$id/items 201
PUT /playlists/$id 200" "$(pub_writes)"
pub_items "$id" >got
expect_file want got

# An answer naming no track ("Payload contains a non-existing ID"): the
# tracks of the refused call Spotify no longer has (GET /tracks/{id}: 404)
# are the ones left out.
recs_with 6 3 10 >other.ndjson
jq -r 'select(.track_id != "'$gone'") | .track_id' other.ndjson >want
sim_fault '{"path": "/playlists/*/items", "method": "PUT", "status": 400, "message": "Payload contains a non-existing ID", "count": 1}'
sim_ctl DELETE log >/dev/null
expect_status 1 sp-publish --out other other.ndjson
expect_err "sp-publish: track 'Gone Song by Nobody' ($gone): refused by Spotify (Payload contains a non-existing ID); published without it"
pub_items "$id" >got
expect_file want got
expect_eq 'lookups' 1 "$(sim_count GET "/tracks/$gone")"
# Such an answer when every track exists is not about a track: exit 3
# with Spotify's own message, the playlist unchanged.
sim_fault '{"path": "/playlists/*/items", "method": "PUT", "status": 400, "message": "Payload contains a non-existing ID", "count": 1}'
pub_recs 4 20 >fine.ndjson
expect_status 3 sp-publish --out fine fine.ndjson
expect_err "sp-publish: PUT /playlists/$id/items: HTTP 400: Payload contains a non-existing ID"
pub_items "$id" >got
expect_file want got
for f in fine.jspf fine.m3u fine.csv; do [ -s "$f" ] || fail "$f not written after exit 3"; done

# Every track refused: the playlist is kept as it is, as for an empty week.
pub_items "$id" >before
printf '%s\n' '{"rank":1,"track_id":"'$gone'","score":0.9,"because":[]}' \
    '{"rank":2,"track_id":"0000000000000000000000","score":0.8,"because":[]}' >none.ndjson
sim_ctl DELETE log >/dev/null
expect_status 1 sp-publish --out none none.ndjson
expect_grep "^sp-publish: track $gone: refused by Spotify (Invalid track uri: spotify:track:$gone); published without it$" err
expect_grep "^sp-publish: track 0000000000000000000000: refused by Spotify" err
expect_eq 'last warning' "sp-publish: Spotify refused every one of the 2 tracks; the playlist is kept as it is" "$(tail -n 1 err)"
expect_eq header "playlist 'sp: new releases for you' (spotify:playlist:$id): kept as it is; 2 tracks refused by Spotify" "$(head -n 1 out)"
expect_eq writes "PUT /playlists/$id/items 400
PUT /playlists/$id/items 400" "$(pub_writes)"
pub_items "$id" >after
expect_file before after
expect_eq 'csv rows' 3 "$(wc -l <none.csv)"
