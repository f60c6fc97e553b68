# A user not on a Development-Mode app's allowlist gets 403 on every call
# with Spotify's message; --quota-exceeded gives 429 QUOTA_EXCEEDED.
. "$SP_ROOT/tests/lib/lib.sh"
. "$SP_ROOT/tests/lib/sim.sh"
start_sim --kind --not-allowlisted
st() {
	curl -sS -o body.json -D head.txt -w '%{http_code}' -H "Authorization: Bearer $SIM_TOKEN" "$SIM_URL/v1$1"
}
artist=$(sim_ctl GET state | jq -r '.artists[0].id')
for p in /me /me/player/recently-played /me/tracks "/artists/$artist" "/search?q=tag%3Anew&type=album"; do
	expect_eq "GET $p" 403 "$(st "$p")"
	expect_eq "message of $p" 'Check settings on developer.spotify.com/dashboard, the user may not be registered.' \
	    "$(jq -r .error.message body.json)"
done
sim_ctl POST config '{"not_allowlisted":false,"quota_exceeded":true}' >/dev/null
expect_eq 'quota' 429 "$(st /me)"
expect_eq 'quota reason' QUOTA_EXCEEDED "$(jq -r .error.reason body.json)"
sim_ctl POST config '{"quota_exceeded":false}' >/dev/null
expect_eq 'allowed again' 200 "$(st /me)"
