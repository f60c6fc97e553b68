# needs: pg
# An hourly run after the Friday run leaves runs/latest on the Friday
# run: 'publish', 'make recs' and 'status' still work on it.  The run
# records its day (RUN/now) and a rerun scores with it; after a rerun the
# playlist and report are reported stale.  An empty and a failed recommend
# step leave the published playlist as it was.
. "$SP_ROOT/tests/lib/lib.sh"
. "$SP_ROOT/tests/pipeline/lib.bash"
need_pg
pl_listener 300
pl_start

expect_status 0 "$SP_ROOT/pipeline.sh" backfill export.zip
expect_status 0 "$SP_ROOT/pipeline.sh" run
friday=$(pl_last_run)
expect_eq latest "$friday" "$(cd home/runs/latest && pwd -P)"
expect_eq "run's day" "$(date -u +%F)" "$(cat "$friday/now")"
expect_grep " --now $(date -u +%F)$" "$friday/.flags/cosine"
n=$(wc -l <"$friday/recs.ndjson")
pid=$(jq -r '.playlists[]' home/state/publish.json)
sim_ctl GET state | jq -r --arg id "$pid" '.playlists[] | select(.id == $id) | .items[].track_id' >published

sleep 1
expect_status 0 "$SP_ROOT/pipeline.sh" hourly
hourly=$(pl_last_run)
[ "$hourly" != "$friday" ] || fail "hourly made no run of its own"
expect_eq latest "$friday" "$(cd home/runs/latest && pwd -P)"
expect_eq latest-hourly "$hourly" "$(cd home/runs/latest-hourly && pwd -P)"
expect_grep '^pipeline: prune: removed 0 runs' err

expect_status 0 "$SP_ROOT/pipeline.sh" status
expect_grep "^latest recommendations: $n in $friday$" out
expect_status 0 "$SP_ROOT/pipeline.sh" publish
expect_grep "^playlist 'sp: new releases for you' (spotify:playlist:$pid): $n tracks; 0 added, 0 removed, $n kept" out

# make recs on the Friday run: nothing stale; a rerun another day still
# scores the run's own day (it is in RUN/now).
expect_status 0 make -s --no-print-directory -C "$SP_ROOT" recs
expect_eq "make recs output" "" "$(cat out err)"
echo 2026-01-02 >"$friday/now"
rm -f "$friday/logs/stages.log"
expect_status 0 make -s --no-print-directory -C "$SP_ROOT" recs
expect_eq stages "cosine blend rerank " "$(tr '\n' ' ' <"$friday/logs/stages.log")"
expect_grep " --now 2026-01-02$" "$friday/.flags/cosine"
expect_grep "^run.mk: stale: playlist.\* (pipeline.sh publish $friday) is older than recs.ndjson$" err
expect_grep '^run.mk: stale: report.html (pipeline.sh report) is older than recs.ndjson$' err

# A quiet week: recommend wrote nothing; the playlist stays as it was.
: >"$friday/recs.ndjson"
sim_ctl DELETE log >/dev/null
expect_status 1 "$SP_ROOT/pipeline.sh" publish
expect_grep 'sp-publish: .*recs.ndjson: no recommendations; the playlist is kept as it is' err
# A failed step (the releases sweep refused): exit 3, nothing published.
sim_fault '{"path": "/artists/*", "status": 503, "count": -1}'
expect_status 3 "$SP_ROOT/pipeline.sh" run
expect_eq "playlist writes" 0 "$(sim_log | jq -r 'select(.method != "GET") | .path' | grep -c 'playlists')"
sim_ctl GET state | jq -r --arg id "$pid" '.playlists[] | select(.id == $id) | .items[].track_id' >after
expect_file published after
expect_eq latest "$friday" "$(cd home/runs/latest && pwd -P)"
