#!/usr/bin/env bash
# tests/bench/run.sh: the benchmark behind 'make bench'.  Builds the
# deterministic synthetic feature file (tests/bench/gen-features.c: 100,000
# tracks, ~8,000 artists, ~1,500 genres, ~20 non-zeros a row, 5% released in
# the 7 days up to NOW), then times the chain
#     sp-encode -s pipelines/encode-example.json | sp-svd -k 100 | sp-cosine --now NOW
# stage by stage through intermediate files, RUNS times (default 3), and
# prints each stage's median wall time, CPU time (user + system; a busy
# machine inflates wall times much more than these) and peak RSS, their
# totals, and PASS or MISS for the targets: the chain (the sum of the
# stages' median wall times) under 2 s, every stage under 250 MB.  Then it
# runs the chain once through pipes and checks that the recommendations
# are the same.
# A stage whose tool is not built is reported as missing.
# Environment: RUNS, BENCH_DIR (default tests/out/bench), BENCH_BIN (where
# the tools are; default bin/), ROWS (default 100000), NOW (default
# 2026-11-27).
# Exit status: 0 when every stage ran and met its targets, 1 otherwise.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BIN=${BENCH_BIN:-$ROOT/bin}
RUNS=${RUNS:-3}
ROWS=${ROWS:-100000}
NOW=${NOW:-2026-11-27}
WORK=${BENCH_DIR:-$ROOT/tests/out/bench}
TARGET_TOTAL_S=2
TARGET_RSS_MB=250
export LC_ALL=C TZ=UTC

mkdir -p "$WORK" || exit 1
echo "bench: work directory $WORK"

TIME=/usr/bin/time
if ! [ -x "$TIME" ]; then
	echo "bench: $TIME not found (Debian package 'time'; see pipelines/deps.sh)" >&2
	exit 1
fi

# The generator: built here with the system compiler, when it changed.
gen=$WORK/gen-features
if ! [ -x "$gen" ] || [ "$ROOT/tests/bench/gen-features.c" -nt "$gen" ]; then
	${CC:-cc} -std=c11 -O2 -Wall -Wextra -Werror -o "$gen" \
	    "$ROOT/tests/bench/gen-features.c" -lm || exit 1
fi
feats=$WORK/feats.ndjson
"$gen" -n "$ROWS" --now "$NOW" >"$feats" || exit 1
printf 'bench: %s: %s rows, %s bytes, sha256 %.16s\n' "$feats" \
    "$(wc -l <"$feats")" "$(wc -c <"$feats")" "$(sha256sum "$feats" | cut -c1-64)"

# The stages: name, tool, arguments, input, output.
stages=(encode svd cosine)
declare -A tool args input output
tool[encode]=sp-encode; args[encode]="-s $ROOT/pipelines/encode-example.json"
input[encode]=$feats; output[encode]=$WORK/feats.spm
tool[svd]=sp-svd; args[svd]="-k 100"
input[svd]=$WORK/feats.spm; output[svd]=$WORK/emb.spm
tool[cosine]=sp-cosine; args[cosine]="--now $NOW"
input[cosine]=$WORK/emb.spm; output[cosine]=$WORK/recs.ndjson

median() {	# median NUMBERS...: the middle value (the lower of two)
	printf '%s\n' "$@" | sort -g | sed -n "$((($# + 1) / 2))p"
}

# now_ns: nanoseconds on a monotonic-enough clock for timing.
now_ns() { date +%s%N; }

declare -A status wall rss cpu
ok_all=1
prev_ok=1
for s in "${stages[@]}"; do
	t=${tool[$s]}
	if ! [ -x "$BIN/$t" ]; then
		status[$s]=missing
		prev_ok=0
		ok_all=0
		continue
	fi
	if [ "$prev_ok" = 0 ]; then
		status[$s]="skipped (an earlier stage did not run)"
		ok_all=0
		continue
	fi
	walls=() rsss=() cpus=()
	for ((i = 1; i <= RUNS; i++)); do
		tf=$WORK/$s.time
		t0=$(now_ns)
		# shellcheck disable=SC2086
		"$TIME" -f '%e %M %U %S' -o "$tf" "$BIN/$t" ${args[$s]} "${input[$s]}" \
		    >"${output[$s]}" 2>"$WORK/$s.err"
		st=$?
		t1=$(now_ns)
		if [ "$st" != 0 ]; then
			status[$s]="FAILED (exit $st; see $WORK/$s.err)"
			sed 's/^/    | /' "$WORK/$s.err" | tail -n 5
			break
		fi
		walls+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')")
		rsss+=("$(tail -n 1 "$tf" | awk '{ printf "%.1f", $2 / 1024 }')")
		cpus+=("$(tail -n 1 "$tf" | awk '{ printf "%.2f", $3 + $4 }')")
	done
	if [ "${status[$s]:-}" != "" ]; then
		prev_ok=0
		ok_all=0
		continue
	fi
	status[$s]=ok
	wall[$s]=$(median "${walls[@]}")
	rss[$s]=$(median "${rsss[@]}")
	cpu[$s]=$(median "${cpus[@]}")
	echo "bench: $s runs: wall ${walls[*]} s; cpu ${cpus[*]} s; peak RSS ${rsss[*]} MB"
done

echo
printf '%-8s %-12s %10s %9s %14s  %s\n' stage tool "wall (s)" "cpu (s)" "peak RSS (MB)" "RSS target"
total=0 cputotal=0
for s in "${stages[@]}"; do
	if [ "${status[$s]}" != ok ]; then
		printf '%-8s %-12s %s\n' "$s" "${tool[$s]}" "${status[$s]}"
		continue
	fi
	if awk -v r="${rss[$s]}" -v t="$TARGET_RSS_MB" 'BEGIN { exit !(r < t) }'; then
		verdict="PASS (< $TARGET_RSS_MB MB)"
	else
		verdict="MISS (>= $TARGET_RSS_MB MB)"
		ok_all=0
	fi
	printf '%-8s %-12s %10s %9s %14s  %s\n' "$s" "${tool[$s]}" "${wall[$s]}" "${cpu[$s]}" "${rss[$s]}" "$verdict"
	total=$(awk -v a="$total" -v b="${wall[$s]}" 'BEGIN { printf "%.3f", a + b }')
	cputotal=$(awk -v a="$cputotal" -v b="${cpu[$s]}" 'BEGIN { printf "%.2f", a + b }')
done

complete=1
for s in "${stages[@]}"; do
	[ "${status[$s]}" = ok ] || complete=0
done
if [ "$complete" = 1 ]; then
	if awk -v t="$total" -v g="$TARGET_TOTAL_S" 'BEGIN { exit !(t < g) }'; then
		verdict="PASS (< $TARGET_TOTAL_S s)"
	else
		verdict="MISS (>= $TARGET_TOTAL_S s)"
		ok_all=0
	fi
	printf '%-8s %-12s %10s %9s %14s  %s\n' total "" "$total" "$cputotal" "" "chain target: $verdict"
	# The same chain through pipes, once, for reference: it must give
	# the same recommendations as the stages through files.
	t0=$(now_ns)
	set -o pipefail
	# shellcheck disable=SC2086
	if "$BIN/sp-encode" ${args[encode]} "$feats" | "$BIN/sp-svd" ${args[svd]} |
	    "$BIN/sp-cosine" ${args[cosine]} >"$WORK/recs-pipe.ndjson"; then
		t1=$(now_ns)
		if cmp -s "$WORK/recs-pipe.ndjson" "${output[cosine]}"; then
			same="the same as through files"
		else
			same="DIFFERENT from those through files"
			ok_all=0
		fi
		printf 'bench: the chain through pipes took %s s (one run); its %s recommendations are %s\n' \
		    "$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')" \
		    "$(wc -l <"$WORK/recs-pipe.ndjson")" "$same"
	else
		echo "bench: the chain through pipes FAILED"
		ok_all=0
	fi
	set +o pipefail
else
	printf '%-8s %-12s %10s %9s %14s  %s\n' total "" "-" "-" "" "chain target: UNKNOWN (a stage did not run)"
fi
echo "bench: medians of $RUNS runs; $(nproc) cores; load average $(cut -d" " -f1-3 /proc/loadavg); $(date -u +%Y-%m-%dT%H:%M:%SZ)"
[ "$ok_all" = 1 ]
