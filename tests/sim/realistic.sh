# The realistic world is the default: real catalogue sizes (most artists a
# few releases, some over 200, compilations they appear on), most artists
# without genres, local files in plays and the owned playlist, and a
# search tag:new of 1,000 albums mostly by artists never played.  --kind
# and each knob switch them off.
. "$SP_ROOT/tests/lib/lib.sh"
S=$SP_ROOT/tests/spotify-sim/server.py
python3 "$S" --print-state --seed 3 --artists 100 --big-artists 3 --plays 600 --world-new 300 >real.json ||
    fail "generator failed"
listened='[.artists[] | select((.world or .various) | not)]'
expect_eq 'listened artists' 100 "$(jq "$listened | length" real.json)"
jq -r --argjson n 0 '
    (.albums | map(select(.album_type != "compilation")) | group_by(.artist_ids[0])
     | map({key: .[0].artist_ids[0], value: length}) | from_entries) as $rel
    | [.artists[] | select((.world or .various) | not) | $rel[.id] // 0] | sort | .[]' real.json >counts
expect_eq 'artists with over 200 releases' 3 "$(awk '$1 > 200' counts | wc -l)"
expect_eq 'median releases at most 5' true "$(awk '{a[NR]=$1} END {print (a[int((NR+1)/2)] <= 5) ? "true" : "false"}' counts)"
expect_eq 'every artist has a release' 0 "$(awk '$1 == 0' counts | wc -l)"
[ "$(jq '[.albums[] | select(.album_type == "compilation" and (.appears | length) > 0)] | length' real.json)" -ge 5 ] ||
    fail "no compilations the artists appear on"
with=$(jq "$listened | map(select(.genres | length > 0)) | length" real.json)
[ "$with" -lt 30 ] || fail "$with of 100 artists have genres; most should have none"
# Every artist is played (a few of those plays may become local files).
unplayed=$(jq '(.tracks | map({key: .id, value: .artist_ids[0]}) | from_entries) as $a
    | ([.plays[] | select(.track_id) | $a[.track_id]] | unique) as $p
    | [.artists[] | select((.world or .various) | not) | select(.id as $i | $p | index($i) | not)] | length' real.json)
[ "$unplayed" -le 3 ] || fail "$unplayed artists never played"
[ "$(jq '[.plays[] | select(.local != null)] | length' real.json)" -ge 6 ] || fail "too few local plays"
expect_eq 'strangers new albums' 300 "$(jq '[.artists[] | select(.world) | .id] as $w
    | [.albums[] | select(.artist_ids[0] as $a | $w | index($a))] | length' real.json)"
python3 "$S" --print-state --seed 3 --artists 30 --genre-share 0 >nog.json
expect_eq 'genre share 0' 0 "$(jq '[.artists[] | select(.genres | length > 0)] | length' nog.json)"
python3 "$S" --print-state --seed 3 --artists 30 --kind >kind.json
expect_eq 'kind: no local files' 0 "$(jq '[.plays[] | select(.local != null)] | length' kind.json)"
expect_eq 'kind: 3 releases each' 95 "$(jq '.albums | length' kind.json)"

# Served: local files in recently-played and in the owned playlist.
. "$SP_ROOT/tests/lib/sim.sh"
start_sim --seed 3 --artists 10 --local-share 0.1
get() {	# get PATH: status, body in body.json
	curl -sS -o body.json -w '%{http_code}' -H "Authorization: Bearer $SIM_TOKEN" "$SIM_URL/v1$1"
}
sim_ctl POST plays '{"count":2,"local":true}' >/dev/null
expect_eq 'recently-played' 200 "$(get '/me/player/recently-played?limit=50')"
jq -c '[.items[] | select(.track.is_local)][0].track
    | {id, href, album: .album.id, artist: .artists[0].id, uri: (.uri | test("^spotify:local:[^:]+:[^:]+:[^:]+:[0-9]+$"))}' body.json >got
echo '{"id":null,"href":null,"album":null,"artist":null,"uri":true}' >want
expect_file want got
inbox=$(sim_ctl GET state | jq -r '.playlists[] | select(.name == "Inbox") | .id')
expect_eq 'inbox' 200 "$(get "/playlists/$inbox/items?limit=50")"
[ "$(jq '[.items[] | select(.is_local and .item.id == null and .item.is_local)] | length' body.json)" -ge 1 ] ||
    fail "no local file in the owned playlist's first page"
# tag:new: 100 pages of 10, then no next link.
url="/search?q=tag%3Anew&type=album&limit=10" pages=0 n=0
while [ "$url" != null ] && [ $pages -lt 120 ]; do
	expect_eq "search page $pages" 200 "$(get "$url")"
	n=$((n + $(jq '.albums.items | length' body.json)))
	url=$(jq -r '.albums.next // "null" | sub("^http://[^/]*/v1"; "")' body.json)
	pages=$((pages + 1))
done
expect_eq 'tag:new pages' 100 "$pages"
expect_eq 'tag:new albums' 1000 "$n"
