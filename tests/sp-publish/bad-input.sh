# A line that is not a recommendation: its position, exit 1, no files.
. "$SP_ROOT/tests/lib/lib.sh"
printf '%s\n' '{"rank":1,"track_id":"AAAAAAAAAAAAAAAAAAAAAA","score":1,"because":[]}' \
    '{"rank":2,"track_id":"no/such id","score":1}' >recs.ndjson
expect_status 1 sp-publish --offline -o pl recs.ndjson
expect_err "sp-publish: recs.ndjson:2: 'track_id': not a Spotify track id"
[ ! -e pl.csv ] || fail "files written from bad input"

printf '%s\n' '{"rank":1,"track_id":"AAAAAAAAAAAAAAAAAAAAAA","score":"high"}' >recs.ndjson
expect_status 1 sp-publish --offline -o pl recs.ndjson
expect_err "sp-publish: recs.ndjson:1: 'score': not a number"

printf 'not json\n' | expect_status 1 sp-publish --offline -o pl
grep -q '^sp-publish: <stdin>:1: invalid JSON' err || fail "stderr: $(cat err)"

# Not logged in (no tokens): exit 1 with a hint.
export XDG_CONFIG_HOME=$PWD/none SP_HOME=$PWD/home
printf '%s\n' '{"rank":1,"track_id":"AAAAAAAAAAAAAAAAAAAAAA","score":1}' >recs.ndjson
expect_status 1 sp-publish -o pl recs.ndjson
expect_err "sp-publish: not logged in: no $PWD/none/sp/tokens.json"
