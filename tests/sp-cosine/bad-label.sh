# Row labels that break the contract are errors naming the row (from 1).
. "$SP_ROOT/tests/sp-cosine/cosine.bash"

try() {	# try LABEL EXPECTED-ERROR
	printf '%s|1 0\n%s|0 1\n' '{"track_id":"ok","release_date":"2020"}' "$1" >rows
	mkmat x.spm <rows
	expect_status 1 sp-cosine --now $NOW x.spm
	expect_err "$2"
	[ ! -s out ] || fail "output: $(cat out)"
}

try '{"track_id":"t","release_date":"2019-02-30"}' \
    "sp-cosine: x.spm: row 2: label 'release_date': expected a date (YYYY, YYYY-MM or YYYY-MM-DD), got \"2019-02-30\""
try '{"track_id":"t","release_date":20190101}' \
    "sp-cosine: x.spm: row 2: label 'release_date': expected a date (YYYY, YYYY-MM or YYYY-MM-DD), got 20190101"
try '{"track_id":"t","heard":"yes"}' \
    "sp-cosine: x.spm: row 2: label 'heard': expected a boolean, got a string"
try '{"track_id":"t","artist_ids":{"a":1}}' \
    "sp-cosine: x.spm: row 2: label 'artist_ids': expected a string or an array of strings, got an object"
try '{"track_id":"t","artist_ids":["a",3]}' \
    "sp-cosine: x.spm: row 2: label 'artist_ids': expected strings in the array, got a number"
try '{"id":"t"}' \
    "sp-cosine: x.spm: row 2: label 'track_id': expected a string, got nothing"
try '{"track_id":null}' \
    "sp-cosine: x.spm: row 2: label 'track_id': expected a string, got null"
try '["t"]' \
    "sp-cosine: x.spm: row 2: the label is not a JSON object"

# --id and the other field options rename the labels read.
printf '%s|1 0\n%s|0 1\n' '{"id":"h","d":"2020","seen":true}' '{"id":"c","d":"2026-11-27"}' >rows
mkmat y.spm <rows
expect_status 0 sp-cosine --now $NOW --id id --date-field d --heard-field seen y.spm
expect_eq "renamed fields" '{"rank":1,"track_id":"c","score":0.000000,"because":[{"track_id":"h","similarity":0.000000}]}' "$(cat out)"

# Labels are checked by several threads, each a range of rows: the error
# is still the first bad row's, whatever the thread count.
awk 'BEGIN {
	for (i = 1; i <= 40000; i++) {
		if (i == 15000 || i == 35000)
			lab = "{\"track_id\":\"t" i "\",\"heard\":\"row " i "\"}"
		else
			lab = "{\"track_id\":\"t" i "\",\"release_date\":\"2020\"}"
		print lab "|" (i % 7) " 1"
	}
}' >rows
mkmat big.spm <rows
for t in 1 2 4; do
	expect_status 1 sp-cosine --threads $t --now $NOW big.spm
	expect_err "sp-cosine: big.spm: row 15000: label 'heard': expected a boolean, got a string"
done
