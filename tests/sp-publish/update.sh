# An existing playlist of that name (found by name the first time, by its
# stored id after) has its items replaced, never a second playlist made.
. "$SP_ROOT/tests/lib/lib.sh"
. "$SP_ROOT/tests/sp-publish/lib.bash"
pub_start
inbox=$(jq -r '.playlists[] | select(.name == "Inbox") | .id' state.json)
old=$(pub_items "$inbox" | wc -l)
[ "$old" -gt 100 ] || fail "the Inbox should start with over 100 items, has $old"
pub_recs 4 >recs.ndjson

expect_status 0 sp-publish --name Inbox --out pl recs.ndjson
kept=$(jq -r --arg id "$inbox" '.playlists[] | select(.id == $id) | .items[].track_id' state.json |
    grep -cxFf <(jq -r .track_id recs.ndjson))
expect_eq "header" "playlist 'Inbox' (spotify:playlist:$inbox): 4 tracks; $((4 - kept)) added, $((old - kept)) removed, $kept kept" "$(head -n 1 out)"
jq -r .track_id recs.ndjson >want
pub_items "$inbox" >got
expect_file want got
expect_eq "playlists named Inbox" 1 "$(pub_named Inbox)"
expect_eq "stored id" "$inbox" "$(jq -r .playlists.Inbox home/state/publish.json)"
# The Inbox had no description: sp-publish sets it (PUT /playlists/ID).
expect_eq "description set" 1 "$(sim_count PUT "/playlists/$inbox")"
expect_eq description "New releases for you, $(date -u +%F): 4 tracks picked by cosine for 4 tracks you played. Made by sp." \
    "$(sim_ctl GET state | jq -r --arg id "$inbox" '.playlists[] | select(.id == $id) | .description')"

# A new week: two tracks stay, three are new; found by the stored id,
# without listing /me/playlists again.
sim_ctl DELETE log >/dev/null
pub_recs 5 2 >recs2.ndjson
expect_status 0 sp-publish --name Inbox --out pl recs2.ndjson
expect_eq "header" "playlist 'Inbox' (spotify:playlist:$inbox): 5 tracks; 3 added, 2 removed, 2 kept" "$(head -n 1 out)"
expect_eq "listing /me/playlists" 0 "$(sim_count GET /me/playlists)"
jq -r .track_id recs2.ndjson >want
pub_items "$inbox" >got
expect_file want got
expect_grep '^    - ' out
