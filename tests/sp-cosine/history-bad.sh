# A bad --history line is an error naming the file and line.
. "$SP_ROOT/tests/sp-cosine/cosine.bash"
mkexample x.spm

printf '{"user":"u","track_id":"h1"}\n{"user":7,"track_id":"h1"}\n' >h
expect_status 1 sp-cosine --now $NOW --history h x.spm
expect_err "sp-cosine: h:2: field 'user': expected a string, got a number"

printf '{"user":"u","track_id":"h1"}\n{"user":"u","track_id":"h1","weight":-1}\n' >h
expect_status 1 sp-cosine --now $NOW --history h x.spm
expect_err "sp-cosine: h:2: field 'weight': expected a number >= 0"

printf '{"user":"u","track_id":"h1","weight":"2"}\n' >h
expect_status 1 sp-cosine --now $NOW --history h x.spm
expect_err "sp-cosine: h:1: field 'weight': expected a number, got a string"

printf '{"user":"u"}\n' >h
expect_status 1 sp-cosine --now $NOW --history h x.spm
expect_err "sp-cosine: h:1: field 'track_id': expected a string, got nothing"

printf '{"user":"u","track_id":null}\n' >h
expect_status 1 sp-cosine --now $NOW --history h x.spm
expect_err "sp-cosine: h:1: field 'track_id': expected a string, got null"

printf '{"user":"u","track_id":"h1"}\n{"user":\n' >h
expect_status 1 sp-cosine --now $NOW --history h x.spm
case $(head -n 1 err) in
"sp-cosine: h:2: invalid JSON"*) ;;
*) fail "stderr: $(cat err)" ;;
esac

# A file cut short: the last line ends inside a string, without a newline,
# after many good lines (the reader's buffer has wrapped).
for i in $(seq 1 3000); do echo '{"user":"u","track_id":"h1","weight":1}'; done >h
printf '{"user":"u","track_id":"h' >>h
expect_status 1 sp-cosine --now $NOW --history h x.spm
case $(head -n 1 err) in
"sp-cosine: h:3001: invalid JSON"*) ;;
*) fail "stderr: $(cat err)" ;;
esac
[ ! -s out ] || fail "output despite the error"

# A bad id: a number, an object; and trailing garbage after the object.
printf '{"user":"u","track_id":"h1"}
{"user":"u","track_id":17}
' >h
expect_status 1 sp-cosine --now $NOW --history h x.spm
expect_err "sp-cosine: h:2: field 'track_id': expected a string, got a number"
printf '{"user":"u","track_id":{"id":"h1"}}
' >h
expect_status 1 sp-cosine --now $NOW --history h x.spm
expect_err "sp-cosine: h:1: field 'track_id': expected a string, got an object"
printf '{"user":"u","track_id":"h1"}

{"user":"u","track_id":"h1"} x
' >h
expect_status 1 sp-cosine --now $NOW --history h x.spm
case $(head -n 1 err) in
"sp-cosine: h:3: invalid JSON"*) ;;
*) fail "stderr: $(cat err)" ;;
esac
# A listener named again after others: one listener, its entries together.
printf '{"user":"a","track_id":"h1"}
{"user":"b","track_id":"h2"}
{"user":"a","track_id":"h2"}
' >h
expect_status 0 sp-cosine --now $NOW --history h x.spm
expect_eq "listeners" "a b " "$(sed 's/^{"user":"\([^"]*\)".*/\1/' out | uniq | tr '\n' ' ')"

# The history is read while the matrix loads, but a bad matrix is
# reported first, alone, as when they were read in turn.
printf 'not a matrix' >bad.spm
printf '{"user":7}\n' >h
expect_status 1 sp-cosine --now $NOW --history h bad.spm
case $(cat err) in
"sp-cosine: bad.spm: "*) ;;
*) fail "stderr: $(cat err)" ;;
esac
grep -q "h:1" err && fail "the history's error too: $(cat err)"
# From stdin, after the matrix: the same checks.
expect_status 1 sp-cosine --now $NOW --history - x.spm <h
expect_err "sp-cosine: <stdin>:1: field 'user': expected a string, got a number"

expect_status 1 sp-cosine --now $NOW --history no-such-file x.spm
expect_err "sp-cosine: no-such-file: No such file or directory"
[ ! -s out ] || fail "output despite the error"
