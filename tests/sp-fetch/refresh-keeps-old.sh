# A refresh that returns no refresh_token keeps the old one; an access
# token past expires_at is refreshed before the first request.
. "$SP_ROOT/tests/lib/lib.sh"
. "$SP_ROOT/tests/lib/sim.sh"
start_sim --plays 20
sim_tokens
tokens=$XDG_CONFIG_HOME/sp/tokens.json
jq -c '.expires_at = 1000' "$tokens" >t && mv t "$tokens" && chmod 600 "$tokens"
expect_status 0 sp-fetch recently-played
expect_eq 'refresh first' 'POST /api/token GET /me/player/recently-played' "$(sim_log | jq -r '.method + " " + .path' | paste -sd' ')"
expect_eq 'old refresh token kept' "$SIM_REFRESH" "$(jq -r .refresh_token "$tokens")"
[ "$(jq -r .expires_at "$tokens")" -gt "$(date +%s)" ] || fail "expires_at not updated"
