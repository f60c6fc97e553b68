# --score topk-mean: the mean of the --topk largest cosines (all of them
# when the history is shorter).
. "$SP_ROOT/tests/sp-cosine/cosine.bash"
mkexample x.spm

# topk 1 is max; topk 2: c1 (1 + 0.707107) / 2, c3 0.707107 / 2, c2 -0.707107 / 2.
cat >expect <<'OUT'
c1 0.853553
c3 0.353553
c2 -0.353553
OUT
expect_status 0 sp-cosine --score topk-mean --topk 2 --now $NOW x.spm
sed 's/.*"track_id":"\([^"]*\)","score":\([-0-9.]*\).*/\1 \2/' out >got
expect_file expect got

# The default --topk 5 with 2 history tracks averages both.
expect_status 0 sp-cosine --score topk-mean --now $NOW x.spm
sed 's/.*"track_id":"\([^"]*\)","score":\([-0-9.]*\).*/\1 \2/' out >got
expect_file expect got

# topk 1 equals max.
sp-cosine --score topk-mean --topk 1 --now $NOW x.spm >a || fail "topk 1 failed"
sp-cosine --now $NOW x.spm >b || fail "max failed"
expect_file b a
