# sp-rerank: --collab scores a candidate by the user's affinity to the
# artists credited with its artists on any labelled item; --remix adds a
# weight when a history track of the user has the same base title and an
# artist in common (a remix, live or acoustic version of a track played).
. "$SP_ROOT/tests/lib/lib.sh"

# x2 credits X with A: X is a collaborator of A.  c3 "OTHER - Club Remix"
# and c5 "Other [Live]" are versions of h2 "Other" by B; c4 "Other
# (Acoustic)" has the title but another artist.
cat >labels.ndjson <<'J'
{"track_id":"h1","artist_ids":["A"],"track_name":"Song One"}
{"track_id":"h2","artist_ids":["B"],"track_name":"Other"}
{"track_id":"x2","artist_ids":["X","A"],"track_name":"Elsewhere"}
{"track_id":"c1","artist_ids":["X"],"track_name":"New"}
{"track_id":"c2","artist_ids":["Y","A"],"track_name":"Duet"}
{"track_id":"c3","artist_ids":["B"],"track_name":"OTHER - Club Remix"}
{"track_id":"c4","artist_ids":["Z"],"track_name":"Other (Acoustic)"}
{"track_id":"c5","artist_ids":["B"],"track_name":"Other [Live]"}
J
# u: A 3/4, B 1/4.  v: B 1.  w has no history.
cat >history.ndjson <<'J'
{"user":"u","track_id":"h1","weight":3}
{"user":"u","track_id":"h2","weight":1}
{"user":"v","track_id":"h2"}
J
cat >in.ndjson <<'J'
{"user":"u","rank":1,"track_id":"c4","score":0}
{"user":"u","rank":2,"track_id":"c3","score":0}
{"user":"u","rank":3,"track_id":"c1","score":0}
{"user":"u","rank":4,"track_id":"c2","score":0}
{"user":"u","rank":5,"track_id":"c5","score":0}
{"user":"v","rank":1,"track_id":"c1","score":0}
{"user":"v","rank":2,"track_id":"c3","score":0}
{"user":"w","rank":1,"track_id":"c3","score":0}
J
# u: c2 = artist 3/4 (A) + collab 3/4 (Y with A); c3 and c5 = 1/4 (B) +
# remix 0.5; c1 = collab 3/4 (X with A on x2); c4 = 0.
# v: c3 = 1 + 0.5; c1: X's collaborator A is not v's.
expect_status 0 sp-rerank -H history.ndjson -l labels.ndjson --content 0 \
    --artist 1 --collab 1 --remix 0.5 in.ndjson
cat >want <<'J'
{"user":"u","rank":1,"track_id":"c2","score":1.500000}
{"user":"u","rank":2,"track_id":"c3","score":0.750000}
{"user":"u","rank":3,"track_id":"c1","score":0.750000}
{"user":"u","rank":4,"track_id":"c5","score":0.750000}
{"user":"u","rank":5,"track_id":"c4","score":0.000000}
{"user":"v","rank":1,"track_id":"c3","score":1.500000}
{"user":"v","rank":2,"track_id":"c1","score":0.000000}
{"user":"w","rank":1,"track_id":"c3","score":0.000000}
J
expect_file want out

# The title comes from --name-field; without it there are no versions.
sed 's/track_name/title/' labels.ndjson >titled.ndjson
expect_status 0 sp-rerank -H history.ndjson -l titled.ndjson --content 0 \
    --remix 1 --name-field title -n 1 in.ndjson
expect_eq "remix by title" '"c3" "c3" "c3"' "$(jq '.track_id' out | paste -sd ' ')"
expect_status 0 sp-rerank -H history.ndjson -l titled.ndjson --content 0 --remix 1 in.ndjson
expect_eq "no title, no remix" 0 "$(jq -s 'map(.score) | add' out)"

expect_status 2 sp-rerank -H history.ndjson -l labels.ndjson --collab x in.ndjson
expect_err "sp-rerank: --collab: expected a number, got 'x'"
expect_status 2 sp-rerank -H history.ndjson -l labels.ndjson --remix '' in.ndjson
expect_err "sp-rerank: --remix: expected a number, got ''"
printf '{"track_id":"h1","artist_ids":["A"],"track_name":7}\n' >bad.ndjson
expect_status 1 sp-rerank -H history.ndjson -l bad.ndjson in.ndjson
expect_err "sp-rerank: bad.ndjson:1: field 'track_name': expected a string, got a number"
