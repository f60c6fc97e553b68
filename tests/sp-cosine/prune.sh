# A listener scored alone (--score max or weighted, -n well below the
# candidates) may first bound every similarity (caps of candidates, then
# their first components) and send to the full product only the
# candidates that may enter its best 2n+16.  Asked for here
# (SP_COSINE_PRUNE=on: these products are too small for it to pay, and by
# default it does not run on them), its recommendations are byte for byte
# those of the whole product, for both scores, -n small and large, the
# artist cap, labels and any number of threads; and on rows with many
# exact ties, where the artist cap has the listener scored again keeping
# all; and it gives up on random directions.
. "$SP_ROOT/tests/sp-cosine/cosine.bash"

generators
./gen-features -n 30000 -H 80 --now $NOW >feats.ndjson || fail "gen-features"
./gen-history -u 1 -t 6000 <feats.ndjson >hist || fail "gen-history"
sp-encode -s "$SP_ROOT/pipelines/encode-example.json" feats.ndjson | sp-svd -k 48 >emb.spm ||
    fail "sp-encode | sp-svd"

n=0
for args in "" "-n 5" "-n 40 --because 1" "--per-artist 1 -n 60" "--threads 1" "--threads 3 --labels" \
    "--score weighted --history hist" "--score weighted --history hist --per-artist 2 -n 9" \
    "--history hist --threads 2"; do
	n=$((n + 1))
	# shellcheck disable=SC2086
	SP_COSINE_PRUNE=on expect_status 0 sp-cosine -v --now $NOW $args emb.spm
	mv out pruned.$n
	expect_grep "^sp-cosine: listener '[^']*': [0-9]* of [0-9]* candidates may enter its best [0-9]* " err
	kept=$(sed -n "s/.*': \([0-9]*\) of \([0-9]*\) candidates.*/\1 \2/p" err)
	# shellcheck disable=SC2086
	set -- $kept
	[ "$1" -lt "$2" ] || fail "$args: nothing pruned: $kept"
	[ -s pruned.$n ] || fail "$args: no output"
	# shellcheck disable=SC2086
	SP_COSINE_PRUNE=on SP_COSINE_PRODUCT=per-listener expect_status 0 sp-cosine -v --now $NOW $args emb.spm
	expect_file pruned.$n out
	if grep -q "may enter its best" err; then
		fail "$args: pruned with SP_COSINE_PRODUCT=per-listener"
	fi
	# By default a product this small (48 dimensions) is not worth it.
	# shellcheck disable=SC2086
	expect_status 0 sp-cosine -v --now $NOW $args emb.spm
	expect_file pruned.$n out
	if grep -q "may enter its best" err; then
		fail "$args: pruned a product too small to pay"
	fi
	# shellcheck disable=SC2086
	SP_COSINE_PRUNE=off expect_status 0 sp-cosine --now $NOW $args emb.spm
	expect_file pruned.$n out
done
# Few distinct values: exact ties everywhere, pruning forced on a small input.
python3 - <<'PY' >rows || fail "generator failed"
import random
random.seed(7)
ncand, old = 0, []
for i in range(4000):
    new = i % 4 == 0
    date = "2026-11-%02d" % (21 + i % 7) if new else "2023-05-%02d" % (1 + i % 28)
    v = [random.choice([-1, 0, 1, 2]) for _ in range(20)]
    print('{"track_id":"t%04d","release_date":"%s","heard":%s,"artist_ids":["a%d"]}|%s'
          % (i % 3900, date, "false" if new else "true", i % 30, " ".join(map(str, v))))
    ncand += new
    if not new:
        old.append(v)
    elif ncand % 64 == 63 and ncand < 1000:
        # A heard track's vector (similarity 1) twice under one id and
        # other labels, the second row the first of the next candidate
        # block: the first row wins, pruned or not.
        v = old[-1]
        for j in range(2):
            print('{"track_id":"d%04d","release_date":"2026-11-2%d","heard":false,"artist_ids":["a%d"]}|%s'
                  % (i, 5 + j, (i + j) % 30, " ".join(map(str, v))))
        ncand += 2
PY
mkmat x.spm <rows
for args in "" "-n 3" "--per-artist 1 -n 25" "--score weighted" "--labels -n 40"; do
	# shellcheck disable=SC2086
	SP_COSINE_PRUNE=on expect_status 0 sp-cosine -v --now $NOW $args x.spm
	mv out on
	expect_grep "may enter its best" err
	case $args in
	# Thirty artists: the cap runs the best 66 out, and all are scored again.
	*per-artist*) expect_grep "scored again keeping all" err ;;
	esac
	# shellcheck disable=SC2086
	SP_COSINE_PRUNE=off expect_status 0 sp-cosine --now $NOW $args x.spm
	expect_file on out
done

# An embedding of 16 dimensions or fewer has no tail to bound: no pruning,
# even asked for.
sp-encode -s "$SP_ROOT/pipelines/encode-example.json" feats.ndjson | sp-svd -k 12 >small.spm ||
    fail "sp-svd -k 12"
SP_COSINE_PRUNE=on expect_status 0 sp-cosine -v --now $NOW small.spm
if grep -q "may enter its best" err; then
	fail "pruned a 12-dimensional embedding: $(cat err)"
fi

# Random directions leave the bounds nothing to prune (asked for on this
# small input): after the first
# round, with most similarities formed in full, it gives up and the
# product scores every candidate, with the same lines.
python3 - <<'PY' >rrows || fail "generator failed"
import random
random.seed(3)
for i in range(12000):
    new = i % 10 == 0
    date = "2026-11-%02d" % (21 + i % 7) if new else "2023-05-%02d" % (1 + i % 28)
    v = ["%.4f" % random.gauss(0, 1) for _ in range(40)]
    print('{"track_id":"r%05d","release_date":"%s","heard":%s,"artist_ids":["a%d"]}|%s'
          % (i, date, "false" if new else "true", i % 300, " ".join(v)))
PY
mkmat r.spm <rrows
SP_COSINE_PRUNE=on expect_status 0 sp-cosine -v --now $NOW r.spm
mv out random
expect_grep "^sp-cosine: listener '-': the bounds of its similarities do not pay here ([0-9]*% formed in full in the first [0-9]*); the product scores every candidate$" err
SP_COSINE_PRUNE=off expect_status 0 sp-cosine --now $NOW r.spm
expect_file random out
