# The same spec and input give a byte-identical matrix, run after run.
. "$SP_ROOT/tests/lib/lib.sh"
cp "$SP_ROOT/pipelines/encode-example.json" spec.json
for i in $(seq 1 300); do
	printf '{"track_id":"t%d","release_date":"2026-11-%02d","heard":%s,"artist_ids":["a%d","a%d"],"duration_ms":%d,"popularity":%d,"lifetime_artist_listen_count":%d,"genres":["g%d","g%d"],"album_type":"%s"}\n' \
	    "$i" $((i % 28 + 1)) "$([ $((i % 3)) = 0 ] && echo true || echo false)" \
	    $((i % 37)) $((i % 11)) $((100000 + i * 917)) $((i % 101)) $((i % 7)) \
	    $((i % 13)) $((i % 5)) "$([ $((i % 2)) = 0 ] && echo album || echo single)"
done >in.ndjson
sp-encode -s spec.json in.ndjson >a.spm || fail "first run failed"
sp-encode -s spec.json <in.ndjson >b.spm || fail "second run failed"
cmp a.spm b.spm || fail "two runs differ"
sp-mat info a.spm >info || fail "sp-mat info failed"
expect_grep '^rows	300$' info
