# --score centroid: the cosine to the weighted sum of the unit history
# vectors.  Unweighted, m = (0.707107, 1.707107); with weights h1 1, h2 4,
# m = (0.707107, 4.707107).
. "$SP_ROOT/tests/sp-cosine/cosine.bash"
mkexample x.spm

cat >expect <<'OUT'
c1 0.923880
c3 0.382683
c2 -0.382683
OUT
expect_status 0 sp-cosine --score centroid --now $NOW x.spm
sed 's/.*"track_id":"\([^"]*\)","score":\([-0-9.]*\).*/\1 \2/' out >got
expect_file expect got
grep -q '"because":\[{"track_id":"h2","similarity":1.000000}' out ||
    fail "centroid still explains with the nearest history tracks"

printf '%s\n' '{"user":"u1","track_id":"h1","weight":1}' \
    '{"user":"u1","track_id":"h2","weight":4}' >hist
cat >expect <<'OUT'
u1 c1 0.988904
u1 c3 0.148554
u1 c2 -0.594217
OUT
expect_status 0 sp-cosine --score centroid --history hist --now $NOW x.spm
sed 's/.*"user":"\([^"]*\)".*"track_id":"\([^"]*\)","score":\([-0-9.]*\).*/\1 \2 \3/' out >got
expect_file expect got

# Without explanations, centroid needs no product and gives the same scores.
expect_status 0 sp-cosine --score centroid --because 0 --history hist --now $NOW x.spm
sed 's/.*"user":"\([^"]*\)".*"track_id":"\([^"]*\)","score":\([-0-9.]*\).*/\1 \2 \3/' out >got
expect_file expect got
grep -q '"because":\[\]}$' out || fail "--because 0 should print an empty list"
