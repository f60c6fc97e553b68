# A stored id whose playlist is gone: a warning, then the playlist is
# looked up by name (and created when there is none).
. "$SP_ROOT/tests/lib/lib.sh"
. "$SP_ROOT/tests/sp-publish/lib.bash"
pub_start
pub_recs 2 >recs.ndjson
mkdir -p home/state
echo '{"playlists":{"sp: new releases for you":"0000000000000000000000"}}' >home/state/publish.json
expect_status 0 sp-publish --out pl recs.ndjson
expect_err "sp-publish: the stored playlist 0000000000000000000000 is gone; looking for 'sp: new releases for you' by name"
id=$(pub_id)
[ "$id" != 0000000000000000000000 ] || fail "the stale id was kept"
expect_eq "playlists named" 1 "$(pub_named 'sp: new releases for you')"
