# tracks Spotify answers 404 for (removed or relinked since an export
# named them) are named, the first five, then counted in one line, and
# remembered in the cache (SP_HOME/cache/tracks/ID.gone): the next runs spend no request of
# their budget on them for 30 days, and say how many they skipped; after
# 30 days they are asked again.  The batch endpoint's nulls count the same.
. "$SP_ROOT/tests/lib/lib.sh"
. "$SP_ROOT/tests/lib/sim.sh"
export SP_HOME=$PWD/home
start_sim
sim_tokens
sim_ctl GET state | jq -r '.tracks[:3][].id' >known
for i in 1 2 3 4 5 6 7 8; do printf 'Gone%018d\n' "$i"; done >gone
cat known gone >in
expect_status 0 sp-fetch tracks <in
expect_eq ids "$(sort known)" "$(jq -r .data.id out | sort)"
expect_eq 'single gets' 11 "$(sim_count GET '/tracks/*')"
expect_eq 'named one by one' 5 "$(grep -c "^sp-fetch: track 'Gone0*[0-9]': " err)"
expect_grep '^sp-fetch: tracks: 3 more not found$' err
expect_grep '^sp-fetch: tracks: 8 not found on Spotify (removed or relinked since): not asked again for 30 days$' err
[ "$(find home/cache -name '*.gone' | wc -l)" = 8 ] || fail "not remembered: $(find home/cache | head)"

# The next run asks nothing: the known from the cache, the gone skipped.
sim_ctl DELETE log >/dev/null
expect_status 0 sp-fetch tracks <in
expect_eq 'nothing fetched' '' "$(sim_log)"
expect_eq ids "$(sort known)" "$(jq -r .data.id out | sort)"
expect_grep '^sp-fetch: tracks: 11 of 11 done (3 from the cache, 8 not found in the last 30 days and not asked)$' err
! grep -q 'not found on Spotify' err || fail "said again: $(cat err)"

# 30 days later they are asked again (one may have come back).
find home/cache -name 'Gone000000000000000001.gone' -exec touch -d '31 days ago' {} +
expect_status 0 sp-fetch tracks <in
expect_eq 'asked again' 1 "$(sim_count GET '/tracks/Gone*')"

# The batch endpoint answers null for an id it does not know.
rm -rf home/cache
sim_ctl POST config '{"batch":true}' >/dev/null
sim_ctl DELETE log >/dev/null
expect_status 0 sp-fetch tracks <in
expect_eq ids "$(sort known)" "$(jq -r .data.id out | sort)"
expect_grep '^sp-fetch: tracks: 8 not found on Spotify' err
[ "$(find home/cache -name '*.gone' | wc -l)" = 8 ] || fail "batch: not remembered"
exit 0
