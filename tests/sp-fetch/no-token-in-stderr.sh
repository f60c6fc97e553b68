# No access or refresh token appears in any message, whatever fails.
. "$SP_ROOT/tests/lib/lib.sh"
. "$SP_ROOT/tests/lib/sim.sh"
start_sim --rotate-refresh
sim_tokens
: >all.err
run() { "$@" >/dev/null 2>>all.err; }
sim_fault '{"path":"/me/player/recently-played","expire_token":true}'
sim_fault '{"path":"/me/tracks","status":401,"count":3}'
run sp-fetch recently-played
run sp-fetch saved
sim_fault '{"path":"/api/token","status":400,"message":"x"}'
sim_ctl POST expire >/dev/null
run sp-fetch saved
sim_fault '{"path":"/api/token","invalid_grant":true}'
run sp-fetch saved
run sp-auth token
run sp-auth status
[ -s all.err ] || fail "nothing failed: the case tests nothing"
for t in "$SIM_TOKEN" "$SIM_REFRESH" $(jq -r '.access_token, .refresh_token' "$XDG_CONFIG_HOME/sp/tokens.json"); do
	grep -F -e "$t" all.err && fail "token $t in stderr"
done
sim_log | jq -r .path | grep -q /api/token || fail "no refresh happened"
true
