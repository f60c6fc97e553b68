# --score weighted: the largest (w / wmax) * cosine over the history.
. "$SP_ROOT/tests/sp-cosine/cosine.bash"
mkexample x.spm

# u1: h1 weight 1 (0.25 of the largest), h2 weight 4.
#   c1 max(0.25 * 0.707107, 1) = 1; c3 max(0.25 * 0.707107, 0) = 0.176777;
#   c2 max(0.25 * 0, -0.707107) = 0.
# u2: h1 weight 2, h2 weight 0: c1 and c3 tie at 0.707107 (by id: c1
#   first), c2 max(0, 0 * -0.707107) = 0.
# u3: no weights (1 each): the same as --score max.
cat >hist <<'IN'
{"user":"u1","track_id":"h1","weight":1}
{"user":"u2","track_id":"h1","weight":2}
{"user":"u1","track_id":"h2","weight":4}
{"user":"u2","track_id":"h2","weight":0}
{"user":"u3","track_id":"h2"}
{"user":"u3","track_id":"h1"}
IN
cat >expect <<'OUT'
u1 1 c1 1.000000
u1 2 c3 0.176777
u1 3 c2 0.000000
u2 1 c1 0.707107
u2 2 c3 0.707107
u2 3 c2 0.000000
u3 1 c1 1.000000
u3 2 c3 0.707107
u3 3 c2 0.000000
OUT
expect_status 0 sp-cosine --score weighted --history hist --now $NOW x.spm
sed 's/.*"user":"\([^"]*\)","rank":\([0-9]*\),"track_id":"\([^"]*\)","score":\([-0-9.]*\).*/\1 \2 \3 \4/' out >got
expect_file expect got
