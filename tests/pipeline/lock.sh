# pipeline.sh refuses a second run while one holds the lock (exit 4), and
# runs again once the first is over.
. "$SP_ROOT/tests/lib/lib.sh"

export SP_HOME=$PWD/home
umask 077
mkdir -p "$SP_HOME"
# Hold the lock as a run would.
exec 8>"$SP_HOME/pipeline.lock"
flock -n 8 || fail "could not take the lock"
expect_status 4 "$SP_ROOT/pipeline.sh" load
expect_err "pipeline: another run holds $SP_HOME/pipeline.lock; not starting a second one"
# SP_LOCK_WAIT=N waits up to N seconds, then refuses the same way.
start=$(date +%s)
SP_LOCK_WAIT=1 expect_status 4 "$SP_ROOT/pipeline.sh" load
[ $(( $(date +%s) - start )) -ge 1 ] || fail "SP_LOCK_WAIT=1 did not wait"
# ... and runs once the lock is released within N seconds.
(sleep 1; exec 8>&-) &
exec 8>&-
SP_LOCK_WAIT=10 expect_status 1 "$SP_ROOT/pipeline.sh" publish "$PWD/no-such-run"
wait
# Released: the command now gets past the lock (publish fails on no run).
expect_status 1 "$SP_ROOT/pipeline.sh" publish "$PWD/no-such-run"
expect_grep "no recommendations to publish" err
