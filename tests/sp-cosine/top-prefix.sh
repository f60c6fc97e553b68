# -n N gives the first N lines of a longer list, also when duplicates and
# the artist cap push the list far down the ranking.
. "$SP_ROOT/tests/sp-cosine/cosine.bash"

python3 - <<'PY' >rows || fail "generator failed"
import random
random.seed(8)
for i in range(900):
    new = i % 2 == 0
    date = "2026-11-25" if new else "2020"
    v = ["%.3f" % random.uniform(-1, 1) for _ in range(5)]
    # Three artists only, and ids repeated on several rows.
    print('{"track_id":"t%03d","release_date":"%s","heard":true,"artist_ids":"a%d"}|%s'
          % (i % 300 if new else i, date, i % 3, " ".join(v)))
PY
mkmat x.spm <rows

sp-cosine --now $NOW -n 100000 x.spm >all || fail "sp-cosine failed"
expect_eq "distinct candidates" 150 "$(wc -l <all)"
for n in 1 5 20 77 149 150; do
	sp-cosine --now $NOW -n $n x.spm >got || fail "-n $n failed"
	head -n $n all >want
	expect_file want got
done
sp-cosine --now $NOW -n 100000 --per-artist 4 x.spm >all || fail "sp-cosine failed"
expect_eq "capped" 12 "$(wc -l <all)"
sp-cosine --now $NOW -n 7 --per-artist 4 x.spm >got || fail "sp-cosine failed"
head -n 7 all >want
expect_file want got
# Only 3 artists: -n 5 --per-artist 1 walks the whole ranking for 3 lines.
sp-cosine --now $NOW -n 100000 --per-artist 1 x.spm >all || fail "sp-cosine failed"
sp-cosine --now $NOW -n 5 --per-artist 1 x.spm >got || fail "sp-cosine failed"
expect_eq "one per artist" 3 "$(wc -l <got)"
expect_file all got
