# An expired access token (401) is refreshed once and the call retried;
# the new token is saved.
. "$SP_ROOT/tests/lib/lib.sh"
. "$SP_ROOT/tests/sp-publish/lib.bash"
pub_start
pub_recs 3 >recs.ndjson
sim_fault '{"path": "/me/playlists", "method": "POST", "expire_token": true}'

expect_status 0 sp-publish --out pl recs.ndjson
id=$(pub_id)
expect_eq "token refreshes" 1 "$(sim_log | jq -r 'select(.path == "/api/token") | .status' | grep -c 200)"
expect_eq "playlists created" 1 "$(pub_named 'sp: new releases for you')"
jq -r .track_id recs.ndjson >want
pub_items "$id" >got
expect_file want got
[ "$(jq -r .access_token "$XDG_CONFIG_HOME/sp/tokens.json")" != "$SIM_TOKEN" ] || fail "the refreshed token was not saved"
