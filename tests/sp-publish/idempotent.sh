# Publishing the same recommendations twice: the same single playlist,
# and the second run writes nothing, whether the items come back under
# "item" (2026) or "track" (before).
. "$SP_ROOT/tests/lib/lib.sh"
. "$SP_ROOT/tests/sp-publish/lib.bash"
pub_start
pub_recs 130 >recs.ndjson
expect_status 0 sp-publish --out pl recs.ndjson
id=$(pub_id)
cp pl.jspf first.jspf
sim_ctl DELETE log >/dev/null
sim_ctl POST config '{"item_field": "track"}' >/dev/null

expect_status 0 sp-publish --out pl recs.ndjson
expect_eq "header" "playlist 'sp: new releases for you' (spotify:playlist:$id): 130 tracks; 0 added, 0 removed, 130 kept" "$(head -n 1 out)"
expect_eq "writes" "" "$(pub_writes)"
expect_eq "stored id" "$id" "$(pub_id)"
expect_eq "playlists named" 1 "$(pub_named 'sp: new releases for you')"
expect_file first.jspf pl.jspf

# Without the state file, the playlist is found by name: still one.
rm home/state/publish.json
expect_status 0 sp-publish --out pl recs.ndjson
expect_eq "stored id" "$id" "$(pub_id)"
expect_eq "playlists named" 1 "$(pub_named 'sp: new releases for you')"
