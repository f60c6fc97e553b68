# With no playlist of its name, sp-publish creates one (POST /me/playlists),
# fills it in rank order, stores its id and lists it with the reasons.
. "$SP_ROOT/tests/lib/lib.sh"
. "$SP_ROOT/tests/sp-publish/lib.bash"
pub_start
pub_recs 5 >recs.ndjson

expect_status 0 sp-publish --out files/pl recs.ndjson
id=$(pub_id)
[ -n "$id" ] && [ "$id" != null ] || fail "no playlist id stored"
expect_eq "playlists named" 1 "$(pub_named 'sp: new releases for you')"
jq -r .track_id recs.ndjson >want
pub_items "$id" >got
expect_file want got
expect_eq "writes" "POST /me/playlists 201
PUT /playlists/$id/items 200" "$(pub_writes)"
expect_eq "header" "playlist 'sp: new releases for you' (spotify:playlist:$id), created: 5 tracks; 5 added, 0 removed, 0 kept" "$(head -n 1 out)"
# Each track is listed with its reason, named from the catalogue.
t1=$(jq -r '.tracks[0].name' state.json)
b1=$(jq -r '.tracks[-1].name' state.json)
expect_grep "^  1 + $t1 by " out
expect_grep "^      because you played $b1 by " out
# The description says the date, the method and the counts.
desc=$(sim_ctl GET state | jq -r --arg id "$id" '.playlists[] | select(.id == $id) | .description')
expect_eq description "New releases for you, $(date -u +%F): 5 tracks picked by cosine for 5 tracks you played. Made by sp." "$desc"
for f in files/pl.jspf files/pl.m3u files/pl.csv; do [ -s "$f" ] || fail "$f not written"; done
