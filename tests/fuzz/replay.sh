# fuzz: every harness replays, once each and without libFuzzer, its saved
# reproducers (tests/fuzz/T/crashes), its committed corpus
# (tests/fuzz/T/corpus), the seeds made from ../shared/data when present,
# and the working corpus of make fuzz when there is one; no input may
# crash it (under make check SAN=1: no sanitizer report either).
. "$SP_ROOT/tests/lib/lib.sh"

n=0
for src in "$SP_ROOT"/tests/fuzz/fuzz_*.c; do
	t=${src##*/fuzz_}
	t=${t%.c}
	bin=$SP_ROOT/tests/fuzz/fuzz_$t
	[ -x "$bin" ] || fail "$bin is not built (make all builds it)"
	dirs=()
	for d in "$SP_ROOT/tests/fuzz/$t/crashes" "$SP_ROOT/tests/fuzz/$t/corpus" \
	    "$SP_ROOT/tests/fuzz/build/$t/corpus"; do
		[ -d "$d" ] && dirs+=("$d")
	done
	python3 "$SP_ROOT/tests/fuzz/lib/seeds.py" shared "$t" "seeds-$t" >/dev/null ||
	    fail "$t: seeds.py failed"
	dirs+=("seeds-$t")
	want=$(find "${dirs[@]}" -maxdepth 1 -type f ! -name '.*' | wc -l)
	[ -n "$(ls "$SP_ROOT/tests/fuzz/$t/corpus")" ] || fail "$t: tests/fuzz/$t/corpus is empty"
	# As make fuzz runs it: leak checks off for a harness whose reader may
	# exit (fuzz.h), and jq 1.6's own leak suppressed (lsan.supp), without
	# the table of suppressions used after the count this script reads.
	asan=${ASAN_OPTIONS:-}
	grep -q '^ \* libfuzzer: .*-detect_leaks=0' "$src" && asan=${asan:+$asan:}detect_leaks=0
	ASAN_OPTIONS=$asan LSAN_OPTIONS=suppressions=$SP_ROOT/tests/fuzz/lsan.supp:print_suppressions=0 \
	    "$bin" "${dirs[@]}" >"out-$t" 2>"err-$t"
	st=$?
	if [ "$st" != 0 ]; then
		tail -n 30 "err-$t" >&2
		fail "$t: the harness failed (status $st) on an input above"
	fi
	expect_eq "$t: inputs replayed" "$want inputs" "$(tail -n 1 "err-$t")"
	echo "$t: $want inputs"
	n=$((n + 1))
done
[ "$n" -ge 10 ] || fail "expected at least 10 harnesses, found $n"
