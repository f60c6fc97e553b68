#!/usr/bin/env bash
# tests/bench/run.sh: the benchmark behind 'make bench'.  Builds the
# deterministic synthetic feature file (tests/bench/gen-features.c: 100,000
# tracks, ~8,000 artists, ~1,500 genres, ~20 non-zeros a row, 5% released in
# the 7 days up to NOW, HEARD% of the others heard), then times the chain
#     sp-encode -s pipelines/encode-example.json | sp-svd -k 100 | sp-cosine --now NOW
# stage by stage through intermediate files, RUNS times (default 3), and
# prints each stage's median wall time, CPU time (user + system; a busy
# machine inflates wall times much more than these) and peak RSS, their
# totals, and PASS or MISS for the targets: the chain (the sum of the
# stages' median wall times) under 1.4 s, every stage under 250 MB.  Then it
# runs the chain once through pipes and checks that the recommendations
# are the same.  Each stage's figure is printed beside its floor, measured
# in the same run (medians too): jq's parse of the same file for sp-encode,
# the 12 sparse products of the SVD (tests/bench/floor.c) for sp-svd, a
# raw sgemm of the same shape for sp-cosine; and the BLAS kernel in use.
# Then many listeners (tests/bench/gen-history.c: LISTENERS x 500 tracks
# drawn from the heard rows) scored in one sp-cosine --history run against
# the same embedding: wall, CPU, peak RSS and the history read, beside a
# raw sgemm of candidates x the union of the histories; targets: under
# 3 s, the read under 0.5 s, under 250 MB.
# A stage whose tool is not built is reported as missing.
# Environment: RUNS, BENCH_DIR (default tests/out/bench), BENCH_BIN (where
# the tools are; default bin/), ROWS (default 100000), HEARD (default 80),
# LISTENERS (default 1000), NOW (default 2026-11-27).
# Exit status: 0 when every stage ran and met its targets, 1 otherwise.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BIN=${BENCH_BIN:-$ROOT/bin}
RUNS=${RUNS:-3}
ROWS=${ROWS:-100000}
HEARD=${HEARD:-80}
LISTENERS=${LISTENERS:-1000}
NOW=${NOW:-2026-11-27}
WORK=${BENCH_DIR:-$ROOT/tests/out/bench}
TARGET_TOTAL_S=1.4
TARGET_RSS_MB=250
TARGET_MANY_S=3
TARGET_READ_S=0.5
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
for g in gen-history floor; do
	if ! [ -x "$WORK/$g" ] || [ "$ROOT/tests/bench/$g.c" -nt "$WORK/$g" ] ||
	    [ "$ROOT/libcommon/libcommon.a" -nt "$WORK/$g" ]; then
		# shellcheck disable=SC2046
		${CC:-cc} -std=c11 -O2 -D_GNU_SOURCE -Wall -Wextra -Werror -I"$ROOT/libcommon" \
		    -o "$WORK/$g" "$ROOT/tests/bench/$g.c" "$ROOT/libcommon/libcommon.a" \
		    $(pkg-config --libs libcurl libpq lapacke openblas libarchive zlib) \
		    -lgsl -ljq -lonig -lm -lpthread || exit 1
	fi
done
feats=$WORK/feats.ndjson
"$gen" -n "$ROWS" -H "$HEARD" --now "$NOW" >"$feats" || exit 1
printf 'bench: %s: %s rows, %s bytes, sha256 %.16s\n' "$feats" \
    "$(wc -l <"$feats")" "$(wc -c <"$feats")" "$(sha256sum "$feats" | cut -c1-64)"

# The stages: name, tool, arguments, input, output.
stages=(encode svd cosine)
declare -A tool args input output
tool[encode]=sp-encode; args[encode]="-s $ROOT/pipelines/encode-example.json"
input[encode]=$feats; output[encode]=$WORK/feats.spm
tool[svd]=sp-svd; args[svd]="-v -k 100"
input[svd]=$WORK/feats.spm; output[svd]=$WORK/emb.spm
tool[cosine]=sp-cosine; args[cosine]="-v --now $NOW"
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
	if "$BIN/sp-encode" ${args[encode]} "$feats" 2>"$WORK/pipe-encode.err" | "$BIN/sp-svd" ${args[svd]} 2>"$WORK/pipe-svd.err" |
	    "$BIN/sp-cosine" ${args[cosine]} >"$WORK/recs-pipe.ndjson" 2>"$WORK/pipe-cosine.err"; then
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

# secs CMD...: the wall seconds CMD takes (its output discarded).
secs() {
	local t0 t1
	t0=$(now_ns)
	"$@" >/dev/null 2>&1 || return 1
	t1=$(now_ns)
	awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1e9 }'
}
# floor NAME CMD...: the median of RUNS runs of CMD's first word of output
# (floor prints seconds) or, for a plain command, of its wall time.
floor_of() {
	local i v vals=()
	for ((i = 1; i <= RUNS; i++)); do
		case $1 in
		"$WORK/floor") v=$("$@" | cut -d" " -f1) ;;
		*) v=$(secs "$@") ;;
		esac
		[ -n "$v" ] || return 1
		vals+=("$v")
	done
	median "${vals[@]}"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }

kernel=$(sed -n 's/.*; blas kernel //p' "$WORK/svd.err" 2>/dev/null | tail -n 1)
echo "bench: blas kernel ${kernel:-unknown} (sp-svd -v); sp-cosine: $(sed -n 's/^sp-cosine: blas kernel //p' "$WORK/cosine.err" 2>/dev/null)"
if [ "$complete" = 1 ]; then
	nproc=$(nproc)
	ncand=$(sed -n 's/.*; \([0-9]*\) candidates released.*/\1/p' "$WORK/cosine.err")
	nhist=$(sed -n 's/.*; \([0-9]*\) history entries, .*/\1/p' "$WORK/cosine.err")
	f_enc=$(floor_of jq empty "$feats")
	f_svd=$(floor_of "$WORK/floor" spmm "$WORK/feats.spm" 112)
	f_cos=$(floor_of "$WORK/floor" sgemm "$ncand" "$nhist" 100 "$nproc")
	echo
	printf '%-8s %10s %10s %7s  %s\n' stage "wall (s)" "floor (s)" ratio floor
	printf '%-8s %10s %10s %7s  %s\n' encode "${wall[encode]}" "$f_enc" "$(ratio "${wall[encode]}" "$f_enc")" \
	    "jq empty on the same file (jq's parser, one thread)"
	printf '%-8s %10s %10s %7s  %s\n' svd "${wall[svd]}" "$f_svd" "$(ratio "${wall[svd]}" "$f_svd")" \
	    "the SVD's 12 sparse products, $nproc threads"
	printf '%-8s %10s %10s %7s  %s\n' cosine "${wall[cosine]}" "$f_cos" "$(ratio "${wall[cosine]}" "$f_cos")" \
	    "sgemm $ncand x $nhist x 100 alone, $nproc threads"

	# Many listeners against the same embedding.
	hist=$WORK/hist.ndjson
	"$WORK/gen-history" -u "$LISTENERS" -t 500 <"$feats" >"$hist" || exit 1
	walls=() rsss=() cpus=() reads=()
	for ((i = 1; i <= RUNS; i++)); do
		t0=$(now_ns)
		if ! "$TIME" -f '%e %M %U %S' -o "$WORK/many.time" "$BIN/sp-cosine" -v --now "$NOW" \
		    --history "$hist" "$WORK/emb.spm" >"$WORK/many.ndjson" 2>"$WORK/many.err"; then
			echo "bench: many listeners FAILED (see $WORK/many.err)"
			ok_all=0
			break
		fi
		t1=$(now_ns)
		walls+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')")
		rsss+=("$(tail -n 1 "$WORK/many.time" | awk '{ printf "%.1f", $2 / 1024 }')")
		cpus+=("$(tail -n 1 "$WORK/many.time" | awk '{ printf "%.2f", $3 + $4 }')")
		reads+=("$(sed -n 's/^sp-cosine: [^:]*: [0-9]* listeners, .*; read in \([0-9.]*\) s$/\1/p' "$WORK/many.err")")
	done
	if [ "${#walls[@]}" = "$RUNS" ]; then
		union=$(sed -n 's/^sp-cosine: listeners .*, \([0-9]*\) rows in their union$/\1/p' "$WORK/many.err" |
		    awk '{ s += $1 } END { print s + 0 }')
		f_many=$(floor_of "$WORK/floor" sgemm "$ncand" "$union" 100 "$nproc")
		w=$(median "${walls[@]}") r=$(median "${reads[@]}") m=$(median "${rsss[@]}")
		echo
		echo "bench: many listeners runs: wall ${walls[*]} s; cpu ${cpus[*]} s; history read ${reads[*]} s; peak RSS ${rsss[*]} MB"
		v1=$(awk -v x="$w" -v t="$TARGET_MANY_S" 'BEGIN { print (x < t) ? "PASS" : "MISS" }')
		v2=$(awk -v x="$r" -v t="$TARGET_READ_S" 'BEGIN { print (x < t) ? "PASS" : "MISS" }')
		v3=$(awk -v x="$m" -v t="$TARGET_RSS_MB" 'BEGIN { print (x < t) ? "PASS" : "MISS" }')
		printf 'many     %s listeners x 500, %s candidates: wall %s s (cpu %s s): %s (< %s s); history read %s s: %s (< %s s); peak RSS %s MB: %s (< %s MB)\n' \
		    "$LISTENERS" "$ncand" "$w" "$(median "${cpus[@]}")" "$v1" "$TARGET_MANY_S" "$r" "$v2" "$TARGET_READ_S" "$m" "$v3" "$TARGET_RSS_MB"
		nchunk=$(grep -c 'rows in their union' "$WORK/many.err")
		printf 'many     floor: sgemm %s x %s (the union of each chunk of listeners, %s chunk(s)) x 100 alone, %s threads: %s s; ratio %s\n' \
		    "$ncand" "$union" "$nchunk" "$nproc" "$f_many" "$(ratio "$w" "$f_many")"
		[ "$v1$v2$v3" = PASSPASSPASS ] || ok_all=0
	fi
fi
echo "bench: medians of $RUNS runs; $(nproc) cores; load average $(cut -d" " -f1-3 /proc/loadavg); $(date -u +%Y-%m-%dT%H:%M:%SZ)"
[ "$ok_all" = 1 ]
