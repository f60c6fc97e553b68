# Fault rules, from --faults at start and POST /_sim/faults at run time,
# apply to matching paths for their count, after letting 'after' through.
. "$SP_ROOT/tests/lib/lib.sh"
. "$SP_ROOT/tests/lib/sim.sh"
start_sim --faults '[{"path":"/me","status":503,"count":2}]'
st() {	# st PATH: the status of GET /v1PATH ("000" when dropped)
	curl -sS -o body.json -D head.txt -w '%{http_code}' -H "Authorization: Bearer $SIM_TOKEN" "$SIM_URL/v1$1" 2>/dev/null
}
expect_eq 'start plan 1' 503 "$(st /me)"
expect_eq 'start plan 2' 503 "$(st /me)"
expect_eq 'plan spent' 200 "$(st /me)"
sim_fault '{"path":"/me/tracks","status":429,"retry_after":7,"after":1}'
expect_eq 'after 1' 200 "$(st /me/tracks)"
expect_eq '429' 429 "$(st /me/tracks)"
expect_grep '^Retry-After: 7' head.txt
sim_fault '{"path":"/me/*","status":429,"reason":"QUOTA_EXCEEDED"}'
expect_eq 'quota' 429 "$(st /me/playlists)"
expect_eq 'quota body' QUOTA_EXCEEDED "$(jq -r .error.reason body.json)"
sim_fault '{"path":"/me","drop":true}'
expect_eq 'dropped' 000 "$(st /me)"
sim_fault '{"path":"/me","malformed":true}'
expect_eq 'malformed status' 200 "$(st /me)"
jq . body.json >/dev/null 2>&1 && fail "the malformed body parsed"
sim_fault '{"path":"/me/tracks","delay":1}'
start=$(date +%s%N)
expect_eq 'slow' 200 "$(st /me/tracks)"
[ $(( ($(date +%s%N) - start) / 1000000 )) -ge 900 ] || fail "the delay was not applied"
sim_fault '{"path":"/me","expire_token":true}'
expect_eq 'expired' 401 "$(st /me)"
expect_eq 'token stays expired' 401 "$(st /me)"
expect_eq 'message' 'The access token expired' "$(jq -r .error.message body.json)"
expect_eq 'log of faults' '503 503 - - 429 429/QUOTA_EXCEEDED drop malformed delay expire_token -' \
	"$(sim_log | jq -r '.fault // "-"' | paste -sd' ')"
expect_eq 'a rule without an action' 400 \
	"$(curl -sS -o out.txt -w '%{http_code}' --data-binary '{"path":"/me"}' "$SIM_URL/_sim/faults")"
expect_eq 'why' 'a fault rule needs an action' "$(jq -r .error.message out.txt)"
