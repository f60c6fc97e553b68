# A 429 with Retry-After on the PUT is waited for and the PUT retried.
. "$SP_ROOT/tests/lib/lib.sh"
. "$SP_ROOT/tests/sp-publish/lib.bash"
pub_start
pub_recs 3 >recs.ndjson
sim_fault '{"path": "/playlists/*/items", "method": "PUT", "status": 429, "retry_after": 1}'

start=$(date +%s%N)
expect_status 0 sp-publish --out pl recs.ndjson
ms=$(( ($(date +%s%N) - start) / 1000000 ))
[ "$ms" -ge 1000 ] || fail "Retry-After 1 not honoured: done in $ms ms"
id=$(pub_id)
expect_eq "writes" "POST /me/playlists 201
PUT /playlists/$id/items 429
PUT /playlists/$id/items 200" "$(pub_writes)"
jq -r .track_id recs.ndjson >want
pub_items "$id" >got
expect_file want got
