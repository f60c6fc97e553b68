# needs: pg
# Plays lost in a gap: when recently-played returns a full page of 50
# whose oldest play is newer than the newest play loaded, the plays in
# between are gone (Spotify keeps 50); the run says so (both times to the
# second) and status lists it as a problem for a week, whatever runs
# after, with the way to fill it (a new export).
. "$SP_ROOT/tests/lib/lib.sh"
. "$SP_ROOT/tests/pipeline/lib.bash"
need_pg
pl_listener 200
pl_start
expect_status 0 "$SP_ROOT/pipeline.sh" backfill export.zip
# The API's last 50 plays overlap the export: no gap.
expect_status 0 "$SP_ROOT/pipeline.sh" hourly
[ ! -e "$(pl_last_run)/gap" ] || fail "a gap where the plays overlap: $(cat "$(pl_last_run)/gap")"
expect_status 0 "$SP_ROOT/pipeline.sh" status
# 80 plays since: the next page of 50 starts after the newest one loaded.
newest=$(psql -X -Atqc "select to_char(max(played_at) at time zone 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') from raw.plays")
sim_ctl POST plays '{"count": 80}' >/dev/null
expect_status 0 "$SP_ROOT/pipeline.sh" hourly
expect_grep "^pipeline: plays between $newest and [0-9]\{4\}-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]Z may be missing: recently-played returned a full page of 50$" err
expect_status 1 "$SP_ROOT/pipeline.sh" status
expect_grep "^  plays between $newest and .* may be missing: .* (found [0-9T:Z-]*; pipeline.sh backfill of a new export fills it)$" out
# The next hour, nothing new: the gap is still listed.
expect_status 0 "$SP_ROOT/pipeline.sh" hourly
expect_status 1 "$SP_ROOT/pipeline.sh" status
expect_grep "^  plays between $newest and .* may be missing" out
# A week later, no more.
old=$(date -u -d '8 days ago' +%Y-%m-%dT%H:%M:%SZ)
sed -i "s/^[^\t]*\t/$old\t/" "$SP_HOME/gaps.log"
expect_status 0 "$SP_ROOT/pipeline.sh" status
