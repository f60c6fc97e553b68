# needs: pg
# status on the weekly run: a week without releases (publish refused an
# empty list, the playlist kept) is said, not listed as a problem; a
# failed weekly run is a problem until a later pipeline.sh publish
# succeeds; one that published but failed in a fetch says both.
. "$SP_ROOT/tests/lib/lib.sh"
export SP_HOME=$PWD/home XDG_CONFIG_HOME=$PWD/config XDG_STATE_HOME=$PWD/state XDG_CACHE_HOME=$PWD/cache
need_pg
umask 077
mkdir -p home/runs/20261127T074000Z/logs
r=$SP_HOME/runs/20261127T074000Z
: >"$r/recs.ndjson"
echo publish >"$r/failed-step"
echo 'sp-publish: no recommendations; the playlist is kept as it is (--allow-empty empties it)' >"$r/logs/publish.log"
printf '2026-11-27T07:40:00Z\trun\t1\t%s\n' "$r" >home/runs.log
"$SP_ROOT/pipeline.sh" status >out 2>err
expect_grep '^the last weekly run (2026-11-27T07:40:00Z) found no new release to recommend; last week.s playlist was kept$' out
! grep -q '^  the last weekly run' out || fail "an empty week listed as a problem: $(cat out)"

# A weekly run that failed in publish (a refused request).
echo '{"track_id":"x"}' >"$r/recs.ndjson"
echo 'sp-publish: PUT /playlists/p/items: HTTP 500: Server error' >"$r/logs/publish.log"
"$SP_ROOT/pipeline.sh" status >out 2>err
expect_grep '^  the last weekly run (2026-11-27T07:40:00Z) failed in publish (exit 1): sp-publish: PUT /playlists/p/items: HTTP 500: Server error; the published playlist was kept$' out
# Published by hand since: said, no longer a problem.
printf '2026-11-27T09:00:00Z\tpublish\t0\t%s\n' "$r" >>home/runs.log
"$SP_ROOT/pipeline.sh" status >out 2>err
expect_grep '^the last weekly run (2026-11-27T07:40:00Z) failed in publish (exit 1): .*; a later pipeline.sh publish succeeded$' out
! grep -q '^  the last weekly run' out || fail "still a problem: $(cat out)"
exit 0
