# releases follows an album's tracks.next: a 60-track album arrives whole.
. "$SP_ROOT/tests/lib/lib.sh"
. "$SP_ROOT/tests/lib/sim.sh"
start_sim --artists 3 --albums-per-artist 1 --tracks-per-album 60 --new-releases 3 --plays 10
sim_tokens
sim_ctl GET state >state.json
big=$(jq -r '.albums[] | select(.release_date >= "2026-11-20" and .total_tracks == 60) | .id' state.json)
[ -n "$big" ] || fail "the generated state has no 60-track release"
# The listener's artists, not the world's (a real catalogue's hundreds of
# artists would spend minutes in the rate window, which is not the point).
jq -r '.artists[] | select((.world or .various) | not) | .id' state.json >artists
expect_status 0 sp-fetch releases --now 2026-11-27 <artists
expect_eq tracks 60 "$(jq -r --arg a "$big" 'select(.kind == "track" and .data.album.id == $a) | .data.id' out | sort -u | wc -l)"
expect_eq 'track numbers' "$(seq 1 60 | paste -sd,)" "$(jq -r --arg a "$big" 'select(.kind == "track" and .data.album.id == $a) | .data.track_number' out | paste -sd,)"
expect_eq 'second page' 1 "$(sim_count GET "/albums/$big/tracks")"
