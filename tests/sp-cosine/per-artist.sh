# --per-artist N: at most N recommendations per artist; a track counts
# against each of its artists (string or array); tracks without artists
# are never capped.  The cap takes the next best, so -n lines still come.
. "$SP_ROOT/tests/sp-cosine/cosine.bash"

mkmat x.spm <<'ROWS'
{"track_id":"h","release_date":"2020","heard":true}|1 0
{"track_id":"a1","release_date":"2026-11-25","artist_ids":["A"]}|10 1
{"track_id":"a2","release_date":"2026-11-25","artist_ids":"A"}|9 1
{"track_id":"ab","release_date":"2026-11-25","artist_ids":["B","A"]}|8 1
{"track_id":"b1","release_date":"2026-11-25","artist_ids":["B"]}|7 1
{"track_id":"n1","release_date":"2026-11-25","artist_ids":null}|6 1
{"track_id":"n2","release_date":"2026-11-25"}|5 1
{"track_id":"c1","release_date":"2026-11-25","artist_ids":["C",null]}|4 1
ROWS
ids() { sed 's/.*"track_id":"\([^"]*\)","score".*/\1/' out | tr '\n' ' '; }

expect_status 0 sp-cosine --now $NOW x.spm
expect_eq "no cap" "a1 a2 ab b1 n1 n2 c1 " "$(ids)"
expect_status 0 sp-cosine --now $NOW --per-artist 1 x.spm
expect_eq "one per artist" "a1 b1 n1 n2 c1 " "$(ids)"
expect_status 0 sp-cosine --now $NOW --per-artist 2 x.spm
expect_eq "two per artist" "a1 a2 b1 n1 n2 c1 " "$(ids)"
expect_status 0 sp-cosine --now $NOW --per-artist 1 -n 3 x.spm
expect_eq "-n 3" "a1 b1 n1 " "$(ids)"
# The ranks stay 1, 2, 3 without gaps.
expect_eq "ranks" "1 2 3 " "$(sed 's/.*"rank":\([0-9]*\),.*/\1/' out | tr '\n' ' ')"
