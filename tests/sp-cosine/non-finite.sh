# A NaN or infinite value is an error naming the row and column, never a
# NaN score.
. "$SP_ROOT/tests/sp-cosine/cosine.bash"
mkmat x.spm <<'ROWS'
{"track_id":"h","release_date":"2020","heard":true}|1 2
{"track_id":"c","release_date":"2026-11-25"}|3 nan
ROWS
expect_status 1 sp-cosine --now $NOW x.spm
expect_err "sp-cosine: x.spm: row 2: column 2: the value is not finite"

mkmat y.spm <<'ROWS'
{"track_id":"h","release_date":"2020","heard":true}|-inf 2
{"track_id":"c","release_date":"2026-11-25"}|3 1
ROWS
expect_status 1 sp-cosine --now $NOW y.spm
expect_err "sp-cosine: y.spm: row 1: column 1: the value is not finite"
[ ! -s out ] || fail "output: $(cat out)"
