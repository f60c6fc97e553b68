# A failing step stops the command with the tool's exit status (3 for an
# upstream failure, 1 for a local one), names its log, and the run records
# it; what was fetched before a failure is still staged.
. "$SP_ROOT/tests/lib/lib.sh"
. "$SP_ROOT/tests/pipeline/lib.bash"
pl_listener 100
pl_start
sim_fault '{"path": "/me/tracks", "status": 503, "count": -1}'

expect_status 3 "$SP_ROOT/pipeline.sh" ingest
run=$(pl_last_run)
expect_grep "^pipeline: fetch-saved failed (exit 3); log: $run/logs/fetch-saved.log$" err
expect_grep 'GET /me/tracks.*HTTP 503 after 5 attempts' "$run/logs/fetch-saved.log"
expect_eq "exit-status" 3 "$(cat "$run/exit-status")"
expect_eq "runs.log" "ingest	3" "$(tail -n 1 home/runs.log | cut -f2,3)"
# The plays fetched before the failure were staged.
expect_eq "staged" 1 "$(grep -c '^plays/' "$run/staged.txt")"

# Not logged in: a local failure, exit 1.
rm "$XDG_CONFIG_HOME/sp/tokens.json"
expect_status 1 "$SP_ROOT/pipeline.sh" ingest
expect_grep '^sp-fetch: not logged in' err
expect_status 2 "$SP_ROOT/pipeline.sh" publish --bogus
