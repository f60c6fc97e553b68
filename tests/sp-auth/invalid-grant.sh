# sp-auth token with an expired access token and a refused refresh token:
# the invalid_grant message and hint, exit 3.
. "$SP_ROOT/tests/lib/lib.sh"
. "$SP_ROOT/tests/lib/sim.sh"
start_sim --faults '{"path":"/api/token","invalid_grant":true}'
sim_tokens
tokens=$XDG_CONFIG_HOME/sp/tokens.json
jq -c '.expires_at = 1000' "$tokens" >t && mv t "$tokens"
expect_status 3 sp-auth token
expect_err 'sp-auth: the refresh token was refused (invalid_grant)'
expect_eq hint "sp-auth: hint: run 'sp-auth login' again" "$(sed -n 2p err)"
expect_eq 'no output' 0 "$(wc -c <out)"
