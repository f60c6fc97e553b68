# search tag:new over 1,000 albums, mostly by artists never played: read at
# most --search-pages pages, keep at most --search-albums albums, and only
# those that connect to the listener (one of their artists, or a genre of
# theirs, looked up in the artist cache or fetched once and cached).
. "$SP_ROOT/tests/lib/lib.sh"
. "$SP_ROOT/tests/lib/sim.sh"
# The rate window's shape (250 requests, then 429 with Retry-After) in a
# tenth of its time: looking up hundreds of strangers fills it.
start_sim --seed 21 --artists 20 --new-releases 10 --genre-share 0 --now 2026-11-27T12:00:00Z --rate-window 3
sim_tokens
sim_ctl GET state >state.json
jq -r '[.artists[] | select((.world or .various) | not)][].id' state.json >artists
# No genres anywhere: only the listener's artists connect.
expect_status 0 sp-fetch releases --now 2026-11-27 --days 14 --search-pages 100 --search-albums 1000 <artists
expect_eq 'search pages' 100 "$(sim_count GET /search)"
expect_grep '^sp-fetch: search tag:new: [0-9]* albums kept of 1000 seen in 100 pages$' err
expect_eq 'no stranger kept' 0 "$(jq -s --slurpfile s state.json '[$s[0].artists[] | select(.world) | .id] as $w
    | [.[] | select(.kind == "album") | select(.data.artists[0].id as $a | $w | index($a))] | length' out)"
# (429s of the rate window are retried: count the answered lookups.)
lookups() { sim_log | jq -s '[.[] | select(.status == 200 and (.path | test("^/artists/[^/]*$")))] | length'; }
expect_eq 'no artist looked up' 0 "$(lookups)"
# Bounded by default: 10 pages.
sim_ctl DELETE log >/dev/null
expect_status 0 sp-fetch releases --now 2026-11-27 --days 14 <artists
expect_eq 'default pages' 10 "$(sim_count GET /search)"
# With genres: a stranger sharing one of the listener's genres connects.
mine=$(jq -r '.artists[0].id' state.json)
stranger=$(jq -r '[.artists[] | select(.world)][0].id' state.json)
mkdir -p cache/sp/artists
printf '{"kind":"artist","source":"artists","fetched_at":"2026-11-27T00:00:00Z","data":{"id":"%s","name":"Mine","genres":["shoegaze"]}}\n' "$mine" >"cache/sp/artists/$mine.json"
printf '{"kind":"artist","source":"artists","fetched_at":"2026-11-27T00:00:00Z","data":{"id":"%s","name":"Stranger","genres":["shoegaze","ambient"]}}\n' "$stranger" >"cache/sp/artists/$stranger.json"
sim_ctl DELETE log >/dev/null
expect_status 0 sp-fetch releases --now 2026-11-27 --days 14 --search-pages 100 --search-albums 1000 <artists
want=$(jq --arg a "$stranger" '[.albums[] | select(.artist_ids[0] == $a)] | length' state.json)
expect_eq 'stranger sharing a genre' "$want" "$(jq -s --arg a "$stranger" '[.[] | select(.kind == "album" and .source == "search" and .data.artists[0].id == $a)] | length' out)"
# Each other stranger was looked up once, and cached.
n=$(lookups)
[ "$n" -gt 0 ] || fail "no stranger looked up"
expect_eq 'looked up once each' "$n" "$(sim_log | jq -r 'select(.status == 200 and (.path | test("^/artists/[^/]*$"))) | .path' | sort -u | wc -l)"
expect_eq 'cached' "$n" "$(($(ls cache/sp/artists | wc -l) - 2))"
# ... through the rate window: some lookups were refused and retried.
[ "$(sim_log | jq -s '[.[] | select(.status == 429)] | length')" -gt 0 ] || fail "the rate window was never reached"
