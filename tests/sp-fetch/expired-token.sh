# A 401 (expired access token) refreshes the token once, saves it (mode
# 0600, a rotated refresh token replaces the old one) and retries.
. "$SP_ROOT/tests/lib/lib.sh"
. "$SP_ROOT/tests/lib/sim.sh"
start_sim --plays 20 --rotate-refresh --faults '{"path":"/me/player/recently-played","expire_token":true}'
sim_tokens
tokens=$XDG_CONFIG_HOME/sp/tokens.json
expect_status 0 sp-fetch recently-played
expect_eq requests 'GET /me/player/recently-played 401 POST /api/token 200 GET /me/player/recently-played 200' \
	"$(sim_log | jq -r '[.method, .path, .status] | join(" ")' | paste -sd' ')"
[ "$(wc -l <out)" -gt 0 ] || fail "no plays"
new=$(jq -r .access_token "$tokens")
[ "$new" != "$SIM_TOKEN" ] || fail "the access token was not replaced"
[ "$(jq -r .refresh_token "$tokens")" != "$SIM_REFRESH" ] || fail "the rotated refresh token was not stored"
expect_eq mode 600 "$(stat -c %a "$tokens")"
grep -q -e "$SIM_TOKEN" -e "$SIM_REFRESH" -e "$new" err && fail "a token is in stderr"
# The next run uses the saved token without refreshing.
sim_ctl DELETE log >/dev/null
expect_status 0 sp-fetch saved
expect_eq 'no refresh' 0 "$(sim_count POST /api/token)"
