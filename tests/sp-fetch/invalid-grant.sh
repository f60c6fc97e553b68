# A refused refresh token (invalid_grant) stops with a clear message and a
# hint to log in again, exit 3, and no token in the message.
. "$SP_ROOT/tests/lib/lib.sh"
. "$SP_ROOT/tests/lib/sim.sh"
start_sim --faults '{"path":"/api/token","invalid_grant":true}'
sim_tokens
sim_ctl POST expire >/dev/null
expect_status 3 sp-fetch recently-played
expect_err 'sp-fetch: the refresh token was refused (invalid_grant)'
expect_eq hint "sp-fetch: hint: run 'sp-auth login' again" "$(sed -n 2p err)"
expect_eq lines 2 "$(wc -l <err)"
expect_eq 'refreshed once' 1 "$(sim_count POST /api/token)"
