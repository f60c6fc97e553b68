# status tells the truth: a database that cannot be reached (a closed
# port), a missing or refused token and a failed hourly run each give a
# line under "problems:" and a non-zero exit: 3 when PostgreSQL or
# Spotify failed, else 1.
. "$SP_ROOT/tests/lib/lib.sh"
. "$SP_ROOT/tests/pipeline/lib.bash"
pl_listener 60
pl_start
# A port nothing listens on: bind one, note it, close it.
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
export SP_DATABASE_URL=postgresql://sp@127.0.0.1:$port/sp

expect_status 3 "$SP_ROOT/pipeline.sh" status
expect_grep "^  unreachable: .*127.0.0.1.*port $port failed" out
expect_grep "^problems:$" out
expect_grep "^  database unreachable: .*port $port failed" out
[ "$(sed -n '/^problems:$/,$p' out | wc -l)" = 2 ] || { cat out >&2; fail "one problem expected"; }
expect_grep '^  user: ' out

# The hourly run fails on the database: its own problem line.
expect_status 3 "$SP_ROOT/pipeline.sh" hourly
run=$(pl_last_run)
expect_status 3 "$SP_ROOT/pipeline.sh" status
expect_grep "^  the last hourly run ([0-9TZ:-]*) failed in load (exit 3): sp-load: " out
expect_grep '^  (sp-load --pending failed)$' out
sed -n '/^problems:$/,$p' out >problems
[ "$(wc -l <problems)" = 3 ] || { cat problems >&2; fail "two problems expected"; }

# Not logged in: a local problem (with the database problem, exit 3).
mv "$XDG_CONFIG_HOME/sp/tokens.json" tokens.json
expect_status 3 "$SP_ROOT/pipeline.sh" status
expect_grep '^  token: not logged in' out
# A refused refresh token: an upstream problem.
mv tokens.json "$XDG_CONFIG_HOME/sp/tokens.json"
jq -c '.expires_at = 1000' "$XDG_CONFIG_HOME/sp/tokens.json" >t && mv t "$XDG_CONFIG_HOME/sp/tokens.json"
sim_fault '{"path": "/api/token", "invalid_grant": true}'
expect_status 3 "$SP_ROOT/pipeline.sh" status
expect_grep '^  token: the refresh token was refused (invalid_grant)' out

# A reachable database (the embedded one), nothing failed: a missing
# token alone is a local problem, exit 1; logged in, exit 0.
rm -rf home/runs home/runs.log home/store
unset SP_DATABASE_URL PGHOST PGPORT PGUSER PGDATABASE
. "$SP_ROOT/pipelines/lib/pg.sh"
trap 'sp_pg_stop "$SP_HOME/pg"; stop_sim' EXIT
sim_ctl DELETE faults >/dev/null
# Staged objects not loaded (the failed hourly run's three and one more),
# no run going: a problem.
sp-import export.zip | head -n 3 | sp-stage plays >staged || fail "sp-stage failed"
expect_status 1 "$SP_ROOT/pipeline.sh" status
expect_grep "^  4 staged objects not loaded (pipeline.sh load loads them)$" out
expect_status 0 "$SP_ROOT/pipeline.sh" load
mv "$XDG_CONFIG_HOME/sp/tokens.json" tokens.json
expect_status 1 "$SP_ROOT/pipeline.sh" status
expect_grep '^  objects loaded        4$' out
sed -n '/^problems:$/,$p' out >problems
[ "$(wc -l <problems)" = 2 ] || { cat problems >&2; fail "one problem expected"; }
expect_grep '^  token: not logged in' problems
sim_tokens
expect_status 0 "$SP_ROOT/pipeline.sh" status
expect_grep '^  user: ' out
! grep -q '^problems:' out || fail "problems reported: $(sed -n '/^problems:/,$p' out)"

# Any other command that failed last (a backfill of a file that is not an
# export): a problem until a later command succeeds.
echo 'not a zip' >bad.zip
expect_status 1 "$SP_ROOT/pipeline.sh" backfill bad.zip
expect_status 1 "$SP_ROOT/pipeline.sh" status
expect_grep "^  the last command, pipeline.sh backfill ([0-9TZ:-]*), failed in import (exit 1): sp-import: " out
expect_status 0 "$SP_ROOT/pipeline.sh" load
expect_status 0 "$SP_ROOT/pipeline.sh" status
! grep -q '^problems:' out || fail "problems reported: $(sed -n '/^problems:/,$p' out)"

# The refresh token's end (6 months after consent): within 14 days, and
# past, each a problem naming the fix.
tokens=$XDG_CONFIG_HOME/sp/tokens.json
jq -c --argjson c "$(($(date +%s) - 176 * 86400))" '.consented_at = $c' "$tokens" >t && mv t "$tokens"
expect_status 1 "$SP_ROOT/pipeline.sh" status
expect_grep "^  token: .*(sp-auth login renews it)$" out
jq -c --argjson c "$(($(date +%s) - 200 * 86400))" '.consented_at = $c' "$tokens" >t && mv t "$tokens"
expect_status 1 "$SP_ROOT/pipeline.sh" status
expect_grep "^  token: the refresh token expired on [0-9-]*: run 'sp-auth login' again$" out
# An hourly run says it, quiet or not.
"$SP_ROOT/pipeline.sh" -q hourly >out 2>err
expect_grep "^sp-auth: the refresh token expired on " err
exit 0
