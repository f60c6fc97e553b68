# The output is byte-identical across runs and thread counts, for one
# listener (candidate blocks shared out) and many (listeners shared out).
. "$SP_ROOT/tests/sp-cosine/cosine.bash"

python3 - <<'PY' >rows || fail "generator failed"
import random
random.seed(5)
for i in range(3000):
    new = i % 3 == 0
    date = "2026-11-%02d" % (21 + i % 7) if new else "2023-05-%02d" % (1 + i % 28)
    # Few distinct values: many exact ties between scores and similarities.
    v = [random.choice([-1, 0, 1, 2]) for _ in range(6)]
    print('{"track_id":"t%04d","release_date":"%s","heard":%s,"artist_ids":["a%d"]}|%s'
          % (i, date, "false" if new else "true", i % 40, " ".join(map(str, v))))
PY
mkmat x.spm <rows
awk 'BEGIN { srand(3); for (u = 0; u < 40; u++) for (k = 0; k < 30; k++)
    printf "{\"user\":\"u%02d\",\"track_id\":\"t%04d\"}\n", u, int(rand() * 3000) }' >h

run() {	# run NAME ARGS...
	local name=$1
	shift
	sp-cosine --now $NOW -n 40 "$@" x.spm >"$name" 2>"$name.err" || fail "sp-cosine $* failed"
	[ -s "$name" ] || fail "sp-cosine $*: no output"
}
for mode in max topk-mean centroid weighted; do
	run one-$mode.1 --score $mode --threads 1
	run one-$mode.2 --score $mode --threads 2
	run one-$mode.3 --score $mode --threads 2
	run one-$mode.4 --score $mode --threads 5 --per-artist 2
	run one-$mode.5 --score $mode --threads 1 --per-artist 2
	expect_file one-$mode.1 one-$mode.2
	expect_file one-$mode.1 one-$mode.3
	expect_file one-$mode.5 one-$mode.4
	run many-$mode.1 --score $mode --history h --threads 1
	run many-$mode.2 --score $mode --history h --threads 2
	run many-$mode.3 --score $mode --history h --threads 4
	expect_file many-$mode.1 many-$mode.2
	expect_file many-$mode.1 many-$mode.3
done
expect_eq "lines for 40 users" 1600 "$(wc -l <many-max.1)"
