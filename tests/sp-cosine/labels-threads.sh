# The labels of a large matrix are read by several threads (a range of
# rows each, then the ids and the artists added to their tables in row
# order): the recommendations, their artists (--per-artist, --labels) and
# the history looked up by id (escaped or not) are those of one thread.
. "$SP_ROOT/tests/sp-cosine/cosine.bash"

awk 'BEGIN {
	srand(7)
	for (i = 1; i <= 30000; i++) {
		a = "a" int(rand() * 500)
		b = "a" int(rand() * 500)
		day = i % 10 == 0 ? "2026-11-2" (i % 7) : "2019-01-01"
		heard = i % 10 == 3 ? "true" : "false"
		# A repeated artist_ids member: the last one counts.
		arts = i % 13 == 0 ? "\"artist_ids\":[\"zz\"],\"artist_ids\":[\"" a "\"]" : \
		    "\"artist_ids\":[\"" a "\",\"" b "\"]"
		# Some ids escaped (\u0074 is t): the same id as written plainly.
		id = i % 11 == 0 ? "\\u0074" i : "t" i
		printf "{\"track_id\":\"%s\",\"release_date\":\"%s\",\"heard\":%s,%s}|", id, day, heard, arts
		printf "%.4f %.4f %.4f %.4f\n", rand() - 0.5, rand() - 0.5, rand() - 0.5, rand() - 0.5
	}
}' >rows
mkmat big.spm <rows
# Histories by id, some ids escaped in the history too.
awk 'BEGIN {
	for (u = 1; u <= 3; u++)
		for (i = u; i <= 30000; i += 97)
			printf "{\"user\":\"u%d\",\"track_id\":\"%s\",\"weight\":1}\n", u, i % 2 ? "t" i : "\\u0074" i
}' >hist.ndjson
for args in "" "--per-artist 1 --labels" "--history hist.ndjson --per-artist 2"; do
	expect_status 0 sp-cosine --threads 1 --now $NOW $args big.spm
	mv out one
	[ -s one ] || fail "no recommendations ($args)"
	for t in 2 3 8; do
		expect_status 0 sp-cosine --threads $t --now $NOW $args big.spm
		cmp -s one out || fail "--threads $t ($args) differs from one thread: $(diff one out | head -4)"
	done
done
# --per-artist 1 holds: no artist twice in a list.
expect_status 0 sp-cosine --now $NOW --per-artist 1 --labels big.spm
dup=$(jq -r '.labels.artist_ids[0]' out | sort | uniq -d | head -1)
expect_eq "an artist repeated under --per-artist 1" "" "$dup"
