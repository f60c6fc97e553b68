# A local file in the playlist (spotify:local: URI, no id) never stops
# sp-publish: the playlist's items are sp's, replaced each week, and no
# write ever names a local file (the API refuses them: the simulator
# answers 400), so local files added by hand are dropped, listed among
# the removed by their names.
. "$SP_ROOT/tests/lib/lib.sh"
. "$SP_ROOT/tests/sp-publish/lib.bash"
pub_start --local-share 0.3
inbox=$(jq -r '.playlists[] | select(.name == "Inbox") | .id' state.json)
nlocal=$(jq --arg id "$inbox" '[.playlists[] | select(.id == $id) | .items[] | select(.local != null)] | length' state.json)
[ "$nlocal" -ge 2 ] || fail "the Inbox should hold local files, has $nlocal"
old=$(jq --arg id "$inbox" '.playlists[] | select(.id == $id) | .items | length' state.json)
pub_recs 4 >recs.ndjson

expect_status 0 sp-publish --name Inbox --out pl recs.ndjson
kept=$(jq -r --arg id "$inbox" '.playlists[] | select(.id == $id) | .items[].track_id // empty' state.json |
    grep -cxFf <(jq -r .track_id recs.ndjson))
expect_eq 'header' "playlist 'Inbox' (spotify:playlist:$inbox): 4 tracks; $((4 - kept)) added, $((old - kept)) removed, $kept kept" "$(head -n 1 out)"
jq -r .track_id recs.ndjson >want
pub_items "$inbox" >got
expect_file want got
expect_eq 'no write refused' '' "$(sim_log | jq -r 'select(.status >= 400) | "\(.method) \(.path) \(.status)"')"
# Each local file removed is listed by its title and artist, not its URI.
jq -r --arg id "$inbox" '.local_tracks as $l | .playlists[] | select(.id == $id) | .items[] |
    select(.local != null) | "    - \($l[.local].title) by \($l[.local].artist)"' state.json | sort >want.removed
grep -F -x -f want.removed out | sort >got.removed
expect_file want.removed got.removed
grep -q '^    - spotify:local:' out && fail "a local file listed by its URI"

# The rerun finds the items as wanted: nothing written.
sim_ctl DELETE log >/dev/null
expect_status 0 sp-publish --name Inbox --out pl recs.ndjson
expect_eq 'rerun writes' '' "$(pub_writes | grep /items)"
