# login end to end without a browser: the authorize URL is fetched with
# curl, the simulator redirects to sp-auth's loopback listener, the code is
# exchanged (PKCE) and the tokens stored with mode 0600; status shows the
# user; no token reaches stderr.
. "$SP_ROOT/tests/lib/lib.sh"
. "$SP_ROOT/tests/lib/sim.sh"
start_sim
sp-auth login --no-browser --port 0 --timeout 20 >url.txt 2>login.err &
pid=$!
for i in $(seq 1 100); do [ -s url.txt ] && break; sleep 0.05; done
url=$(head -n 1 url.txt)
case $url in "$SIM_URL/authorize?client_id=sim-client&response_type=code&redirect_uri=http%3A%2F%2F127.0.0.1%3A"*"%2Fcallback&code_challenge_method=S256&code_challenge="*"&scope=user-read-recently-played%20"*"&state="*) ;;
*) fail "unexpected authorize URL: $url" ;; esac
curl -sS -L "$url" >page.html || fail "the redirect was not followed"
wait "$pid"
expect_eq 'login status' 0 "$?"
expect_grep 'logged in' page.html
expect_eq 'login message' "sp-auth: logged in as listener; tokens in $XDG_CONFIG_HOME/sp/tokens.json" "$(tail -n 1 login.err)"
tokens=$XDG_CONFIG_HOME/sp/tokens.json
expect_eq mode 600 "$(stat -c %a "$tokens")"
expect_eq keys '["access_token","client_id","consented_at","expires_at","refresh_token","scope","token_type"]' "$(jq -c keys "$tokens")"
now=$(date +%s)
[ $((now - $(jq .consented_at "$tokens"))) -lt 60 ] || fail "consented_at is not now"
expect_eq 'exchange' 'GET /authorize 302 POST /api/token 200 GET /me 200' "$(sim_log | jq -r '[.method, .path, .status] | join(" ")' | paste -sd' ')"
expect_status 0 sp-auth status
expect_eq user 'user: listener (Listener)' "$(head -n 1 out)"
expect_eq scopes 'scopes: user-read-recently-played user-library-read playlist-read-private playlist-modify-private playlist-modify-public' "$(sed -n 2p out)"
case $(sed -n 3p out) in "refresh token expires: "*" (18"[0-4]" days left)") ;; *) fail "unexpected: $(sed -n 3p out)" ;; esac
expect_eq 'quiet' 0 "$(wc -c <err)"
at=$(jq -r .access_token "$tokens")
rt=$(jq -r .refresh_token "$tokens")
grep -F -e "$at" -e "$rt" login.err err && fail "a token is in stderr"
expect_status 0 sp-auth token
expect_eq token "$at" "$(cat out)"
expect_status 0 sp-auth logout
[ -e "$tokens" ] && fail "logout left the tokens"
true
