# A denied authorization and a login without any redirect both end with
# exit 3 and say why; no tokens are written.
. "$SP_ROOT/tests/lib/lib.sh"
. "$SP_ROOT/tests/lib/sim.sh"
start_sim
sim_ctl POST config '{"deny":true}' >/dev/null
sp-auth login --no-browser --port 0 --timeout 20 >url.txt 2>login.err &
pid=$!
for i in $(seq 1 100); do [ -s url.txt ] && break; sleep 0.05; done
curl -sS -L "$(head -n 1 url.txt)" >/dev/null
wait "$pid"
expect_eq status 3 "$?"
expect_eq message 'sp-auth: login: authorization was not granted (access_denied)' "$(tail -n 1 login.err)"
[ -e "$XDG_CONFIG_HOME/sp/tokens.json" ] && fail "tokens were written"
expect_status 3 sp-auth login --no-browser --port 0 --timeout 1
expect_eq timeout 'sp-auth: login: no redirect within 1 s' "$(tail -n 1 err)"
