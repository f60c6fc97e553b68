# needs: pg
# What a fetch got is never lost, and one fetch failing does not stop the
# rest.  The plays a run fetched (sp-fetch's cursor then moves past them)
# but could not stage (the store unwritable; a run killed there is the
# same) are marked (ingest/plays.pending) and staged by the next ingest,
# then loaded.  A playlist of SP_PLAYLISTS Spotify does not know (deleted)
# fails its fetch, names the fix, and the hourly run still loads the
# plays; the weekly run still publishes its playlist; status says both.
. "$SP_ROOT/tests/lib/lib.sh"
. "$SP_ROOT/tests/pipeline/lib.bash"
need_pg
pl_listener 200
pl_start
expect_status 0 "$SP_ROOT/pipeline.sh" backfill export.zip
expect_status 0 "$SP_ROOT/pipeline.sh" hourly
n0=$(psql -X -Atqc "select count(*) from raw.plays where source = 'api'")

# Ten new plays; the store cannot be written this hour.
sim_ctl POST plays '{"count": 10}' >/dev/null
: >blocker
SP_STAGE_URL=$PWD/blocker/stage expect_status 1 "$SP_ROOT/pipeline.sh" hourly
r=$(pl_last_run)
[ -e "$r/ingest/plays.pending" ] || fail "the unstaged plays are not marked"
expect_eq "plays fetched" 10 "$(jq -s '[.[] | select(.kind == "play")] | length' "$r/ingest/plays.ndjson")"
# The next hour, nothing new on Spotify: the ten are staged and loaded.
expect_status 0 "$SP_ROOT/pipeline.sh" hourly
expect_grep "^pipeline: staged the plays that $(basename "$r") fetched but did not stage$" err
[ ! -e "$r/ingest/plays.pending" ] || fail "the mark stayed"
expect_eq "api plays loaded" $((n0 + 10)) "$(psql -X -Atqc "select count(*) from raw.plays where source = 'api'")"
expect_status 0 "$SP_ROOT/pipeline.sh" hourly
! grep -q 'fetched but did not stage' err || fail "staged again: $(cat err)"

# A deleted playlist in SP_PLAYLISTS: the plays are loaded all the same.
sim_ctl POST plays '{"count": 5}' >/dev/null
export SP_PLAYLISTS=3cEYpjA9oz9GiPac4AsH4n
expect_status 3 "$SP_ROOT/pipeline.sh" hourly
expect_grep "^pipeline: playlist $SP_PLAYLISTS: Spotify does not know it (deleted?): remove it from SP_PLAYLISTS$" err
expect_grep '^pipeline: load done' err
expect_eq "api plays loaded" $((n0 + 15)) "$(psql -X -Atqc "select count(*) from raw.plays where source = 'api'")"
# The weekly run publishes this week's playlist, and says what failed.
expect_status 3 "$SP_ROOT/pipeline.sh" run
r=$(pl_last_run)
[ -s "$r/recs.ndjson" ] || fail "no recommendations"
[ -s "$r/playlist.txt" ] || fail "not published"
[ -s "$r/report.html" ] || fail "no weekly report"
expect_status 1 "$SP_ROOT/pipeline.sh" status
expect_grep "^  the last weekly run (.*) published its playlist, but failed in fetch-playlist-$SP_PLAYLISTS (exit 3): " out
exit 0
