# --labels adds the candidate's row label, byte for byte, as "labels".
. "$SP_ROOT/tests/sp-cosine/cosine.bash"
mkexample x.spm

expect_status 0 sp-cosine --now $NOW --labels -n 1 --because 1 x.spm
expect_eq "line" '{"rank":1,"track_id":"c1","score":1.000000,"because":[{"track_id":"h2","similarity":1.000000}],"labels":{"track_id":"c1","release_date":"2026-11-25","heard":false,"artist_ids":["A","B"]}}' "$(cat out)"
