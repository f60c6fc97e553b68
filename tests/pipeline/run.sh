# needs: pg
# pipeline.sh backfill + run, end to end against the simulated Spotify API
# and PostgreSQL: every stage's files in the run directory, the playlist
# published with reasons; a rerun changes nothing (same playlist, no
# duplicate rows).
. "$SP_ROOT/tests/lib/lib.sh"
. "$SP_ROOT/tests/pipeline/lib.bash"
need_pg
umask 022
pl_listener 600
pl_start

expect_status 0 "$SP_ROOT/pipeline.sh" backfill export.zip
expect_status 0 "$SP_ROOT/pipeline.sh" run
run=$(cd home/runs/latest && pwd -P)
for f in ingest/plays.ndjson ingest/saved.ndjson staged.txt features.ndjson encoded.spm embedded.spm \
    recs.ndjson playlist.jspf playlist.m3u playlist.csv playlist.txt report.html logs/load.log logs/models.log exit-status; do
	[ -s "$run/$f" ] || fail "run directory: $f missing or empty"
done
expect_eq "run exit status" 0 "$(cat "$run/exit-status")"
# A listening history is private: the runs and the staged batches too
# (pipeline.sh's umask, not this case's 022).
for f in "$run" "$run/ingest/plays.ndjson" "$run/report.html" "$run/recs.ndjson" \
    "$(find home/stage -name '*.ndjson.gz' | head -n 1)"; do
	case $(stat -c %a "$f") in 700 | 600) ;; *) fail "$f: mode $(stat -c %a "$f"), readable by others" ;; esac
done
# The export's year and the API's last 50 plays overlap: one row each.
expect_eq "plays (canonical)" 600 "$(psql -X -Atqc 'select count(*) from raw.plays where dup_of is null')"
expect_eq "plays (duplicates)" 50 "$(psql -X -Atqc 'select count(*) from raw.plays where dup_of is not null')"
# Recommended: this week's releases, published in rank order with reasons.
n=$(wc -l <"$run/recs.ndjson")
[ "$n" -gt 0 ] || fail "no recommendations"
pid=$(jq -r '.playlists[]' home/state/publish.json)
sim_ctl GET state | jq -r --arg id "$pid" '.playlists[] | select(.id == $id) | .items[].track_id' >got
jq -r .track_id "$run/recs.ndjson" >want
expect_file want got
expect_grep "^playlist 'sp: new releases for you' (spotify:playlist:$pid), created: $n tracks" out
expect_grep '^      because you played ' out
expect_grep 'because you played' "$run/playlist.csv"
# The week's report shows the recommendations with their reasons.
expect_grep 'because you played' "$run/report.html"
expect_status 0 "$SP_ROOT/pipeline.sh" report -o mine.html
expect_grep '<svg' mine.html
# The zone set in sp.conf is said to come from SP_TZ, as sp-report(1) says.
echo SP_TZ=Europe/Paris >>home/sp.conf
expect_status 0 "$SP_ROOT/pipeline.sh" report -o mine.html
expect_grep 'data-fact="tz-from">SP_TZ</span>' mine.html
sed -i '$d' home/sp.conf

# The rerun: no new plays, the same playlist untouched, no duplicate rows.
pl_rows >rows.before
sim_ctl DELETE log >/dev/null
expect_status 0 "$SP_ROOT/pipeline.sh" run
pl_rows >rows.after
expect_file rows.before rows.after
[ "$(cd home/runs/latest && pwd -P)" != "$run" ] || fail "the rerun did not get its own run directory"
expect_grep "^playlist 'sp: new releases for you' (spotify:playlist:$pid): $n tracks; 0 added, 0 removed, $n kept" out
expect_eq "playlist writes" 0 "$(sim_log | jq -r 'select(.method != "GET") | .path' | grep -c '^/playlists\|^/me/playlists')"
expect_eq "playlists" 1 "$(sim_ctl GET state | jq '[.playlists[] | select(.name == "sp: new releases for you")] | length')"
expect_eq "runs logged" "backfill 0,run 0,run 0" "$(cut -f2,3 home/runs.log | tr '\t\n' ' ,' | sed 's/,$//')"

# publish --dry-run of the latest run: nothing to change, nothing written.
sim_ctl DELETE log >/dev/null
expect_status 0 "$SP_ROOT/pipeline.sh" publish --dry-run
expect_grep "^dry run: playlist 'sp: new releases for you' ($pid): $n tracks; 0 to add, 0 to remove, $n kept$" out
expect_eq "dry-run writes" 0 "$(sim_log | jq -r 'select(.method != "GET") | .path' | grep -c .)"
