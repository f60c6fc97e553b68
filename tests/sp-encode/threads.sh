# Two threads read a regular file in two halves: the matrix, the -v line
# and the first error (its line number above all) are those of one thread,
# from a file, from stdin redirected from it (at its offset) and from a pipe.
. "$SP_ROOT/tests/lib/lib.sh"
cp "$SP_ROOT/pipelines/encode-example.json" spec.json
# 3,000 rows: many distinct artists, genres with escapes (jq's path), blank
# and CRLF lines, repeated members, numbers of every form, a last line
# without its newline.
awk 'BEGIN {
	for (i = 1; i <= 3000; i++) {
		g = (i % 7 == 0) ? sprintf("\"g\\u00e9%d\",\"t\\\"ab\"", i % 50) : sprintf("\"g%d\"", i % 400);
		if (i % 11 == 0)
			g = g ",null,3.5e1,true";
		line = sprintf("{\"track_id\":\"t%d\",\"release_date\":\"2026-%02d-01\",\"heard\":%s," \
		    "\"artist_ids\":[\"a%d\",\"a%d\"],\"duration_ms\":%d,\"popularity\":%s," \
		    "\"lifetime_artist_listen_count\":%d,\"genres\":[%s],\"album_type\":\"%s\"," \
		    "\"extra\":{\"deep\":[[1,{\"x\":\"%s\"}]]}}",
		    i, i % 12 + 1, i % 3 ? "true" : "false", i * 7 % 2711, i % 97, 60000 + i * 37,
		    i % 5 ? i % 101 : "-0.5e-1", i * 31 % 1009, g, i % 2 ? "album" : "single",
		    i % 23 ? "caf\303\251" : "\\ud83d\\ude00");
		if (i % 13 == 0)
			line = line "\r";
		if (i % 17 == 0)
			line = line "\n  \t";
		if (i % 29 == 0)
			sub(/"heard"/, "\"album_type\":\"x\",\"heard\"", line);
		printf "%s%s", line, i < 3000 ? "\n" : "";
	}
}' >in.ndjson

SP_THREADS=1 sp-encode -v -s spec.json in.ndjson >one.spm 2>one.err || fail "one thread failed"
expect_grep 'in.ndjson: 3000 rows ([1-9][0-9]* parsed by jq), ' one.err
grep -q '(3000 parsed' one.err && fail "every row went to jq"
SP_THREADS=2 sp-encode -v -s spec.json in.ndjson >two.spm 2>two.err || fail "two threads failed"
cmp one.spm two.spm || fail "one thread and two differ"
cmp one.err two.err || fail "one thread and two say different things"
SP_THREADS=2 sp-encode -s spec.json <in.ndjson >stdin.spm || fail "stdin failed"
cmp one.spm stdin.spm || fail "stdin from the file differs"
cat in.ndjson | SP_THREADS=2 sp-encode -s spec.json >pipe.spm || fail "pipe failed"
cmp one.spm pipe.spm || fail "the pipe differs"

# stdin at an offset: the rows after it, numbered from it.
tail -n +2 in.ndjson >rest.ndjson
SP_THREADS=1 sp-encode -s spec.json rest.ndjson >rest.spm || fail "rest failed"
(read -r first; SP_THREADS=2 sp-encode -s spec.json) <in.ndjson >off.spm || fail "offset failed"
cmp rest.spm off.spm || fail "stdin at an offset differs"

# Errors: the first in line order, at its line, whichever half holds it.
bad() {	# bad LINE TEXT: in.ndjson with line LINE replaced by TEXT
	awk -v n="$1" -v t="$2" 'NR == n { print t; next } { print }' in.ndjson >bad.ndjson
}
check_err() {	# check_err MESSAGE: one thread, two, a pipe all say it
	for t in 1 2; do
		SP_THREADS=$t expect_status 1 sp-encode -s spec.json bad.ndjson
		expect_err "sp-encode: bad.ndjson:$1"
	done
	cat bad.ndjson | SP_THREADS=2 expect_status 1 sp-encode -s spec.json
	expect_err "sp-encode: <stdin>:$1"
}
bad 2600 '{"track_id":"x","genres":{"a":1}}'
check_err "2600: field 'genres': expected a string, number, boolean or an array of them"
bad 2999 '{"track_id":"x",}'
check_err "2999: invalid JSON: Expected another key-value pair at line 1, column 17 (while parsing '{\"track_id\":\"x\",}')"
bad 1700 '{"popularity":1}'
check_err "1700: field 'track_id': the row id is missing"
bad 1 '{"track_id":"x","duration_ms":-1}'
check_err "1: field 'duration_ms': log1p-minmax needs values above -1, got -1"
# Two bad lines, one in each half: the first is the one said.
awk 'NR == 2900 { print "[1]"; next } NR == 100 { print "{\"track_id\":true}"; next } { print }' \
    in.ndjson >bad.ndjson
check_err "100: field 'track_id': expected a string or a number"
awk 'NR == 2900 { print "[1]"; next } { print }' in.ndjson >bad.ndjson
check_err "2900: expected a JSON object, got an array"

# An empty file, one line, and a file whose only newline is its last byte.
: >empty.ndjson
SP_THREADS=2 sp-encode -s spec.json empty.ndjson >e2.spm || fail "empty failed"
SP_THREADS=1 sp-encode -s spec.json empty.ndjson >e1.spm || fail "empty failed"
cmp e1.spm e2.spm || fail "an empty file differs"
head -n 1 in.ndjson >one.ndjson
SP_THREADS=2 sp-encode -s spec.json one.ndjson >o2.spm || fail "one line failed"
SP_THREADS=1 sp-encode -s spec.json one.ndjson >o1.spm || fail "one line failed"
cmp o1.spm o2.spm || fail "a one-line file differs"
