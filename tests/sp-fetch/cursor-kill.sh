# sp-fetch killed (-9) while it waits for the API leaves the cursor as it
# was; the next run fetches the plays.
. "$SP_ROOT/tests/lib/lib.sh"
. "$SP_ROOT/tests/lib/sim.sh"
start_sim --kind --plays 20 --faults '{"path":"/me/player/recently-played","delay":5}'
sim_tokens
cursor=$XDG_STATE_HOME/sp/recently-played.cursor
mkdir -p "$(dirname "$cursor")"
echo 1000 >"$cursor"
sp-fetch recently-played >out 2>err &
pid=$!
for i in $(seq 1 100); do
	[ "$(sim_count GET /me/player/recently-played)" = 1 ] && break
	sleep 0.05
done
kill -9 "$pid"
wait "$pid" 2>/dev/null
expect_eq 'cursor kept' 1000 "$(cat "$cursor")"
expect_eq 'no output' 0 "$(wc -c <out)"
expect_status 0 sp-fetch recently-played
[ "$(wc -l <out)" -gt 0 ] || fail "no plays on the rerun"
[ "$(cat "$cursor")" -gt 1000 ] || fail "the cursor did not move on the rerun"
