# The rolling rate window: N requests per window go through, the next is
# 429 with a Retry-After that frees a slot; refused requests do not count.
# Latency is added to every request.
. "$SP_ROOT/tests/lib/lib.sh"
. "$SP_ROOT/tests/lib/sim.sh"
start_sim --kind --rate-limit 5 --rate-window 8 --latency-ms 100
st() {	# st PATH: the status of GET /v1PATH, headers in head.txt
	curl -sS -o body.json -D head.txt -w '%{http_code}' -H "Authorization: Bearer $SIM_TOKEN" "$SIM_URL/v1$1"
}
t0=$(date +%s%N)
for i in 1 2 3 4 5; do expect_eq "request $i" 200 "$(st /me)"; done
[ $(( ($(date +%s%N) - t0) / 1000000 )) -ge 500 ] || fail "5 requests took under 5 x 100 ms: no latency"
expect_eq 'over the window' 429 "$(st /me)"
ra=$(sed -n 's/^Retry-After: \([0-9]*\).*/\1/p' head.txt)
[ "$ra" -ge 1 ] && [ "$ra" -le 8 ] || fail "Retry-After '$ra', expected 1 to 8"
expect_eq 'message' 'API rate limit exceeded' "$(jq -r .error.message body.json)"
expect_eq 'still over' 429 "$(st /me)"
sleep "$ra"
expect_eq 'after Retry-After' 200 "$(st /me)"
expect_eq 'logged as rate' 2 "$(sim_log | jq -s '[.[] | select(.fault == "rate")] | length')"
sim_ctl POST config '{"rate_limit":0}' >/dev/null
for i in 1 2 3 4 5 6 7; do expect_eq "unlimited $i" 200 "$(st /me)"; done
