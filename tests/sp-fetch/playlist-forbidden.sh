# Someone else's playlist has no readable items: exit 3 with a hint.
. "$SP_ROOT/tests/lib/lib.sh"
. "$SP_ROOT/tests/lib/sim.sh"
start_sim
sim_tokens
pl=$(sim_ctl GET state | jq -r '.playlists[] | select(.owner_id != "listener" and (.collaborative | not)) | .id')
expect_status 3 sp-fetch playlist "$pl"
expect_err "sp-fetch: hint: items are only readable for playlists you own or collaborate on"
expect_eq error "sp-fetch: GET /playlists/$pl/items?limit=50&offset=0: HTTP 403: Forbidden" "$(sed -n 2p err)"
expect_status 2 sp-fetch playlist 'bad id!'
expect_err "sp-fetch: not a playlist id: 'bad id!'"
