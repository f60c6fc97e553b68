# When the batch endpoint answers, ids go 50 to a call; ids given as bare
# ids and URIs are accepted; unknown ids are reported and skipped.
. "$SP_ROOT/tests/lib/lib.sh"
. "$SP_ROOT/tests/lib/sim.sh"
start_sim --enable-batch --artists 60
sim_tokens
sim_ctl GET state | jq -r '.artists[].id' >ids
{ head -n 30 ids; sed -n '31,60p' ids | sed 's/^/spotify:artist:/'; echo 0000000000000000000000; } >in
expect_status 0 sp-fetch artists <in
expect_eq records 60 "$(wc -l <out)"
expect_eq 'batch calls' 2 "$(sim_count GET /artists)"
expect_eq 'no single gets' 0 "$(sim_count GET '/artists/*')"
expect_err "sp-fetch: artist '0000000000000000000000': not found"
echo '{"kind":"play","data":{"track":{"type":"track","artists":[{"type":"artist","id":"bad-id"}]}}}' >bad
expect_status 0 sp-fetch artists <bad
expect_err 'sp-fetch: <stdin>:1: not a Spotify artist id, skipped: "bad-id"'
echo '{"kind":' >bad
expect_status 1 sp-fetch artists <bad
case $(head -n 1 err) in 'sp-fetch: <stdin>:1: invalid JSON: '*) ;; *) fail "unexpected: $(head -n 1 err)" ;; esac
