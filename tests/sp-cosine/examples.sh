# The EXAMPLES of sp-cosine(1) run as written.
. "$SP_ROOT/tests/sp-cosine/cosine.bash"
ln -s "$SP_ROOT/pipelines" pipelines

python3 - <<'PY' >feats.ndjson || fail "generator failed"
import json, random
random.seed(9)
for i in range(400):
    new = i % 10 == 0
    date = ("2026-11-%02d" % (21 + i % 7) if i % 20 == 0 else "2019-09-%02d" % (1 + i % 30)) \
        if new else "2019-0%d-15" % (1 + i % 8)
    print(json.dumps({"track_id": "t%03d" % i, "release_date": date, "heard": not new,
                      "artist_ids": ["a%d" % (i % 30)], "genres": ["g%d" % (i % 7), "g%d" % (i % 11)],
                      "duration_ms": 120000 + 1000 * (i % 97), "popularity": i % 101,
                      "lifetime_artist_listen_count": i % 13, "album_type": "single" if i % 3 else "album"}))
PY
awk 'BEGIN { srand(2); for (u = 0; u < 5; u++) for (k = 0; k < 20; k++)
    printf "{\"user\":\"p%d\",\"track_id\":\"t%03d\"}\n", u, int(rand() * 400) }' >hist.ndjson
sp-encode -s pipelines/encode-example.json feats.ndjson | sp-svd -k 100 >emb.spm ||
    fail "could not build emb.spm"

awk '/^\.SH EXAMPLES/ { s = 1; next } s && /^\.SH/ { exit } s && /^sp-/' \
    "$SP_ROOT/bin/sp-cosine.1" >examples
expect_eq "examples found" 2 "$(wc -l <examples)"
while IFS= read -r ex; do
	bash -c "$ex" >out 2>err || fail "example failed: $ex: $(cat err)"
	[ ! -s err ] || fail "example warned: $ex: $(cat err)"
done <examples
expect_eq "recs.ndjson lines" 20 "$(wc -l <recs.ndjson)"
expect_eq "backtest listeners" 5 "$(sed 's/.*"user":"\([^"]*\)".*/\1/' out | sort -u | wc -l)"
