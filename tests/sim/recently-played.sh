# recently-played: only the last 50 plays longer than 30 s, newest first,
# with after/before cursors in ms and a next link toward older plays.
. "$SP_ROOT/tests/lib/lib.sh"
. "$SP_ROOT/tests/lib/sim.sh"
start_sim --plays 80
get() {
	curl -sS -H "Authorization: Bearer $SIM_TOKEN" "$SIM_URL/v1/me/player/recently-played$1"
}
# What the simulator should answer, from its own state.
sim_ctl GET state | jq -c '[.plays[] | select(.ms_played > 30000) | .played_at] | sort | .[-50:] | reverse' >want.json
get '?limit=50' >p1.json
expect_eq 'all 50' "$(cat want.json)" "$(jq -c '[.items[].played_at]' p1.json)"
expect_eq next null "$(jq -r .next p1.json)"
get '?limit=20' >p2.json
expect_eq 'first 20' "$(jq -c '.[:20]' want.json)" "$(jq -c '[.items[].played_at]' p2.json)"
before=$(jq -r .cursors.before p2.json)
expect_eq 'next link' "$SIM_URL/v1/me/player/recently-played?before=$before&limit=20" "$(jq -r .next p2.json)"
get "?limit=20&before=$before" >p3.json
expect_eq 'next 20' "$(jq -c '.[20:40]' want.json)" "$(jq -c '[.items[].played_at]' p3.json)"
after=$(jq -r .cursors.after p1.json)
get "?limit=50&after=$after" >p4.json
expect_eq 'nothing after the newest' 0 "$(jq '.items | length' p4.json)"
expect_eq 'no cursors' null "$(jq -c .cursors p4.json)"
# A 10 s play is not reported; a full one is.
track=$(jq -r '.items[0].track.id' p1.json)
sim_ctl POST plays "[{\"track_id\":\"$track\",\"ms_played\":10000},{\"track_id\":\"$track\"}]" >/dev/null
get "?limit=50&after=$after" >p5.json
expect_eq 'one new play' 1 "$(jq '.items | length' p5.json)"
