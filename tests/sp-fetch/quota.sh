# A 429 whose body says QUOTA_EXCEEDED stops at once (no retry, no wait).
. "$SP_ROOT/tests/lib/lib.sh"
. "$SP_ROOT/tests/lib/sim.sh"
start_sim --faults '{"path":"/me/player/recently-played","status":429,"retry_after":1,"reason":"QUOTA_EXCEEDED"}'
sim_tokens
expect_status 3 sp-fetch recently-played
expect_err 'sp-fetch: GET /me/player/recently-played?limit=50: HTTP 429: quota exceeded (QUOTA_EXCEEDED)'
expect_eq 'one request' 1 "$(sim_count GET /me/player/recently-played)"
[ -e "$XDG_STATE_HOME/sp/recently-played.cursor" ] && fail "a cursor was written"
true
