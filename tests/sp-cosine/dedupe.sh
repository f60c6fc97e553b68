# A track id on several candidate rows is one candidate, at its best
# score; an id on several history rows is one history track (the first).
. "$SP_ROOT/tests/sp-cosine/cosine.bash"

mkmat x.spm <<'ROWS'
{"track_id":"h1","release_date":"2020","heard":true}|1 0
{"track_id":"h1","release_date":"2021","heard":true}|0 1
{"track_id":"dup","release_date":"2026-11-25","heard":false}|1 1
{"track_id":"solo","release_date":"2026-11-25","heard":false}|3 1
{"track_id":"dup","release_date":"2026-11-26","heard":false}|1 0
ROWS
# History: h1 = (1, 0) only (the first row).  dup's rows score 0.707107
# and 1: one line at 1.  solo: 0.948683.
cat >expect <<'OUT'
{"rank":1,"track_id":"dup","score":1.000000,"because":[{"track_id":"h1","similarity":1.000000}]}
{"rank":2,"track_id":"solo","score":0.948683,"because":[{"track_id":"h1","similarity":0.948683}]}
OUT
expect_status 0 sp-cosine --now $NOW x.spm
expect_file expect out
