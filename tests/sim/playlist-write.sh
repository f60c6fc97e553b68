# POST /me/playlists creates, PUT .../items replaces (empty clears), POST
# .../items inserts at a position; at most 100 URIs; the state can be
# dumped to a file for inspection.
. "$SP_ROOT/tests/lib/lib.sh"
. "$SP_ROOT/tests/lib/sim.sh"
start_sim --dump state.json
api() {	# api METHOD PATH JSON: status, body in body.json
	curl -sS -o body.json -w '%{http_code}' -X "$1" -H "Authorization: Bearer $SIM_TOKEN" -H 'Content-Type: application/json' --data-binary "$3" "$SIM_URL/v1$2"
}
t=$(sim_ctl GET state | jq -r '[.tracks[:3][] | "spotify:track:" + .id]')
expect_eq create 201 "$(api POST /me/playlists '{"name":"sp picks","description":"weekly","public":false}')"
pl=$(jq -r .id body.json)
expect_eq owner listener "$(jq -r .owner.id body.json)"
expect_eq replace 200 "$(api PUT "/playlists/$pl/items" "{\"uris\":$(echo "$t" | jq -c '.[:2]')}")"
expect_eq snapshot snap2 "$(jq -r .snapshot_id body.json)"
expect_eq insert 201 "$(api POST "/playlists/$pl/items" "{\"uris\":$(echo "$t" | jq -c '.[2:]'),\"position\":0}")"
expect_eq 'too many' 400 "$(api PUT "/playlists/$pl/items" "{\"uris\":$(jq -nc '[range(101) | "spotify:track:x"]')}")"
sim_ctl POST dump >/dev/null
expect_eq 'dumped order' "$(echo "$t" | jq -c '[.[2], .[0], .[1]] | map(sub("spotify:track:"; ""))')" \
	"$(jq -c --arg pl "$pl" '.playlists[] | select(.id == $pl) | [.items[].track_id]' state.json)"
expect_eq clear 200 "$(api PUT "/playlists/$pl/items" '{"uris":[]}')"
foreign=$(sim_ctl GET state | jq -r '.playlists[] | select(.owner_id != "listener" and (.collaborative | not)) | .id')
expect_eq 'not mine' 403 "$(api PUT "/playlists/$foreign/items" "{\"uris\":[]}")"
# Change details: the owner's playlist only.
expect_eq 'details' 200 "$(api PUT "/playlists/$pl" '{"description":"new words","public":false}')"
expect_eq 'description' 'new words false' "$(sim_ctl GET state | jq -r --arg pl "$pl" '.playlists[] | select(.id == $pl) | "\(.description) \(.public)"')"
expect_eq 'details, bad type' 400 "$(api PUT "/playlists/$pl" '{"public":"no"}')"
expect_eq 'details, not mine' 403 "$(api PUT "/playlists/$foreign" '{"description":"x"}')"
# The state is dumped again when the simulator stops.
stop_sim
expect_eq 'dumped at exit' 0 "$(jq --arg pl "$pl" '.playlists[] | select(.id == $pl) | .items | length' state.json)"
