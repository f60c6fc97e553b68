# artists fetches each artist id of the input once (batch refused: single
# gets), caches the records, and a second run fetches nothing but writes
# the same records from the cache; --new-only writes only new ones.
. "$SP_ROOT/tests/lib/lib.sh"
. "$SP_ROOT/tests/lib/sim.sh"
start_sim --kind --plays 60
sim_tokens
sp-fetch recently-played >plays.ndjson 2>/dev/null || fail "recently-played failed"
jq -r '[.data.track.artists[].id, .data.track.album.artists[].id] | .[]' plays.ndjson | sort -u >want
expect_status 0 sp-fetch artists <plays.ndjson
mv out first
expect_eq ids "$(cat want)" "$(jq -r .data.id first | sort)"
expect_eq kinds artist/artists "$(jq -r '.kind + "/" + .source' first | sort -u)"
expect_eq 'one batch try' 1 "$(sim_count GET /artists)"
expect_eq 'single gets' "$(wc -l <want)" "$(sim_count GET '/artists/*')"
sim_ctl DELETE log >/dev/null
expect_status 0 sp-fetch artists <plays.ndjson
expect_eq 'nothing fetched' '' "$(sim_log)"
expect_file first out
expect_status 0 sp-fetch --new-only artists <plays.ndjson
expect_eq 'new only' 0 "$(wc -l <out)"
