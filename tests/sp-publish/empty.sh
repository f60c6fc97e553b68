# No recommendations never empty the published playlist: an empty file
# (a quiet week), a partial one (a truncated line) or a missing one leave
# its items as they were, say why and exit 1; --allow-empty empties it.
. "$SP_ROOT/tests/lib/lib.sh"
. "$SP_ROOT/tests/sp-publish/lib.bash"
pub_start
pub_recs 5 >recs.ndjson
expect_status 0 sp-publish --out pl recs.ndjson
pid=$(pub_id)
pub_items "$pid" >before
[ "$(wc -l <before)" = 5 ] || fail "the first publish did not write 5 items"
rm -f pl.*

sim_ctl DELETE log >/dev/null
: >empty.ndjson
expect_status 1 sp-publish --out pl empty.ndjson
expect_err "sp-publish: empty.ndjson: no recommendations; the playlist is kept as it is (--allow-empty empties it)"
expect_eq stdout 0 "$(wc -c <out)"
[ ! -e pl.jspf ] || fail "files written for no recommendations"
expect_status 1 sp-publish --dry-run --out pl <empty.ndjson
expect_err "sp-publish: stdin: no recommendations; the playlist is kept as it is (--allow-empty empties it)"
expect_status 1 sp-publish --offline --out pl empty.ndjson
# Recommendations of another user only: none for this one.
pub_recs 2 | jq -c '.user = "someone"' >other.ndjson
expect_status 1 sp-publish --user me --out pl other.ndjson
expect_grep 'no recommendations; the playlist is kept' err
# A partial file: its last line cut short.
head -c $(( $(head -n 1 recs.ndjson | wc -c) + 20 )) recs.ndjson >partial.ndjson
expect_status 1 sp-publish --out pl partial.ndjson
expect_grep "^sp-publish: partial.ndjson:2: invalid JSON" err
expect_status 1 sp-publish --out pl missing.ndjson
expect_grep '^sp-publish: missing.ndjson' err
expect_eq "writes" "" "$(pub_writes)"
pub_items "$pid" >after
expect_file before after

# --allow-empty: the user asked for it.
expect_status 0 sp-publish --allow-empty --out pl empty.ndjson
expect_eq header "playlist 'sp: new releases for you' (spotify:playlist:$pid): 0 tracks; 0 added, 5 removed, 0 kept" "$(head -n 1 out)"
expect_eq items 0 "$(pub_items "$pid" | wc -l)"
