# A NaN or infinite value is an error naming the row and column, never a
# NaN score.
. "$SP_ROOT/tests/sp-cosine/cosine.bash"

# poison FILE VALUE: sp-mat from-mtx refuses non-finite values, so the
# float32 12345 that stands for one is overwritten in the file.
poison() {
	python3 -c 'import struct, sys
b = open(sys.argv[1], "rb").read()
mark = struct.pack("<f", 12345)
assert b.count(mark) == 1
open(sys.argv[1], "wb").write(b.replace(mark, struct.pack("<f", float(sys.argv[2]))))' "$1" "$2" ||
	    fail "poison $1"
}

mkmat x.spm <<'ROWS'
{"track_id":"h","release_date":"2020","heard":true}|1 2
{"track_id":"c","release_date":"2026-11-25"}|3 12345
ROWS
poison x.spm nan
expect_status 1 sp-cosine --now $NOW x.spm
expect_err "sp-cosine: x.spm: row 2: column 2: the value is not finite"

mkmat y.spm <<'ROWS'
{"track_id":"h","release_date":"2020","heard":true}|12345 2
{"track_id":"c","release_date":"2026-11-25"}|3 1
ROWS
poison y.spm -inf
expect_status 1 sp-cosine --now $NOW y.spm
expect_err "sp-cosine: y.spm: row 1: column 1: the value is not finite"
[ ! -s out ] || fail "output: $(cat out)"

# The values are checked while the labels are parsed, in another thread:
# a bad label before the bad value is still the error reported, every time.
mkmat z.spm <<'ROWS'
{"track_id":"h","release_date":"2020","heard":true}|12345 2
{"track_id":"c","release_date":"someday"}|3 1
ROWS
poison z.spm nan
for i in 1 2 3 4 5; do
	expect_status 1 sp-cosine --now $NOW z.spm
	expect_err "sp-cosine: z.spm: row 2: label 'release_date': expected a date (YYYY, YYYY-MM or YYYY-MM-DD), got \"someday\""
done
