# 5xx until the retries are spent: exit 3 with the failing call named;
# the created playlist's id is kept, so the rerun fills the same playlist.
# The JSPF, M3U and CSV files are written all the same, as when not
# logged in.
. "$SP_ROOT/tests/lib/lib.sh"
. "$SP_ROOT/tests/sp-publish/lib.bash"
pub_start
pub_recs 3 >recs.ndjson
sim_fault '{"path": "/playlists/*/items", "method": "PUT", "status": 503, "count": 5}'

expect_status 3 sp-publish --out pl recs.ndjson
id=$(pub_id)
expect_err "sp-publish: PUT /playlists/$id/items: HTTP 503 after 5 attempts"
expect_eq 'csv rows' 4 "$(wc -l <pl.csv 2>/dev/null)"
for f in pl.jspf pl.m3u; do [ -s "$f" ] || fail "$f not written after exit 3"; done
rm -f pl.*
mv "$XDG_CONFIG_HOME/sp/tokens.json" tokens.json
expect_status 1 sp-publish --out pl recs.ndjson
expect_grep '^sp-publish: not logged in' err
expect_eq 'csv rows, not logged in' 4 "$(wc -l <pl.csv 2>/dev/null)"
mv tokens.json "$XDG_CONFIG_HOME/sp/tokens.json"
expect_status 0 sp-publish --out pl recs.ndjson
expect_eq "stored id" "$id" "$(pub_id)"
expect_eq "playlists created" 1 "$(pub_named 'sp: new releases for you')"
jq -r .track_id recs.ndjson >want
pub_items "$id" >got
expect_file want got
