# A 500 on the second chunk's POST is retried; the playlist ends complete,
# each track once.
. "$SP_ROOT/tests/lib/lib.sh"
. "$SP_ROOT/tests/sp-publish/lib.bash"
pub_start
pub_recs 120 >recs.ndjson
sim_fault '{"path": "/playlists/*/items", "method": "POST", "status": 500}'

expect_status 0 sp-publish --out pl recs.ndjson
id=$(pub_id)
expect_eq "writes" "POST /me/playlists 201
PUT /playlists/$id/items 200
POST /playlists/$id/items 500
POST /playlists/$id/items 201" "$(pub_writes)"
jq -r .track_id recs.ndjson >want
pub_items "$id" >got
expect_file want got
