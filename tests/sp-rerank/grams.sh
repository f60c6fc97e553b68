# sp-rerank --grams: the cosine of the candidate's names' character 3-
# and 4-grams (idf over the users) to each user's history, less the mean
# of the item's --hub-k highest over the users; exact scores; a mistyped
# label or a bad value of the flag is an error naming it.
. "$SP_ROOT/tests/lib/lib.sh"

cat >labels.ndjson <<'J'
{"track_id":"h1","track_name":"AAA"}
{"track_id":"h2","track_name":"bbb"}
{"track_id":"c1","track_name":"aaa"}
{"track_id":"c2","artist_names":["bbb"]}
{"track_id":"c3","track_name":"aaa","album_name":"bbb"}
J
cat >history.ndjson <<'J'
{"user":"u","track_id":"h1"}
{"user":"v","track_id":"h2","weight":0.5}
{"user":"w","track_id":"h1"}
J
cat >in.ndjson <<'J'
{"user":"u","rank":1,"track_id":"c1","score":0}
{"user":"u","rank":2,"track_id":"c2","score":0}
{"user":"u","rank":3,"track_id":"c3","score":0}
{"user":"v","rank":1,"track_id":"c1","score":0}
{"user":"v","rank":2,"track_id":"c2","score":0}
{"user":"v","rank":3,"track_id":"c3","score":0}
{"user":"w","rank":1,"track_id":"c1","score":0}
{"user":"w","rank":2,"track_id":"c2","score":0}
{"user":"w","rank":3,"track_id":"c3","score":0}
{"user":"x","rank":1,"track_id":"c3","score":0}
J

# " aaa " (ASCII lowercased, from the name or the artists' names alike)
# has the n-grams " aa", "aaa", "aa ", " aaa", "aaa ": idf log(4/3) =
# 0.287682, as 2 of the 3 users have them; those of " bbb " log(4/2) =
# 0.693147.  c3 has both sets: its cosine to u's and w's history is
# 5 * 0.287682 / sqrt(5) / sqrt(5 * (0.287682^2 + 0.693147^2)) =
# 0.383333, to v's 0.923610.  The default K, 10, is more than the users:
# nothing is subtracted.  x has no history: 0.
expect_status 0 sp-rerank -H history.ndjson -l labels.ndjson --content 0 --grams 1 in.ndjson
cat >want <<'J'
{"user":"u","rank":1,"track_id":"c1","score":1.000000}
{"user":"u","rank":2,"track_id":"c3","score":0.383333}
{"user":"u","rank":3,"track_id":"c2","score":0.000000}
{"user":"v","rank":1,"track_id":"c2","score":1.000000}
{"user":"v","rank":2,"track_id":"c3","score":0.923610}
{"user":"v","rank":3,"track_id":"c1","score":0.000000}
{"user":"w","rank":1,"track_id":"c1","score":1.000000}
{"user":"w","rank":2,"track_id":"c3","score":0.383333}
{"user":"w","rank":3,"track_id":"c2","score":0.000000}
{"user":"x","rank":1,"track_id":"c3","score":0.000000}
J
expect_file want out

# K = 1 (--hub-k, shared with --hub), W = 2: less each item's best, so
# c3 is worth more to v, who it suits best, than to u and w.
expect_status 0 sp-rerank -H history.ndjson -l labels.ndjson --content 0 --grams 2 --hub-k 1 -n 2 in.ndjson
cat >want <<'J'
{"user":"u","rank":1,"track_id":"c1","score":0.000000}
{"user":"u","rank":2,"track_id":"c3","score":-1.080555}
{"user":"v","rank":1,"track_id":"c2","score":0.000000}
{"user":"v","rank":2,"track_id":"c3","score":0.000000}
{"user":"w","rank":1,"track_id":"c1","score":0.000000}
{"user":"w","rank":2,"track_id":"c3","score":-1.080555}
{"user":"x","rank":1,"track_id":"c3","score":-1.847221}
J
expect_file want out

# Without --grams the names are not read for it; a mistyped one is an
# error with --grams.
echo '{"track_id":"c9","album_name":7}' >>labels.ndjson
expect_status 0 sp-rerank -H history.ndjson -l labels.ndjson --content 0 in.ndjson
expect_status 1 sp-rerank -H history.ndjson -l labels.ndjson --content 0 --grams 1 in.ndjson
expect_grep "labels.ndjson:6: field 'album_name'" err
sed -i '$d' labels.ndjson

expect_status 2 sp-rerank -H history.ndjson -l labels.ndjson --grams x in.ndjson
expect_err "sp-rerank: --grams: expected a number, got 'x'"
