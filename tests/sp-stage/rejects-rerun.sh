# sp-stage: staging the same input again writes no second rejects file,
# also when no record was valid (then the name's time is 000000).
. "$SP_ROOT/tests/lib/lib.sh"
export SP_HOME=$PWD/home

printf '%s\n' '{"kind":"play"}' '[]' >bad.ndjson
expect_status 1 sp-stage plays bad.ndjson
expect_eq "stdout" "" "$(cat out)"
expect_status 1 sp-stage plays bad.ndjson
files=$(cd home/stage && find . -type f | sort)
expect_eq "files" 1 "$(echo "$files" | wc -l)"
case $files in ./plays/rejects/000000-????????????????.ndjson) ;; *) fail "rejects file '$files'" ;; esac
