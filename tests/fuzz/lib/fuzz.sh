#!/usr/bin/env bash
# tests/fuzz/lib/fuzz.sh: make fuzz.  Builds every harness with libFuzzer,
# ASan and UBSan (tests/fuzz/fuzz.mk) and runs each for FUZZ_SECONDS (60),
# one after the other, from its working corpus (tests/fuzz/build/T/corpus,
# kept between runs), its committed corpus (tests/fuzz/T/corpus) and seeds
# made from ../shared/data when present (tests/fuzz/lib/seeds.py).  A crash
# is saved as tests/fuzz/T/crashes/crash-SHA1 (or leak-, timeout-, oom-):
# commit it with its fix and tests/fuzz/replay.sh replays it in make check.
# Arguments narrow the run to targets (fuzz.sh mat mtx).  Prints a line per
# target: seconds, executions, corpus size, new reproducers; exits 1 if any.
set -u
ROOT=$(cd "$(dirname "$0")/../../.." && pwd)
cd "$ROOT" || exit 1
SECONDS_EACH=${FUZZ_SECONDS:-60}
FZ=tests/fuzz/build
export SP_ROOT=$ROOT
export SP_DATA=${SP_DATA:-$(cd "$ROOT/.." && pwd)/shared/data}

# clang and libFuzzer's runtime (Debian 12: clang-14, libclang-rt-14-dev).
have_libfuzzer() {
	printf 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n) { return 0; }\n' |
	    clang -x c -fsanitize=fuzzer,address,undefined -o "$FZ/.probe" - >/dev/null 2>&1
}
mkdir -p "$FZ"
if ! have_libfuzzer; then
	pkgs="clang libclang-rt-14-dev"
	if [ "$(id -u)" != 0 ]; then
		echo "fuzz: clang with libFuzzer is missing; run as root: apt-get install -y $pkgs" >&2
		exit 1
	fi
	echo "fuzz: installing: $pkgs" >&2
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $pkgs >/dev/null ||
	    { echo "fuzz: apt-get install $pkgs failed" >&2; exit 1; }
	have_libfuzzer || { echo "fuzz: clang cannot link a libFuzzer harness" >&2; exit 1; }
fi
rm -f "$FZ/.probe"
make --no-print-directory all >/dev/null || exit 1	# the tools that make the seeds
make --no-print-directory -f tests/fuzz/fuzz.mk -j"$(nproc 2>/dev/null || echo 2)" || exit 1

targets=("$@")
if [ ${#targets[@]} = 0 ]; then
	for f in tests/fuzz/fuzz_*.c; do
		t=${f#tests/fuzz/fuzz_}
		targets+=("${t%.c}")
	done
fi

found=0
printf '%-11s %8s %12s %8s %s\n' target seconds executions corpus reproducers
for t in "${targets[@]}"; do
	[ -f "tests/fuzz/fuzz_$t.c" ] || { echo "fuzz: no harness tests/fuzz/fuzz_$t.c" >&2; exit 2; }
	mkdir -p "$FZ/$t/corpus" "tests/fuzz/$t/crashes" "tests/fuzz/$t/corpus"
	rm -rf "$FZ/$t/seeds"
	python3 tests/fuzz/lib/seeds.py shared "$t" "$FZ/$t/seeds" >/dev/null
	before=$(ls "tests/fuzz/$t/crashes" | wc -l)
	# Harness options: a line "libfuzzer: -flag=value ..." in its comment.
	opts=$(sed -n 's/^ \* libfuzzer: //p' "tests/fuzz/fuzz_$t.c")
	asan=
	case " $opts " in *" -detect_leaks=0 "*) asan=detect_leaks=0 ;; esac
	start=$(date +%s)
	# shellcheck disable=SC2086
	ASAN_OPTIONS=$asan LSAN_OPTIONS=suppressions=$ROOT/tests/fuzz/lsan.supp \
	    "$FZ/fuzz_$t" -max_total_time="$SECONDS_EACH" -timeout=10 -rss_limit_mb=2048 \
	    -max_len=65536 -dict=tests/fuzz/json.dict -close_fd_mask=3 -print_final_stats=1 \
	    -artifact_prefix="tests/fuzz/$t/crashes/" $opts \
	    "$FZ/$t/corpus" "tests/fuzz/$t/corpus" "$FZ/$t/seeds" >"$FZ/$t/log" 2>&1
	st=$?
	end=$(date +%s)
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$FZ/$t/log" | tail -1)
	after=$(ls "tests/fuzz/$t/crashes" | wc -l)
	printf '%-11s %8s %12s %8s %s\n' "$t" $((end - start)) "${runs:-?}" \
	    "$(ls "$FZ/$t/corpus" | wc -l)" $((after - before))
	if [ "$st" != 0 ] || [ "$after" -gt "$before" ]; then
		found=1
		echo "fuzz: $t: see $FZ/$t/log; reproducers in tests/fuzz/$t/crashes" >&2
		grep -m3 -E 'ERROR|SUMMARY|runtime error|fuzz:' "$FZ/$t/log" | sed 's/^/  /' >&2
	fi
done
exit $found
