# A 3xx answer to an API request is an upstream failure (exit 3) naming
# the place it pointed at; the redirect is never followed, so the access
# token never reaches the other listener, not even on a later page.
. "$SP_ROOT/tests/lib/lib.sh"
. "$SP_ROOT/tests/lib/sim.sh"
start_sim --kind --plays 20 --saved 60
sim_tokens
python3 "$SP_ROOT/tests/lib/catch.py" --port-file catch.port --log catch.log &
catch=$!
trap 'kill $catch 2>/dev/null; stop_sim' EXIT
for i in $(seq 100); do [ -s catch.port ] && break; sleep 0.05; done
[ -s catch.port ] || fail "the listener did not start"
away=http://127.0.0.1:$(cat catch.port)/v1

sim_fault '{"path":"/me/player/recently-played","status":302,"location":"'"$away"'/me/player/recently-played?limit=50"}'
expect_status 3 sp-fetch recently-played
expect_err "sp-fetch: GET /me/player/recently-played?limit=50: HTTP 302: a redirect to $away/me/player/recently-played?limit=50 is not followed"
expect_eq 'no records' 0 "$(wc -c <out)"
[ -e "$XDG_STATE_HOME/sp/recently-played.cursor" ] && fail "the cursor moved"
expect_grep 'HTTP 302: a redirect to ' "$XDG_STATE_HOME/sp/upstream-failure"

# The second page of liked tracks redirects (307): the first page is
# written, then exit 3.
sim_fault '{"path":"/me/tracks","after":1,"status":307,"location":"'"$away"'/me/tracks?offset=50&limit=50"}'
expect_status 3 sp-fetch saved
expect_grep "^sp-fetch: GET /me/tracks?offset=50&limit=50: HTTP 307: a redirect to $away/me/tracks?offset=50&limit=50 is not followed$" err
expect_eq 'first page written' 50 "$(wc -l <out)"

expect_eq 'nothing reached the other listener' '' "$(cat catch.log)"
grep -F -e "$SIM_TOKEN" err && fail "token in stderr"
expect_eq 'the sim answered the redirects' '302 307' "$(sim_log | jq -r 'select(.status >= 300 and .status < 400) | .status' | paste -sd' ')"
