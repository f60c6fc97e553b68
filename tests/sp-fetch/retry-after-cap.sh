# A Retry-After over SP_RETRY_AFTER_MAX stops at once with exit 3, keeping
# the pages fetched before it on stdout.
. "$SP_ROOT/tests/lib/lib.sh"
. "$SP_ROOT/tests/lib/sim.sh"
start_sim --saved 120 --faults '{"path":"/me/tracks","status":429,"retry_after":7200,"after":1}'
sim_tokens
SP_RETRY_AFTER_MAX=60 expect_status 3 sp-fetch saved
expect_err 'sp-fetch: GET /me/tracks?offset=50&limit=50: HTTP 429: Retry-After of 7200 s is over the cap of 60 s'
expect_eq hint 'sp-fetch: hint: rerun later; SP_RETRY_AFTER_MAX raises the cap' "$(sed -n 2p err)"
expect_eq 'first page kept' 50 "$(wc -l <out)"
expect_eq 'no retry' 2 "$(sim_count GET /me/tracks)"
