# A connection closed without an answer is retried.
. "$SP_ROOT/tests/lib/lib.sh"
. "$SP_ROOT/tests/lib/sim.sh"
start_sim --plays 20 --faults '{"path":"/me/player/recently-played","drop":true,"count":2}'
sim_tokens
expect_status 0 sp-fetch recently-played
expect_eq requests 'drop drop -' "$(sim_log | jq -r '.fault // "-"' | paste -sd' ')"
[ "$(wc -l <out)" -gt 0 ] || fail "no plays"
# With one attempt only, the drop is the failure reported.
sim_fault '{"path":"/me/tracks","drop":true}'
SP_HTTP_ATTEMPTS=1 expect_status 3 sp-fetch saved
expect_err 'sp-fetch: GET /me/tracks?limit=50: Server returned nothing (no headers, no data)'
