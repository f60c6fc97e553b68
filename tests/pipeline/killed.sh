# A run killed with kill -9 never locks out the next one: the embedded
# PostgreSQL it started outlives it but does not hold the lock (fd 9), so
# once the killed run's own steps are gone the next run proceeds.  Killed
# at several points: once the server is starting, once 'load' starts, once
# 'transform' prints 'models ...'.
. "$SP_ROOT/tests/lib/lib.sh"
. "$SP_ROOT/tests/pipeline/lib.bash"
unset PGHOST PGPORT PGUSER PGDATABASE SP_DATABASE_URL
. "$SP_ROOT/pipelines/lib/pg.sh"
trap 'sp_pg_stop "$SP_HOME/pg"' EXIT
pl_listener 200

# kill_at PATTERN CMD...: starts pipeline.sh CMD, kills it with SIGKILL
# once its stderr matches PATTERN.
kill_at() {
	local pat=$1 pid i
	shift
	"$SP_ROOT/pipeline.sh" "$@" >/dev/null 2>killed.err &
	pid=$!
	for i in $(seq 1 600); do
		grep -q -- "$pat" killed.err && break
		kill -0 "$pid" 2>/dev/null || { cat killed.err >&2; fail "'$*' ended before '$pat'"; }
		sleep 0.05
	done
	grep -q -- "$pat" killed.err || fail "'$*' never printed '$pat'"
	kill -9 "$pid"
	wait "$pid" 2>/dev/null
}

# server_holds_lock: whether a process of the embedded server (or a
# pg_ctl driving it: a killed run's last subshell may still be stopping
# it) has the lock file open; names it on stderr.
server_holds_lock() {
	local p pids
	pids=$(pgrep -f -- "-D $SP_HOME/pg/data" || true)
	for p in $pids $(for p in $pids; do pgrep -P "$p"; done); do
		if ls -l "/proc/$p/fd" 2>/dev/null | grep -q "$SP_HOME/pipeline.lock"; then
			echo "holds the lock: $p $(tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null)" >&2
			return 0
		fi
	done
	return 1
}

kill_at 'starting the embedded PostgreSQL' backfill export.zip
# Orphaned steps of the killed run may still finish: wait for them, not
# for the server.
SP_LOCK_WAIT=60 expect_status 0 "$SP_ROOT/pipeline.sh" backfill export.zip

kill_at '^pipeline: load \.\.\.' load
sp_pg_running "$SP_HOME/pg" || fail "the killed run's server is not running (the test needs it)"
server_holds_lock && fail "the embedded server holds the run's lock"
SP_LOCK_WAIT=60 expect_status 0 "$SP_ROOT/pipeline.sh" load

kill_at '^pipeline: models \.\.\.' transform
server_holds_lock && fail "the embedded server holds the run's lock"
SP_LOCK_WAIT=60 expect_status 0 "$SP_ROOT/pipeline.sh" load
expect_grep '^pipeline: load done' err
# Nothing was lost or doubled by the kills.
expect_eq plays 200 "$(PGHOST=$SP_HOME/pg PGUSER=sp PGDATABASE=sp psql -X -Atqc 'select count(*) from raw.plays where dup_of is null')"
