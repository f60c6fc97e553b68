# A 200 answer that is not valid JSON is a clear error, exit 3, no cursor.
. "$SP_ROOT/tests/lib/lib.sh"
. "$SP_ROOT/tests/lib/sim.sh"
start_sim --faults '{"path":"/me/player/recently-played","malformed":true}'
sim_tokens
expect_status 3 sp-fetch recently-played
case $(head -n 1 err) in
'sp-fetch: GET /me/player/recently-played?limit=50: the answer is not valid JSON: '*) ;;
*) fail "unexpected message: $(head -n 1 err)" ;;
esac
expect_eq 'one line' 1 "$(wc -l <err)"
[ -e "$XDG_STATE_HOME/sp/recently-played.cursor" ] && fail "a cursor was written"
true
