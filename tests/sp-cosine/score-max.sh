# --score max (the default): a candidate's score is its largest cosine to
# any history track; "because" lists the nearest history tracks.
. "$SP_ROOT/tests/sp-cosine/cosine.bash"
mkexample x.spm

cat >expect <<'OUT'
{"rank":1,"track_id":"c1","score":1.000000,"because":[{"track_id":"h2","similarity":1.000000},{"track_id":"h1","similarity":0.707107}]}
{"rank":2,"track_id":"c3","score":0.707107,"because":[{"track_id":"h1","similarity":0.707107},{"track_id":"h2","similarity":0.000000}]}
{"rank":3,"track_id":"c2","score":0.000000,"because":[{"track_id":"h1","similarity":0.000000},{"track_id":"h2","similarity":-0.707107}]}
OUT
expect_status 0 sp-cosine --now $NOW x.spm
expect_file expect out
[ ! -s err ] || fail "unexpected stderr: $(cat err)"

# The same with --score max spelled out, from stdin, and --because 1.
head -c 2000 expect | sed 's/,{"track_id":"h[12]","similarity":[-0-9.]*}\]/]/' >expect1
expect_status 0 sp-cosine --score max --because 1 --now $NOW <x.spm
expect_file expect1 out
