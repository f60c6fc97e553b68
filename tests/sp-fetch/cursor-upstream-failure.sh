# When the API keeps failing (503 on every attempt) sp-fetch gives up with
# exit 3 after SP_HTTP_ATTEMPTS attempts and leaves the cursor alone.
. "$SP_ROOT/tests/lib/lib.sh"
. "$SP_ROOT/tests/lib/sim.sh"
start_sim --plays 20 --faults '{"path":"/me/player/recently-played","status":503,"count":-1}'
sim_tokens
cursor=$XDG_STATE_HOME/sp/recently-played.cursor
mkdir -p "$(dirname "$cursor")"
echo 1000 >"$cursor"
SP_HTTP_ATTEMPTS=4 expect_status 3 sp-fetch recently-played
expect_err 'sp-fetch: GET /me/player/recently-played?limit=50&after=1000: HTTP 503 after 4 attempts'
expect_eq 'attempts' 4 "$(sim_count GET /me/player/recently-played)"
expect_eq 'no output' 0 "$(wc -c <out)"
expect_eq 'cursor kept' 1000 "$(cat "$cursor")"
