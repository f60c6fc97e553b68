# The rate window reached mid-sweep: with Retry-After under the cap the
# sweep waits and finishes; over the cap it stops cleanly (exit 3, what was
# found written, the progress kept) and the next run goes on without
# asking again for the artists done.
. "$SP_ROOT/tests/lib/lib.sh"
. "$SP_ROOT/tests/lib/sim.sh"
start_sim --seed 12 --artists 25 --new-releases 10 --world-new 0 --rate-limit 15 --rate-window 2 --now 2026-11-27T12:00:00Z
sim_tokens
sim_ctl GET state >state.json
jq -r '[.artists[] | select((.world or .various) | not)][].id' state.json >artists
jq -r '([.artists[] | select((.world or .various) | not) | .id]) as $m | [.albums[] | select(.release_date_precision == "day"
    and .release_date >= "2026-11-20" and .release_date <= "2026-11-27" and (.artist_ids[0] as $a | $m | index($a)))
    | .id] | sort | .[]' state.json >want
expect_status 0 sp-fetch releases --now 2026-11-27 --search-pages 0 <artists
[ "$(sim_log | jq -s '[.[] | select(.status == 429)] | length')" -ge 1 ] || fail "the window was never reached"
jq -r 'select(.kind == "album") | .data.id' out | sort -u >got
expect_file want got
# Now over the cap: stop, and go on next run.
sim_ctl DELETE log >/dev/null
SP_RETRY_AFTER_MAX=0 expect_status 3 sp-fetch releases --now 2026-11-27 --search-pages 0 <artists
cp out run1.ndjson
expect_grep '^sp-fetch: GET /[^ ]*: HTTP 429: Retry-After of [0-9]* s is over the cap of 0 s$' err
[ -s state/sp/releases.sweep ] || fail "no sweep state"
sim_log | jq -r 'select(.status == 200 and (.path | test("^/artists/.*/albums$"))) | .path' | sort -u >first
sim_ctl POST config '{"rate_limit":0}' >/dev/null
sim_ctl DELETE log >/dev/null
expect_status 0 sp-fetch releases --now 2026-11-27 --search-pages 0 <artists
cp out run2.ndjson
expect_grep '^sp-fetch: releases: going on with the sweep' err
sim_log | jq -r 'select(.path | test("^/artists/.*/albums$")) | .path' | sort -u >second
again=$(comm -12 first second | wc -l)
[ "$again" -le 1 ] || fail "$again artists swept twice"
cat run1.ndjson run2.ndjson | jq -r 'select(.kind == "album") | .data.id' | sort -u >got
expect_file want got
