# 5xx until the retries are spent: exit 3 with the failing call named;
# the created playlist's id is kept, so the rerun fills the same playlist.
. "$SP_ROOT/tests/lib/lib.sh"
. "$SP_ROOT/tests/sp-publish/lib.bash"
pub_start
pub_recs 3 >recs.ndjson
sim_fault '{"path": "/playlists/*/items", "method": "PUT", "status": 503, "count": 5}'

expect_status 3 sp-publish --out pl recs.ndjson
id=$(pub_id)
expect_err "sp-publish: PUT /playlists/$id/items: HTTP 503 after 5 attempts"
expect_status 0 sp-publish --out pl recs.ndjson
expect_eq "stored id" "$id" "$(pub_id)"
expect_eq "playlists created" 1 "$(pub_named 'sp: new releases for you')"
jq -r .track_id recs.ndjson >want
pub_items "$id" >got
expect_file want got
