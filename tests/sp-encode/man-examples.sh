# The EXAMPLES of sp-encode(1) run as written on a small feature file.
. "$SP_ROOT/tests/lib/lib.sh"
for t in sp-svd sp-cosine; do
	command -v $t >/dev/null || skip "$t is not built yet"
done
ln -s "$SP_ROOT/pipelines" pipelines
cat >feats.ndjson <<'X'
{"track_id":"new1","release_date":"2026-11-25","heard":false,"artist_ids":["a1"],"duration_ms":200000,"popularity":60,"lifetime_artist_listen_count":40,"genres":["indie rock","rock"],"album_type":"single"}
{"track_id":"new2","release_date":"2026-11-26","heard":false,"artist_ids":["a3"],"duration_ms":180000,"popularity":30,"lifetime_artist_listen_count":2,"genres":["jazz"],"album_type":"album"}
{"track_id":"old1","release_date":"2020-05-01","heard":true,"artist_ids":["a1","a2"],"duration_ms":210000,"popularity":70,"lifetime_artist_listen_count":40,"genres":["indie rock"],"album_type":"album"}
{"track_id":"old2","release_date":"2019","heard":true,"artist_ids":["a3"],"duration_ms":240000,"popularity":20,"lifetime_artist_listen_count":2,"genres":["jazz","bebop"],"album_type":"album"}
{"track_id":"old3","release_date":"2018-01-01","heard":false,"artist_ids":["a4"],"duration_ms":150000,"popularity":90,"lifetime_artist_listen_count":9,"genres":["pop"],"album_type":"single"}
X
sed -n '/^\.SH EXAMPLES/,/^\.SH/p' "$SP_ROOT/bin/sp-encode.1" |
	sed -n '/^\.EX/,/^\.EE/p' | grep -v '^\.E[XE]' >examples.sh
expect_eq "example count" 3 "$(wc -l <examples.sh)"
bash -e -o pipefail examples.sh >stdout 2>stderr || { cat stderr; fail "the EXAMPLES failed"; }
expect_grep '"label":{"track_id":"new1"' stdout
test -s feats.spm || fail "feats.spm not written"
expect_eq "recommendations" 2 "$(wc -l <recs.ndjson)"
expect_grep '"track_id":"new1"' recs.ndjson
