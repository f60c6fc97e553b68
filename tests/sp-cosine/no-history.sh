# Nothing heard before the window: a warning, no output, exit 0; the same
# for an empty --history file.
. "$SP_ROOT/tests/sp-cosine/cosine.bash"
mkmat x.spm <<'ROWS'
{"track_id":"old","release_date":"2020","heard":false}|1 0
{"track_id":"new","release_date":"2026-11-25","heard":true}|1 1
ROWS

expect_status 0 sp-cosine --now $NOW x.spm
[ ! -s out ] || fail "output: $(cat out)"
expect_err "sp-cosine: x.spm: no history: no heard row released on or before 2026-11-20; nothing to recommend"

: >h
expect_status 0 sp-cosine --now $NOW --history h x.spm
[ ! -s out ] || fail "output: $(cat out)"
expect_err "sp-cosine: h: no history entries; nothing to recommend"
