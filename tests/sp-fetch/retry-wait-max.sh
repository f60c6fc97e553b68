# The retry policy bounds the time one request spends waiting in all
# (SP_RETRY_WAIT_MAX): Retry-After answers are honoured until the next
# wait would pass the bound, then the request stops (exit 3) saying so.
. "$SP_ROOT/tests/lib/lib.sh"
. "$SP_ROOT/tests/lib/sim.sh"
start_sim --kind --saved 10
sim_tokens
sim_fault '{"path":"/me/tracks","status":429,"retry_after":1,"count":5}'
SP_RETRY_WAIT_MAX=1 expect_status 3 sp-fetch saved
expect_err "sp-fetch: GET /me/tracks?limit=50: HTTP 429: gave up after 2 attempts and 1 s of waiting (the bound is 1 s)"
expect_eq 'hint' 'sp-fetch: hint: rerun later; SP_RETRY_WAIT_MAX raises the bound' "$(sed -n 2p err)"
expect_eq 'attempts' '429 429' "$(sim_log | jq -r .status | paste -sd' ')"
# Within the bound the same answers are waited out.
sim_ctl DELETE log >/dev/null
SP_RETRY_WAIT_MAX=10 expect_status 0 sp-fetch saved
expect_eq 'waited out' '429 429 429 200' "$(sim_log | jq -r .status | paste -sd' ')"
expect_eq 'records' 10 "$(wc -l <out)"
SP_RETRY_WAIT_MAX=x expect_status 2 sp-fetch saved
expect_err "sp-fetch: SP_RETRY_WAIT_MAX: not a number: 'x'"
