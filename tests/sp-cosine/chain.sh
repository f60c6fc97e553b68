# The whole chain sp-encode | sp-svd | sp-cosine, as the existing system
# runs it (k near the rank, so that cosines are those of the encoding): the new release that shares artist and genres with the heard
# tracks ranks first, an unrelated one last.
. "$SP_ROOT/tests/sp-cosine/cosine.bash"

cat >spec.json <<'IN'
{"id": "track_id",
 "labels": ["release_date", "heard", "artist_ids"],
 "features": [
   {"field": "popularity", "transform": "minmax"},
   {"field": "artist_ids", "transform": "onehot"},
   {"field": "genres", "transform": "onehot", "weight": 0.5}]}
IN
python3 - <<'PY' >feats.ndjson || fail "generator failed"
import json, random
random.seed(4)
genres = {"A": ["rock", "indie"], "B": ["rock"], "C": ["jazz"], "D": ["pop"], "E": ["metal"]}
rows = []
for i in range(60):
    a = "ABCDE"[i % 5]
    rows.append({"track_id": "old%02d" % i, "release_date": "2024-0%d-01" % (1 + i % 9),
                 "heard": a in "AB", "artist_ids": [a], "genres": genres[a],
                 "popularity": random.randint(0, 100)})
rows.append({"track_id": "new-A", "release_date": "2026-11-25", "heard": False,
             "artist_ids": ["A"], "genres": ["rock", "indie"], "popularity": 50})
rows.append({"track_id": "new-Z", "release_date": "2026-11-26", "heard": False,
             "artist_ids": ["Z"], "genres": ["polka"], "popularity": 50})
rows.append({"track_id": "new-C", "release_date": "2026-11-27", "heard": False,
             "artist_ids": ["C"], "genres": ["jazz", "rock"], "popularity": 50})
for r in rows:
    print(json.dumps(r))
PY

sp-encode -s spec.json feats.ndjson >enc.spm || fail "sp-encode failed"
sp-svd -k 12 --seed 1 enc.spm >emb.spm || fail "sp-svd failed"
expect_status 0 sp-cosine --now $NOW emb.spm
expect_eq "lines" 3 "$(wc -l <out)"
expect_eq "ranking" "new-A new-C new-Z" "$(sed 's/.*"rank":[0-9]*,"track_id":"\([^"]*\)".*/\1/' out | tr '\n' ' ' | sed 's/ $//')"
# new-A has the artist and genres of heard tracks: only popularity differs.
awk -F'"score":' 'NR == 1 { exit !($2 + 0 > 0.99) }' out || fail "new-A should score > 0.99: $(head -n 1 out)"

# As one pipeline, byte for byte the same.
sp-encode -s spec.json feats.ndjson | sp-svd -k 12 --seed 1 | sp-cosine --now $NOW >piped ||
    fail "the pipeline failed"
expect_file out piped
