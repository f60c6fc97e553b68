#!/usr/bin/env bash
# tests/run.sh: the whole suite: C unit tests, then every shell case under
# tests/<group>/*.sh, each in its own temporary directory.  Arguments narrow
# the run to groups or cases (tests/run.sh sp-mat sp-encode/spec.sh).  The
# last line is "N passed, N failed, N skipped"; the exit status is 1 if any
# failed.  JOBS=N runs N cases at once (default: the number of cores).
# Logs of every case are kept in tests/out/<group>/<case>.log.
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
export SP_ROOT=$ROOT SP_BIN=$ROOT/bin
export PATH=$ROOT/bin:$PATH LC_ALL=C TZ=UTC
export SP_DATA=${SP_DATA:-$(cd "$ROOT/.." && pwd)/shared/data}
JOBS=${JOBS:-$(nproc 2>/dev/null || echo 2)}
OUT=$ROOT/tests/out
# Logs are overwritten case by case, so concurrent partial runs keep theirs.
mkdir -p "$OUT"
SCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/sp-tests.XXXXXX")
chmod 755 "$SCRATCH"
passed=0 failed=0 skipped=0
failures=()

selected() {	# selected GROUP/CASE: whether the arguments pick it
	local a
	[ $# -ge 2 ] || return 0
	for a in "${@:2}"; do
		case "$1" in "$a" | "$a"/* | "${a%.sh}" | "${a%.sh}".*) return 0 ;; esac
	done
	return 1
}

cleanup() {
	if [ -n "${PG_DIR:-}" ]; then
		sp_pg_stop "$PG_DIR"
	fi
	rm -rf "$SCRATCH"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

record() {	# record NAME STATUS LOG
	case $2 in
	0) passed=$((passed + 1)); printf 'ok   %s\n' "$1" ;;
	77) skipped=$((skipped + 1)); printf 'skip %s: %s\n' "$1" "$(grep -m1 '^SKIP:' "$3" | cut -c7-)" ;;
	*) failed=$((failed + 1)); failures+=("$1")
	   printf 'FAIL %s (exit %s)\n' "$1" "$2"
	   tail -n 25 "$3" | sed 's/^/     | /' ;;
	esac
}

# C unit tests: each binary prints "ok - NAME" or "not ok - NAME: why".
for t in "$ROOT"/tests/unit/test_*; do
	case $t in *.c | *.o | *.d) continue ;; esac
	[ -x "$t" ] || continue
	name=unit/$(basename "$t")
	selected "$name" "$@" || continue
	mkdir -p "$OUT/unit"
	log=$OUT/$name.log
	(cd "$SCRATCH" && "$t") >"$log" 2>&1
	st=$?
	while IFS= read -r line; do
		case $line in
		"ok - "*) record "$name: ${line#ok - }" 0 "$log" ;;
		"not ok - "*) record "$name: ${line#not ok - }" 1 "$log" ;;
		esac
	done <"$log"
	if [ "$st" != 0 ] && ! grep -q '^not ok' "$log"; then
		record "$name" "$st" "$log"
	fi
done

# Shell cases.
cases=()
for f in "$ROOT"/tests/*/*.sh; do
	g=$(basename "$(dirname "$f")")
	case $g in lib | bench | unit) continue ;; esac
	name=$g/$(basename "$f" .sh)
	selected "$name" "$@" || continue
	cases+=("$f")
done

# Services: one PostgreSQL server for the run when any case needs it.
if [ ${#cases[@]} -gt 0 ] && grep -l -m1 '^# needs:.*\bpg\b' "${cases[@]}" >/dev/null 2>&1; then
	. "$ROOT/pipelines/lib/pg.sh"
	PG_DIR=$SCRATCH/pg
	if SP_PG_FSYNC=off sp_pg_start "$PG_DIR"; then
		export PGHOST PGPORT PGUSER
	else
		echo "tests: could not start PostgreSQL; cases that need it will fail" >&2
		unset PGHOST
	fi
fi

run_case() {	# run_case FILE: runs one case, writes its status file
	local f=$1 g name dir log st
	g=$(basename "$(dirname "$f")")
	name=$g/$(basename "$f" .sh)
	dir=$SCRATCH/cases/$g.$(basename "$f" .sh)
	mkdir -p "$dir" "$OUT/$g"
	chmod 755 "$dir"
	log=$OUT/$name.log
	t0=$(date +%s%N)
	(cd "$dir" && exec timeout 300 bash "$f") >"$log" 2>&1 </dev/null
	st=$?
	echo "$st" >"$log.status"
	echo "$(( ($(date +%s%N) - t0) / 1000000 )) $name" >"$log.ms"
}

running=0
for f in "${cases[@]}"; do
	run_case "$f" &
	running=$((running + 1))
	if [ "$running" -ge "$JOBS" ]; then
		wait -n
		running=$((running - 1))
	fi
done
wait
for f in "${cases[@]}"; do
	g=$(basename "$(dirname "$f")")
	name=$g/$(basename "$f" .sh)
	record "$name" "$(cat "$OUT/$name.log.status" 2>/dev/null || echo 1)" "$OUT/$name.log"
done

# The slowest cases, to keep the suite's time in view.
for f in "${cases[@]}"; do
	g=$(basename "$(dirname "$f")")
	cat "$OUT/$g/$(basename "$f" .sh).log.ms" 2>/dev/null
done | sort -rn | head -n 5 | awk 'NR == 1 { printf "\nslowest:" }
	{ printf " %s %.0fs", $2, $1 / 1000 } END { if (NR) print "" }'

if [ ${#failures[@]} -gt 0 ]; then
	printf '\nfailed:\n'
	printf '  %s\n' "${failures[@]}"
fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" = 0 ]
