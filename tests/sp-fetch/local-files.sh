# Local files in recently-played and in an owned playlist come through as
# they are (is_local, no ids) and stage without a reject, beside the others.
. "$SP_ROOT/tests/lib/lib.sh"
. "$SP_ROOT/tests/lib/sim.sh"
export SP_HOME=$PWD/home
start_sim --seed 5 --artists 15 --plays 100 --local-share 0.1
sim_tokens
sim_ctl POST plays '{"count":3,"local":true}' >/dev/null
expect_status 0 sp-fetch recently-played
cp out plays.ndjson
nloc=$(jq -s '[.[] | select(.data.track.is_local)] | length' plays.ndjson)
[ "$nloc" -ge 3 ] || fail "$nloc local plays fetched, expected at least 3"
expect_eq 'local ids' null "$(jq -s -c '[.[] | select(.data.track.is_local) | .data.track.id] | unique | .[0]' plays.ndjson)"
expect_status 0 sp-stage plays plays.ndjson
expect_eq 'stage stderr' '' "$(cat err)"
expect_eq 'staged' "$(wc -l <plays.ndjson)" "$(gzip -dc "home/stage/$(cat out)" | wc -l)"
inbox=$(sim_ctl GET state | jq -r '.playlists[] | select(.name == "Inbox") | .id')
expect_status 0 sp-fetch playlist "$inbox"
cp out pl.ndjson
[ "$(jq -s '[.[] | select(.data.is_local and .data.item.id == null)] | length' pl.ndjson)" -ge 1 ] ||
    fail "no local file among the playlist's items"
expect_status 0 sp-stage playlists pl.ndjson
expect_eq 'stage stderr' '' "$(cat err)"
# The artists of plays and playlist: local files name none, and none is asked for.
cat plays.ndjson pl.ndjson | sp-fetch artists >artists.ndjson 2>artists.err || fail "sp-fetch artists: $(cat artists.err)"
expect_eq 'no null artist requested' 0 "$(sim_count GET '/artists/null')"
