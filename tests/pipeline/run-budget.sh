# needs: pg
# The request budget is the run's: every sp-fetch of one 'ingest' takes
# its requests from $RUN_DIR/budget, so the steps together stop at
# SP_REQUEST_BUDGET, the run still succeeds, and 'status' shows how much
# of the budget the last run used and, when it ran out, what was left
# for the next run.
. "$SP_ROOT/tests/lib/lib.sh"
. "$SP_ROOT/tests/pipeline/lib.bash"
need_pg
pl_listener 300
pl_start

SP_REQUEST_BUDGET=6 expect_status 0 "$SP_ROOT/pipeline.sh" ingest
run=$(pl_last_run)
expect_eq 'the run used its budget' '6 of 6' "$(cat "$run/budget")"
expect_eq 'requests the simulator saw' 6 "$(sim_log | wc -l)"
expect_grep '^sp-fetch: artists: [0-9]* of [0-9]* left for the next run$' "$run/logs/fetch-artists.log"
left=$(sed -n 's/^sp-fetch: \(artists: .* left\) for the next run$/\1/p' "$run/logs/fetch-artists.log")
t=$(tail -n 1 "$SP_HOME/runs.log" | cut -f1)

expect_status 1 "$SP_ROOT/pipeline.sh" status
expect_grep "^requests: 6 of 6 used by the last fetching run (ingest at $t)$" out
[ -n "$left" ] || fail "nothing left in the log"
expect_grep "^  the request budget of 6 ran out in the last fetching run (ingest at $t); left for the next run: $left$" out

# A budget that suffices: the count, and no problem about it.
sim_ctl DELETE log >/dev/null
expect_status 0 "$SP_ROOT/pipeline.sh" ingest
run=$(pl_last_run)
n=$(sim_log | wc -l)
expect_eq 'the second run' "$n of 1500" "$(cat "$run/budget")"
"$SP_ROOT/pipeline.sh" status >out 2>err
expect_grep "^requests: $n of 1500 used by the last fetching run (ingest at " out
grep -q 'request budget' out && fail "a budget problem after a run within it: $(grep 'request budget' out)"
true
