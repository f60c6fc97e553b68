# 500 and 502 answers are retried with backoff; the third attempt succeeds
# and the output is complete.
. "$SP_ROOT/tests/lib/lib.sh"
. "$SP_ROOT/tests/lib/sim.sh"
start_sim --plays 20 --faults '[{"path":"/me/player/recently-played","status":500},{"path":"/me/player/recently-played","status":502}]'
sim_tokens
expect_status 0 sp-fetch recently-played
expect_eq statuses '500 502 200' "$(sim_log | jq -r .status | paste -sd' ')"
expect_eq records "$(sim_ctl GET state | jq '[.plays[] | select(.ms_played > 30000)] | length')" "$(wc -l <out)"
