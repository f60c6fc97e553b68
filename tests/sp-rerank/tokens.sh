# sp-rerank --tokens: the log-odds of a candidate's catalogue tokens (the
# words of its name, album and artists' names, its release weekday) in the
# history against the user's candidates, with exact scores.
. "$SP_ROOT/tests/lib/lib.sh"

# 2019-03-01 and 2019-05-03 are Fridays, 2019-05-04 a Saturday.
cat >labels.ndjson <<'J'
{"track_id":"h1","track_name":"Amor","album_name":"Amor","artist_names":["Ana"],"release_date":"2019-03-01"}
{"track_id":"h2","track_name":"Luz","album_name":"Sol","artist_names":"Ana","release_date":"2019"}
{"track_id":"c1","track_name":"Amor","album_name":"X","artist_names":["Bo"],"release_date":"2019-05-03"}
{"track_id":"c2","track_name":"Rock","album_name":"Rock","artist_names":["Cy"],"release_date":"2019-05"}
{"track_id":"c3","track_name":"Zz","release_date":"2019-05-04"}
J
cat >history.ndjson <<'J'
{"user":"u","track_id":"h1","weight":0.5}
{"user":"u","track_id":"h2"}
J
cat >in.ndjson <<'J'
{"user":"u","rank":1,"track_id":"c3","score":0}
{"user":"v","rank":1,"track_id":"c3","score":0}
{"user":"u","rank":2,"track_id":"c2","score":0}
{"user":"u","rank":3,"track_id":"c1","score":0}
J

# n = 2 history items, m = 3 candidates; a token of one history item and
# one candidate scores log(2/4) - log(2/5) = 0.223144, of no history item
# and one candidate log(1/4) - log(2/5) = -0.470004 (weights do not count).
# c1: n:amor and its Friday 0.223144, a:x and r:bo -0.470004: mean
# -0.123430; c2: n:rock, a:rock (the same word from another source),
# r:cy -0.470004, "w:p" (a date of a month, as h2's of a year) 0.223144:
# -0.296717; c3: n:zz and its Saturday -0.470004.  v has no history: 0.
expect_status 0 sp-rerank -H history.ndjson -l labels.ndjson --content 0 --tokens 1 in.ndjson
cat >want <<'J'
{"user":"u","rank":1,"track_id":"c1","score":-0.123430}
{"user":"u","rank":2,"track_id":"c2","score":-0.296717}
{"user":"u","rank":3,"track_id":"c3","score":-0.470004}
{"user":"v","rank":1,"track_id":"c3","score":0.000000}
J
expect_file want out

# The weight scales the term; without --tokens the labels' other fields
# are not read.
expect_status 0 sp-rerank -H history.ndjson -l labels.ndjson --content 0 --tokens 2 -n 1 in.ndjson
expect_grep '"track_id":"c1","score":-0.246860' out
echo '{"track_id":"c9","album_name":7}' >>labels.ndjson
expect_status 0 sp-rerank -H history.ndjson -l labels.ndjson --content 0 in.ndjson

# A mistyped label names its file and line.
expect_status 1 sp-rerank -H history.ndjson -l labels.ndjson --content 0 --tokens 1 in.ndjson
expect_grep "labels.ndjson:6: field 'album_name'" err
sed -i '$d' labels.ndjson
echo '{"track_id":"c9","release_date":20190101}' >>labels.ndjson
expect_status 1 sp-rerank -H history.ndjson -l labels.ndjson --content 0 --tokens 1 in.ndjson
expect_grep "labels.ndjson:6: field 'release_date': expected a string" err
