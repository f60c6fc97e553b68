# saved follows next links through every page of liked tracks.
. "$SP_ROOT/tests/lib/lib.sh"
. "$SP_ROOT/tests/lib/sim.sh"
start_sim --saved 120
sim_tokens
expect_status 0 sp-fetch saved
expect_eq records 120 "$(wc -l <out)"
expect_eq kinds saved_track/saved "$(jq -r '.kind + "/" + .source' out | sort -u)"
expect_eq 'same as the library' "$(sim_ctl GET state | jq -r '.saved[].track_id' | paste -sd,)" "$(jq -r .data.track.id out | paste -sd,)"
expect_eq pages 3 "$(sim_count GET /me/tracks)"
expect_eq 'max pages' 2 "$(sp-fetch --max-pages 2 saved 2>/dev/null | wc -l | awk '{print $1 / 50}')"
