# Equal scores are ranked by track id (byte order), and equal
# similarities in "because" too, whatever the row order.
. "$SP_ROOT/tests/sp-cosine/cosine.bash"

mkmat x.spm <<'ROWS'
{"track_id":"hb","release_date":"2020","heard":true}|2 0
{"track_id":"c-b","release_date":"2026-11-25"}|1 1
{"track_id":"ha","release_date":"2020","heard":true}|1 0
{"track_id":"c-a","release_date":"2026-11-25"}|2 2
{"track_id":"C-z","release_date":"2026-11-25"}|3 3
{"track_id":"hc","release_date":"2020","heard":true}|0 1
ROWS
cat >expect <<'OUT'
{"rank":1,"track_id":"C-z","score":0.707107,"because":[{"track_id":"ha","similarity":0.707107},{"track_id":"hb","similarity":0.707107},{"track_id":"hc","similarity":0.707107}]}
{"rank":2,"track_id":"c-a","score":0.707107,"because":[{"track_id":"ha","similarity":0.707107},{"track_id":"hb","similarity":0.707107},{"track_id":"hc","similarity":0.707107}]}
{"rank":3,"track_id":"c-b","score":0.707107,"because":[{"track_id":"ha","similarity":0.707107},{"track_id":"hb","similarity":0.707107},{"track_id":"hc","similarity":0.707107}]}
OUT
expect_status 0 sp-cosine --now $NOW x.spm
expect_file expect out
# --because 2 keeps the first two by id.
expect_status 0 sp-cosine --now $NOW --because 2 -n 1 x.spm
expect_grep '"because":\[{"track_id":"ha","similarity":0.707107},{"track_id":"hb","similarity":0.707107}\]}$' out
