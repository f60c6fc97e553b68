# An answer slower than SP_HTTP_TIMEOUT is abandoned and retried.
. "$SP_ROOT/tests/lib/lib.sh"
. "$SP_ROOT/tests/lib/sim.sh"
start_sim --plays 20 --faults '{"path":"/me/player/recently-played","delay":3}'
sim_tokens
start=$(date +%s%N)
SP_HTTP_TIMEOUT=0.5 expect_status 0 sp-fetch recently-played
ms=$(( ($(date +%s%N) - start) / 1000000 ))
[ "$ms" -lt 2500 ] || fail "the slow answer was waited for (${ms} ms)"
expect_eq requests 2 "$(sim_count GET /me/player/recently-played)"
[ "$(wc -l <out)" -gt 0 ] || fail "no plays"
