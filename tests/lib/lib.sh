# tests/lib/lib.sh: helpers for shell test cases, in the style of git's t/.
# A case is a bash script run by tests/run.sh in a fresh temporary directory
# (its cwd) with LC_ALL=C, TZ=UTC and bin/ first in PATH.  It exits 0 when it
# passes, 77 to skip (with a reason on stderr), anything else to fail.
# Variables: SP_ROOT (the checkout), SP_BIN, SP_DATA (../shared/data).

set -u

fail() {
	printf 'FAIL: %s\n' "$*" >&2
	exit 1
}

skip() {
	printf 'SKIP: %s\n' "$*" >&2
	exit 77
}

# expect_eq WHAT EXPECTED ACTUAL
expect_eq() {
	[ "$2" = "$3" ] || fail "$1: expected '$2', got '$3'"
}

# expect_file EXPECTED_FILE ACTUAL_FILE: compares, showing the difference.
expect_file() {
	if ! cmp -s "$1" "$2"; then
		diff -u "$1" "$2" | head -n 60 >&2
		fail "$2 differs from $1"
	fi
}

# expect_status N CMD...: runs CMD (stdout to ./out, stderr to ./err) and
# checks its exit status.
expect_status() {
	local want=$1 got
	shift
	"$@" >out 2>err
	got=$?
	if [ "$got" != "$want" ]; then
		echo "--- stderr:" >&2
		head -n 20 err >&2
		fail "'$*' exited $got, expected $want"
	fi
}

# expect_err LINE: ./err holds exactly LINE (first line compared).
expect_err() {
	local got
	got=$(head -n 1 err)
	[ "$got" = "$1" ] || fail "stderr: expected '$1', got '$got'"
}

# expect_grep PATTERN FILE
expect_grep() {
	grep -q -- "$1" "$2" || { head -n 20 "$2" >&2; fail "'$1' not found in $2"; }
}

# need_data [SUBDIR]: skips when ../shared/data is absent (a user's clone).
need_data() {
	[ -d "$SP_DATA/${1:-}" ] || skip "shared data not found at $SP_DATA/${1:-} (only in the team's workspace)"
}

# need_pg: a fresh database for this case on the suite's server; sets
# PGDATABASE.  The suite starts one server (tests/run.sh) when a case says
# "# needs: pg" in its first lines.
need_pg() {
	[ -n "${PGHOST:-}" ] || fail "no PostgreSQL server: mark the case with '# needs: pg'"
	PGDATABASE="t_$(basename "$PWD" | tr -c 'a-zA-Z0-9_\n' _)"
	export PGDATABASE
	dropdb --if-exists "$PGDATABASE" >/dev/null 2>&1
	createdb "$PGDATABASE" || fail "createdb $PGDATABASE failed"
}

# free_port: prints a TCP port free on 127.0.0.1.
free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}
