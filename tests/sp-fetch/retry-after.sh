# A 429 with Retry-After under the cap is waited out and the request is
# repeated: all pages arrive, the throttled page is fetched twice.
. "$SP_ROOT/tests/lib/lib.sh"
. "$SP_ROOT/tests/lib/sim.sh"
start_sim --saved 120 --faults '{"path":"/me/tracks","status":429,"retry_after":1,"after":1}'
sim_tokens
start=$(date +%s%N)
expect_status 0 sp-fetch saved
ms=$(( ($(date +%s%N) - start) / 1000000 ))
[ "$ms" -ge 950 ] || fail "Retry-After was not honoured (${ms} ms)"
expect_eq records 120 "$(wc -l <out)"
expect_eq unique 120 "$(jq -r .data.track.id out | sort -u | wc -l)"
expect_eq requests '200 429 200 200' "$(sim_log | jq -r 'select(.path == "/me/tracks") | .status' | paste -sd' ')"
