# --dry-run shows what would change (added, removed, kept) and writes the
# files, but changes nothing on Spotify.
. "$SP_ROOT/tests/lib/lib.sh"
. "$SP_ROOT/tests/sp-publish/lib.bash"
pub_start
pub_recs 4 >recs.ndjson
# Nothing yet: the playlist would be created.
expect_status 0 sp-publish --dry-run --out a/pl recs.ndjson
expect_eq "header" "dry run: playlist 'sp: new releases for you' (to be created): 4 tracks; 4 to add, 0 to remove, 0 kept" "$(head -n 1 out)"
expect_eq "writes" "" "$(pub_writes)"
[ -s a/pl.jspf ] && [ -s a/pl.m3u ] && [ -s a/pl.csv ] || fail "the files were not written"
[ ! -e home/state/publish.json ] || fail "a dry run stored a playlist id"

expect_status 0 sp-publish --out pl recs.ndjson
id=$(pub_id)
sim_ctl DELETE log >/dev/null
pub_recs 4 2 >recs2.ndjson
expect_status 0 sp-publish --dry-run --out b/pl recs2.ndjson
expect_eq "header" "dry run: playlist 'sp: new releases for you' ($id): 4 tracks; 2 to add, 2 to remove, 2 kept" "$(head -n 1 out)"
expect_eq "marks" "  1   
  2   
  3 + 
  4 + 
    - 
    - " "$(grep -v '^      because' out | tail -n +2 | cut -c1-6)"
expect_eq "writes" "" "$(pub_writes)"
jq -r .track_id recs.ndjson >want
pub_items "$id" >got
expect_file want got
