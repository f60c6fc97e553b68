# No row released in the window: a warning, no output, exit 0.
. "$SP_ROOT/tests/sp-cosine/cosine.bash"
mkexample x.spm

expect_status 0 sp-cosine --now 2026-12-31 x.spm
[ ! -s out ] || fail "output: $(cat out)"
expect_err "sp-cosine: x.spm: no candidates: no row released from 2026-12-25 to 2026-12-31; nothing to recommend"

# The same with --history.
printf '{"user":"u","track_id":"h1"}\n' >h
expect_status 0 sp-cosine --now 2026-12-31 --history h x.spm
[ ! -s out ] || fail "output: $(cat out)"
expect_err "sp-cosine: x.spm: no candidates: no row released from 2026-12-25 to 2026-12-31; nothing to recommend"
