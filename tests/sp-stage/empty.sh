# sp-stage: input without records (or only blank lines) stages nothing,
# prints nothing and exits 0.
. "$SP_ROOT/tests/lib/lib.sh"
export SP_HOME=$PWD/home

printf '\n  \n' >blank.ndjson
expect_status 0 sp-stage plays blank.ndjson
expect_eq "stdout" "" "$(cat out)"
expect_eq "stderr" "" "$(cat err)"
expect_status 0 sp-stage saved </dev/null
expect_eq "files" "" "$(find home -type f 2>/dev/null)"
