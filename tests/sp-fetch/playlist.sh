# playlist ID writes every item of an owned playlist with playlist_id and
# position; an "Invalid limit" 400 halves the page size (50 -> 25 -> 12).
. "$SP_ROOT/tests/lib/lib.sh"
. "$SP_ROOT/tests/lib/sim.sh"
start_sim --kind --playlist-limit-max 20
sim_tokens
pl=$(sim_ctl GET state | jq -r '.playlists[] | select(.owner_id == "listener") | .id')
expect_status 0 sp-fetch playlist "spotify:playlist:$pl"
expect_eq records 120 "$(wc -l <out)"
expect_eq positions "$(seq 0 119 | paste -sd,)" "$(jq -r .position out | paste -sd,)"
expect_eq playlist_id "$pl" "$(jq -r .playlist_id out | sort -u)"
expect_eq kinds playlist_item/playlist "$(jq -r '.kind + "/" + .source' out | sort -u)"
expect_eq items "$(sim_ctl GET state | jq -r --arg pl "$pl" '.playlists[] | select(.id == $pl) | .items[].track_id' | paste -sd,)" \
	"$(jq -r .data.item.id out | paste -sd,)"
expect_eq limits '50 25 12 12 12 12 12 12 12 12 12 12' \
	"$(sim_log | jq -r 'select(.path | endswith("/items")) | .query | capture("limit=(?<l>[0-9]+)").l' | paste -sd' ')"
