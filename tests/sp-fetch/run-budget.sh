# SP_RUN_BUDGET=FILE: every sp-fetch of a run shares one request budget.
# FILE holds "USED of BUDGET"; each request takes one under a lock, so two
# fetches one after the other, or at once, stop at the total together.
# A fetch the budget stops exits 0 and says what the next run fetches.
. "$SP_ROOT/tests/lib/lib.sh"
. "$SP_ROOT/tests/lib/sim.sh"
start_sim --kind --artists 60 --saved 120 --plays 20
sim_tokens
sim_ctl GET state | jq -r '.artists[].id' >ids
export SP_RUN_BUDGET=$PWD/run/budget SP_REQUEST_BUDGET=10
mkdir run

# Liked tracks: 3 pages, 3 requests.
expect_status 0 sp-fetch saved
expect_eq 'after saved' '3 of 10' "$(cat run/budget)"
# Artists: a batch call (refused, 403) then one request each: 7 left in the run's budget, not 10.
head -n 30 ids >in
expect_status 0 sp-fetch --cache cache1 artists <in
expect_eq 'artists fetched (the batch call refused first)' 6 "$(wc -l <out)"
expect_grep '^sp-fetch: GET /artists/[^ ]*: the request budget of 10 for the run is spent$' err
expect_grep '^sp-fetch: artists: 24 of 30 left for the next run$' err
expect_eq 'after artists' '10 of 10' "$(cat run/budget)"
# Nothing left: recently-played asks for nothing, keeps its cursor, exits 0.
expect_status 0 sp-fetch recently-played
expect_eq 'no plays' 0 "$(wc -c <out)"
expect_grep '^sp-fetch: recently-played: stopped by the request budget; the next run fetches it$' err
[ -e "$XDG_STATE_HOME/sp/recently-played.cursor" ] && fail "the cursor moved"
expect_eq 'requests the simulator saw' 10 "$(sim_log | wc -l)"

# Two fetches at once share a fresh budget of 20: 20 requests in all.
sim_ctl DELETE log >/dev/null
rm run/budget
SP_REQUEST_BUDGET=20 sp-fetch --cache cache2 artists <ids >a.out 2>a.err &
SP_REQUEST_BUDGET=20 sp-fetch --cache cache3 artists <ids >b.out 2>b.err
wait $! || fail "the first fetch failed: $(cat a.err)"
expect_eq 'together (a refused batch call each)' 18 "$(($(wc -l <a.out) + $(wc -l <b.out)))"
expect_eq 'requests at once' 20 "$(sim_log | wc -l)"
expect_eq 'count' '20 of 20' "$(cat run/budget)"

# Without SP_RUN_BUDGET each process has its own budget again.
SP_RUN_BUDGET= expect_status 0 sp-fetch --cache cache4 artists <in
expect_eq 'own budget (a batch call, then 9)' 9 "$(wc -l <out)"

# A file that is not a count is an error naming it (exit 1).
echo 'many' >run/budget
expect_status 1 sp-fetch recently-played
expect_err "sp-fetch: $PWD/run/budget: not a count of requests: 'many'"
SP_RUN_BUDGET=$PWD/nowhere/budget expect_status 1 sp-fetch recently-played
expect_err "sp-fetch: $PWD/nowhere/budget.lock: No such file or directory"
