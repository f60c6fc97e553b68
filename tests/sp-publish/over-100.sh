# 250 tracks: one PUT of the first 100, then POSTs of 100 and 50 at their
# positions; the playlist read back (50 a page) is in rank order.
. "$SP_ROOT/tests/lib/lib.sh"
. "$SP_ROOT/tests/sp-publish/lib.bash"
pub_start
pub_recs 250 >recs.ndjson
[ "$(wc -l <recs.ndjson)" = 250 ] || fail "the catalogue is too small"

expect_status 0 sp-publish --out pl recs.ndjson
id=$(pub_id)
expect_eq "writes" "POST /me/playlists 201
PUT /playlists/$id/items 200
POST /playlists/$id/items 201
POST /playlists/$id/items 201" "$(pub_writes)"
jq -r .track_id recs.ndjson >want
pub_items "$id" >got
expect_file want got
# Read back: 5 pages of 50 (a new playlist is not read before writing).
expect_eq "item pages" 5 "$(sim_count GET "/playlists/$id/items")"
expect_eq "csv rows" 251 "$(wc -l <pl.csv)"
