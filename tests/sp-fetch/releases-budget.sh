# releases works inside the request budget: the artists are swept most
# played first (ids repeated on stdin count as plays), each stops paging
# once a page is older than the window, and when the budget runs out it
# says how many artists are left, exits 0 and the next run goes on from
# there without asking again for the artists done.
. "$SP_ROOT/tests/lib/lib.sh"
. "$SP_ROOT/tests/lib/sim.sh"
start_sim --seed 11 --artists 30 --big-artists 2 --new-releases 12 --world-new 0 --now 2026-11-27T12:00:00Z
sim_tokens
sim_ctl GET state >state.json
jq -r '[.artists[] | select((.world or .various) | not)][].id' state.json >ids
# The last artist on stdin is played most: it goes first.
fav=$(tail -n 1 ids)
{ cat ids; printf '%s\n%s\n' "$fav" "$fav"; } >artists
expect_status 0 sp-fetch releases --now 2026-11-27 --budget 12 <artists
cp out run1.ndjson
expect_grep '^sp-fetch: releases: [0-9]* of 30 artists left; the next run goes on from there$' err
left=$(sed -n 's/^sp-fetch: releases: \([0-9]*\) of 30 artists left.*/\1/p' err)
[ "$left" -gt 0 ] && [ "$left" -lt 30 ] || fail "left $left"
expect_eq 'budget kept' 12 "$(sim_log | wc -l)"
expect_eq 'most played first' "/artists/$fav/albums" "$(sim_log | jq -r .path | head -n 1)"
[ -s state/sp/releases.sweep ] || fail "no sweep state"
sim_log | jq -r 'select(.path | test("^/artists/.*/albums$")) | .path' | sort -u >first
sim_ctl DELETE log >/dev/null
expect_status 0 sp-fetch releases --now 2026-11-27 <artists
cp out run2.ndjson
expect_grep "^sp-fetch: releases: going on with the sweep of 2026-11-20..2026-11-27: $((30 - left)) of 30 artists already done$" err
sim_log | jq -r 'select(.path | test("^/artists/.*/albums$")) | .path' | sort -u >second
# At most the artist the budget stopped inside is asked for again.
again=$(comm -12 first second | wc -l)
[ "$again" -le 1 ] || fail "$again artists swept twice"
[ -e state/sp/releases.sweep ] && fail "the finished sweep left its state"
# Together the two runs found every release of the window.
jq -r '([.artists[] | select((.world or .various) | not) | .id]) as $m | [.albums[] | select(.release_date_precision == "day"
    and .release_date >= "2026-11-20" and .release_date <= "2026-11-27" and (.artist_ids[0] as $a | $m | index($a)))
    | .id] | sort | .[]' state.json >want
cat run1.ndjson run2.ndjson | jq -r 'select(.kind == "album") | .data.id' | sort -u >got
expect_file want got
# Big artists (over 200 releases) cost a request or two each, not 20.
for big in $(jq -r '(.albums | group_by(.artist_ids[0]) | map(select(length > 200)) | map(.[0].artist_ids[0]))[]' state.json); do
	n=$(cat first second | grep -c "/artists/$big/albums" || true)
	[ "$(sim_count GET "/artists/$big/albums")" -le 3 ] || fail "artist $big: $(sim_count GET "/artists/$big/albums") requests"
done
