# A failed write of the output (stdout is /dev/full) exits 1 and leaves the
# cursor where it was, so the next run fetches the same plays again.
. "$SP_ROOT/tests/lib/lib.sh"
. "$SP_ROOT/tests/lib/sim.sh"
start_sim --plays 20
sim_tokens
cursor=$XDG_STATE_HOME/sp/recently-played.cursor
mkdir -p "$(dirname "$cursor")"
echo 1000 >"$cursor"
sp-fetch recently-played >/dev/full 2>err
expect_eq status 1 "$?"
expect_eq message 'sp-fetch: write error on stdout: No space left on device' "$(head -n 1 err)"
expect_eq 'cursor kept' 1000 "$(cat "$cursor")"
expect_status 0 sp-fetch recently-played
[ "$(wc -l <out)" -gt 0 ] || fail "the plays were not fetched again"
