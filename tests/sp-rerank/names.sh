# sp-rerank: --words (the listener's title words), --kind (the share of
# the history of the candidate's kind: remix, live, ...) and --known (a
# step for a candidate by an artist of the history), with exact scores.
. "$SP_ROOT/tests/lib/lib.sh"

cat >labels.ndjson <<'J'
{"track_id":"h1","artist_ids":["A"],"track_name":"Amor de verano"}
{"track_id":"h2","artist_ids":["B"],"track_name":"La noche (Remix)"}
{"track_id":"h3","artist_ids":["C"],"track_name":"Night Drive"}
{"track_id":"c1","artist_ids":["D"],"track_name":"Noche de AMOR"}
{"track_id":"c2","artist_ids":["E"],"track_name":"Drive (Live)"}
{"track_id":"c3","artist_ids":["F"],"track_name":"Something - Club Remix"}
{"track_id":"c4","artist_ids":["A"],"track_name":"Zzz"}
{"track_id":"c5","artist_ids":["G"]}
J
cat >history.ndjson <<'J'
{"user":"u","track_id":"h1"}
{"user":"u","track_id":"h2"}
{"user":"u","track_id":"h3"}
J
cat >in.ndjson <<'J'
{"user":"u","rank":1,"track_id":"c5","score":0}
{"user":"u","rank":2,"track_id":"c4","score":0}
{"user":"u","rank":3,"track_id":"c3","score":0}
{"user":"u","rank":4,"track_id":"c2","score":0}
{"user":"u","rank":5,"track_id":"c1","score":0}
J

# Words: each of u's three tracks weighs 1/3.  c1 (noche, de, amor): each
# word is in one history name, mean 1/3; c2 (drive, live): (1/3 + 0) / 2;
# c3 (something, club, remix): 1/9; c4 (zzz) and c5 (no name): 0.
expect_status 0 sp-rerank -H history.ndjson -l labels.ndjson --content 0 --words 1 in.ndjson
cat >want <<'J'
{"user":"u","rank":1,"track_id":"c1","score":0.333333}
{"user":"u","rank":2,"track_id":"c2","score":0.166667}
{"user":"u","rank":3,"track_id":"c3","score":0.111111}
{"user":"u","rank":4,"track_id":"c5","score":0.000000}
{"user":"u","rank":5,"track_id":"c4","score":0.000000}
J
expect_file want out

# Kinds: u's history is 2/3 plain (h1, h3) and 1/3 remix (h2).  c4, c1
# and c5 (no name) are plain, c3 a remix, c2 live.
expect_status 0 sp-rerank -H history.ndjson -l labels.ndjson --content 0 --kind 1 in.ndjson
cat >want <<'J'
{"user":"u","rank":1,"track_id":"c5","score":0.666667}
{"user":"u","rank":2,"track_id":"c4","score":0.666667}
{"user":"u","rank":3,"track_id":"c1","score":0.666667}
{"user":"u","rank":4,"track_id":"c3","score":0.333333}
{"user":"u","rank":5,"track_id":"c2","score":0.000000}
J
expect_file want out

# Known: only c4 is by an artist of u's history (A).
expect_status 0 sp-rerank -H history.ndjson -l labels.ndjson --content 0 --known 2 -n 2 in.ndjson
cat >want <<'J'
{"user":"u","rank":1,"track_id":"c4","score":2.000000}
{"user":"u","rank":2,"track_id":"c5","score":0.000000}
J
expect_file want out

expect_status 2 sp-rerank -H history.ndjson -l labels.ndjson --words nan in.ndjson
expect_err "sp-rerank: --words: expected a number, got 'nan'"
expect_status 2 sp-rerank -H history.ndjson -l labels.ndjson --kind 1x in.ndjson
expect_err "sp-rerank: --kind: expected a number, got '1x'"
expect_status 2 sp-rerank -H history.ndjson -l labels.ndjson --known '' in.ndjson
expect_err "sp-rerank: --known: expected a number, got ''"
