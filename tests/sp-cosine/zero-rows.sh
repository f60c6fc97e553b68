# An all-zero row has no direction, so no cosine: it is never recommended
# (it used to be, with score 0) and never a reason (similarity 0); a
# warning says how many were skipped, with or without --history.
. "$SP_ROOT/tests/sp-cosine/cosine.bash"

mkmat x.spm <<'ROWS'
{"track_id":"old-x","release_date":"2020","heard":true}|1 0
{"track_id":"old-0","release_date":"2020","heard":true}|0 0
{"track_id":"new-x","release_date":"2026-11-25","heard":false}|5 1
{"track_id":"new-0","release_date":"2026-11-26","heard":false}|0 0
{"track_id":"new-y","release_date":"2026-11-27","heard":false}|-1 5
ROWS
cat >expect <<'OUT'
{"rank":1,"track_id":"new-x","score":0.980581,"because":[{"track_id":"old-x","similarity":0.980581}]}
{"rank":2,"track_id":"new-y","score":-0.196116,"because":[{"track_id":"old-x","similarity":-0.196116}]}
OUT
expect_status 0 sp-cosine --now $NOW x.spm
expect_file expect out
expect_eq "warning" "sp-cosine: x.spm: skipped 1 candidate and 1 history entry whose rows are all zero (no cosine)" "$(cat err)"

printf '{"user":"a","track_id":"old-0"}\n{"user":"a","track_id":"old-x"}\n{"user":"b","track_id":"old-0"}\n{"user":"b","track_id":"old-0"}\n' >hist
sed 's/^{/{"user":"a",/' expect >expect-a
expect_status 0 sp-cosine --now $NOW --history hist x.spm
expect_file expect-a out
expect_eq "warnings" "sp-cosine: x.spm: skipped 1 candidate and 3 history entries whose rows are all zero (no cosine)
sp-cosine: user 'b': none of its 2 history tracks is in x.spm; no recommendations" "$(cat err)"
