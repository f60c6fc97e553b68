# Page-size caps of 2026: search and artist albums take limit <= 10,
# playlist items 50 (400 "Invalid limit" above); next links walk the pages.
. "$SP_ROOT/tests/lib/lib.sh"
. "$SP_ROOT/tests/lib/sim.sh"
start_sim --kind
get() {	# get URL: status, body in body.json
	curl -sS -o body.json -w '%{http_code}' -H "Authorization: Bearer $SIM_TOKEN" "$1"
}
artist=$(sim_ctl GET state | jq -r '.artists[0].id')
pl=$(sim_ctl GET state | jq -r '.playlists[0].id')
expect_eq 'search limit 11' 400 "$(get "$SIM_URL/v1/search?q=tag:new&type=album&limit=11")"
expect_eq 'message' 'Invalid limit' "$(jq -r .error.message body.json)"
expect_eq 'artist albums limit 11' 400 "$(get "$SIM_URL/v1/artists/$artist/albums?limit=11")"
expect_eq 'playlist items limit 51' 400 "$(get "$SIM_URL/v1/playlists/$pl/items?limit=51")"
expect_eq 'message' 'Invalid limit' "$(jq -r .error.message body.json)"
# Walk the 120 items of the owned playlist by next links.
url="$SIM_URL/v1/playlists/$pl/items?limit=50"
n=0 pages=0
while [ "$url" != null ] && [ $pages -lt 10 ]; do
	expect_eq "page $pages" 200 "$(get "$url")"
	n=$((n + $(jq '.items | length' body.json)))
	url=$(jq -r .next body.json)
	pages=$((pages + 1))
done
expect_eq pages 3 "$pages"
expect_eq items 120 "$n"
expect_eq 'item field' '["added_at","added_by","is_local","item"]' "$(jq -c '.items[0] | keys' body.json)"
# Search pages are walked by next links too; Spotify spells their query
# "query=", which the sim must accept as it accepts "q=".
url="$SIM_URL/v1/search?q=tag:new&type=album&limit=2"
pages=0
while [ "$url" != null ] && [ $pages -lt 30 ]; do
	expect_eq "search page $pages" 200 "$(get "$url")"
	url=$(jq -r .albums.next body.json)
	pages=$((pages + 1))
done
[ "$pages" -ge 2 ] || fail "search gave only $pages page(s); the next link was not followed"
