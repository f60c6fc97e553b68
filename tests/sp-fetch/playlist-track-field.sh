# Items that still carry "track" (not "item") are written raw; a
# collaborative playlist is readable too.
. "$SP_ROOT/tests/lib/lib.sh"
. "$SP_ROOT/tests/lib/sim.sh"
start_sim --item-field track
sim_tokens
pl=$(sim_ctl GET state | jq -r '.playlists[] | select(.collaborative) | .id')
expect_status 0 sp-fetch playlist "https://open.spotify.com/playlist/$pl?si=abc"
expect_eq records 7 "$(wc -l <out)"
expect_eq 'track field' true "$(jq -s 'all(.data | has("track") and (has("item") | not))' out)"
