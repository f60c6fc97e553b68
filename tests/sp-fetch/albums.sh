# albums fetches each album of the input once; a batch endpoint that
# answers 404 falls back to single gets.
. "$SP_ROOT/tests/lib/lib.sh"
. "$SP_ROOT/tests/lib/sim.sh"
start_sim --kind --plays 40 --faults '{"path":"/albums","status":404,"count":-1}'
sim_tokens
sp-fetch recently-played >plays.ndjson 2>/dev/null || fail "recently-played failed"
n=$(jq -r .data.track.album.id plays.ndjson | sort -u | wc -l)
expect_status 0 sp-fetch albums <plays.ndjson
expect_eq records "$n" "$(wc -l <out)"
expect_eq kinds album/albums "$(jq -r '.kind + "/" + .source' out | sort -u)"
expect_eq 'single gets' "$n" "$(sim_count GET '/albums/*')"
expect_eq 'full albums' true "$(jq -s 'all(.data.tracks.items | length > 0)' out)"
