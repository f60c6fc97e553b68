# --history lines in every form JSON allows read the same as the plain
# ones: whitespace, members in any order or repeated (the last counts),
# other members, escapes, weights spelled 2, 2.0, 2e0 or 20e-1, null or
# no weight, CRLF ends, no final newline, an id longer than the reader's
# inline keys, and a line longer than its first buffer (a megabyte).
. "$SP_ROOT/tests/sp-cosine/cosine.bash"

long=h-$(printf 'x%.0s' $(seq 1 40))
mkmat x.spm <<ROWS
{"track_id":"h1","release_date":"2026-01-01","heard":true}|1 1
{"track_id":"h2","release_date":"2025","heard":true}|0 3
{"track_id":"$long","release_date":"2025","heard":true}|3 1
{"track_id":"c1","release_date":"2026-11-25","heard":false}|0 2
{"track_id":"c2","release_date":"2026-11-27","heard":false}|2 -2
{"track_id":"c3","release_date":"2026-11-21","heard":false}|5 0
ROWS
cat >plain <<IN
{"user":"u","track_id":"h1","weight":2}
{"user":"u","track_id":"h2","weight":1}
{"user":"u","track_id":"$long","weight":0.5}
{"user":"v","track_id":"h2","weight":3}
{"user":"v","track_id":"h1","weight":1}
{"user":"w","track_id":"$long","weight":1}
IN
pad=$(head -c 1100000 /dev/zero | tr '\0' ' ')
{
	printf ' { "user" : "u" , "track_id" : "h1" , "weight" : 2.0 } \n'
	printf '{"weight":1e0,"track_id":"h2","user":"u"}\r\n'
	printf '{"user":"u","track_id":"%s","weight":5e-1,"x":[1,{"y":true}]}\n' "$long"
	printf '{"user":"\\u0076","track_id":"h1","track_id":"h2","weight":20e-1,"weight":30e-1}\n'
	printf '{"user":"v","track_id":"h\\u0031","weight":null%s}\n' "$pad"
	printf '{"x":"\xc3\xa9","user":"w","track_id":"%s"}' "$long"
} >forms
expect_status 0 sp-cosine --now $NOW --history plain x.spm
mv out want
expect_status 0 sp-cosine --now $NOW --history forms x.spm
expect_file want out
expect_status 0 sp-cosine --now $NOW --history - x.spm <forms
expect_file want out
