# With no database configured (no SP_DATABASE_URL, no PGHOST), pipeline.sh
# starts a private PostgreSQL under $SP_HOME/pg (as postgres when run as
# root), uses it, and stops it afterwards; 'status' reads it the same way.
. "$SP_ROOT/tests/lib/lib.sh"
. "$SP_ROOT/tests/pipeline/lib.bash"
unset PGHOST PGPORT PGUSER PGDATABASE SP_DATABASE_URL
pl_listener 200

expect_status 0 "$SP_ROOT/pipeline.sh" backfill export.zip
expect_grep "^pipeline: starting the embedded PostgreSQL in $SP_HOME/pg$" err
[ -f home/pg/data/PG_VERSION ] || fail "no server created under \$SP_HOME/pg"
[ ! -e home/pg/data/postmaster.pid ] || fail "the embedded server was left running"
if [ "$(id -u)" = 0 ]; then
	expect_eq "server owner" postgres "$(stat -c %U home/pg/data)"
fi

# Not logged in: status says so and exits 1.
expect_status 1 "$SP_ROOT/pipeline.sh" status
expect_grep '^  token: not logged in' out
expect_grep '^  plays                 200$' out
expect_grep '^  objects loaded        1$' out
expect_grep '^staged but not loaded:$' out
expect_grep '^  none$' out
expect_grep "^  [0-9TZ:-]*	backfill	0	$SP_HOME/runs/" out
[ ! -e home/pg/data/postmaster.pid ] || fail "status left the server running"

# A staged object not yet loaded is listed.
sp-import export.zip | head -n 3 | sp-stage plays >staged || fail "sp-stage failed"
expect_status 1 "$SP_ROOT/pipeline.sh" status
expect_grep "^  $(cat staged)$" out
