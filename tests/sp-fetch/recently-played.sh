# recently-played writes the plays after the cursor, oldest first, as play
# records; the cursor (state dir) moves to the newest play; a full page of
# 50 warns that plays may have been missed; a rerun fetches nothing new.
. "$SP_ROOT/tests/lib/lib.sh"
. "$SP_ROOT/tests/lib/sim.sh"
start_sim --plays 80
sim_tokens
cursor=$XDG_STATE_HOME/sp/recently-played.cursor
expect_status 0 sp-fetch recently-played
expect_eq records 50 "$(wc -l <out)"
expect_eq 'full page warning' 'sp-fetch: recently-played returned a full page of 50 plays: plays may have been missed' "$(head -n 1 err)"
expect_eq kinds play/recently-played "$(jq -r '.kind + "/" + .source' out | sort -u)"
expect_eq 'oldest first' "$(jq -r .data.played_at out | sort | paste -sd,)" "$(jq -r .data.played_at out | paste -sd,)"
jq -e '.fetched_at | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$")' out >/dev/null || fail "bad fetched_at"
newest=$(jq -r .data.played_at out | tail -n 1)
want=$(python3 -c 'import datetime,sys; t=datetime.datetime.fromisoformat(sys.argv[1].replace("Z","+00:00")); print(round(t.timestamp()*1000))' "$newest")
expect_eq cursor "$want" "$(cat "$cursor")"
expect_status 0 sp-fetch recently-played
expect_eq 'nothing new' 0 "$(wc -l <out)"
expect_eq 'no warning' 0 "$(wc -c <err)"
expect_eq 'asked after the cursor' "limit=50&after=$want" "$(sim_log | jq -r 'select(.path == "/me/player/recently-played") | .query' | tail -n 1)"
sim_ctl POST plays '{"count":3}' >/dev/null
expect_status 0 sp-fetch recently-played
expect_eq 'three new' 3 "$(wc -l <out)"
expect_eq 'new plays are newer' true "$(jq -s --arg n "$newest" 'all(.data.played_at > $n)' out)"
