#!/usr/bin/env bash
# needs: pg
# Account-data plays (akshetP's real history: names only) are resolved by
# the API's search against a real catalogue (the simulator loaded with
# tidytuesday's spotify_songs.csv): the plays whose track and artist name
# are in the catalogue (counted here from the raw files) resolve to those
# ids, the others are unresolvable, none pending; the report and status
# say so; a second run searches no pair again (the simulator's log).
. "$SP_ROOT/tests/lib/lib.sh"
need_data listening-histories/akshetP-Analysis-of-Spotify-Music-Taste-Change-During-Lockdown
need_data tidytuesday-spotify-songs
. "$SP_ROOT/tests/pipeline/export.bash"
. "$SP_ROOT/tests/lib/sim.sh"
need_pg
src=$SP_DATA/listening-histories/akshetP-Analysis-of-Spotify-Music-Taste-Change-During-Lockdown
cat=$SP_DATA/tidytuesday-spotify-songs/spotify_songs.csv
ex_zip my_spotify_data.zip "$src" "Spotify Account Data/StreamingHistory_music_0.json"

# Expected: plays (one per time, track and ms_played, as loaded) whose
# lower-cased (track, artist) is a catalogue pair; the catalogue's
# (pair, id) triples; the number of distinct pairs.
python3 - "$src/StreamingHistory0.json" "$cat" <<'PY' || fail "counting failed"
import csv, json, sys
cat = {}
with open(sys.argv[2], newline="", encoding="utf-8") as f:
    for r in csv.DictReader(f):
        cat.setdefault((r["track_name"].lower(), r["track_artist"].lower()), set()).add(r["track_id"])
seen, pairs, hit = set(), set(), 0
for r in json.load(open(sys.argv[1], encoding="utf-8")):
    k = (r["endTime"], r["trackName"], r["msPlayed"])
    if k in seen:
        continue
    seen.add(k)
    p = (r["trackName"].lower(), r["artistName"].lower())
    pairs.add(p)
    hit += p in cat
open("want.resolved", "w").write("%d\n" % hit)
open("want.unresolvable", "w").write("%d\n" % (len(seen) - hit))
open("want.pairs", "w").write("%d\n" % len(pairs))
with open("catalogue.tsv", "w") as f:
    for (t, a), ids in cat.items():
        for i in ids:
            f.write("%s\t%s\t%s\n" % (i, t, a))
PY

# The rate window's shape (250 requests, then 429 with Retry-After) in a
# tenth of its time: 1,700 searches would take 3.5 minutes in the real one.
SIM_START_SECONDS=60 start_sim --catalog "$cat" --artists 2 --plays 1 --new-releases 1 --saved 1 \
    --rate-window 3
sim_tokens
expect_status 0 "$SP_ROOT/pipeline.sh" backfill my_spotify_data.zip
expect_q_pending=$(psql -X -Atqc "select sum(plays) from analytics.int_spotify__resolutions where status = 'pending'")
expect_eq "pending before the search" "$(( $(cat want.resolved) + $(cat want.unresolvable) ))" "$expect_q_pending"

# The search (what 'recommend' does first), within one run's budget;
# then the models.
sim_ctl DELETE log >/dev/null
SP_SEARCH_MAX=5000 SP_REQUEST_BUDGET=5000 expect_status 0 "$SP_ROOT/pipeline.sh" resolve
expect_grep "^pipeline: resolve: searching the tracks of $(cat want.pairs) of $(cat want.pairs) account-data name pairs" err
sim_log | jq -r 'select(.path == "/search" and .status == 200 and (.query | test("type=track"))) | .query' >searches
expect_eq "searches" "$(cat want.pairs)" "$(wc -l <searches)"
expect_eq "pairs searched twice" 0 "$(sort searches | uniq -d | wc -l)"
[ "$(sim_log | jq -s '[.[] | select(.status == 429)] | length')" -gt 0 ] ||
    fail "the search never reached the rate window"
expect_eq "resolved plays" "$(cat want.resolved)" \
    "$(psql -X -Atqc "select sum(plays) from analytics.int_spotify__resolutions where status = 'resolved'")"
expect_eq "unresolvable plays" "$(cat want.unresolvable)" \
    "$(psql -X -Atqc "select sum(plays) from analytics.int_spotify__resolutions where status = 'unresolvable'")"
# Each resolved pair has a catalogue id of that track and artist name.
psql -X -Atqc "select track_id || chr(9) || track_key || chr(9) || artist_key
    from analytics.int_spotify__resolutions where status = 'resolved'" >resolved.tsv
[ -s resolved.tsv ] || fail "nothing resolved"
bad=$(grep -cvxFf catalogue.tsv resolved.tsv)
expect_eq "resolved to an id not of that name pair" 0 "$bad"
# The resolved plays reach the features: their tracks are in the mart.
expect_eq "resolved plays in the features" "$(cat want.resolved)" \
    "$(psql -X -Atqc "select count(*) from analytics.int_spotify__plays p
        join analytics.mart_spotify__merged_tracks m using (track_id) where p.resolution = 'search'")"

expect_status 0 "$SP_ROOT/pipeline.sh" report -o report.html
expect_grep "data-fact=\"resolved\">$(cat want.resolved)<" report.html
expect_grep "data-fact=\"pending\">0<" report.html
expect_grep "data-fact=\"unresolvable\">$(cat want.unresolvable)<" report.html
expect_status 0 "$SP_ROOT/pipeline.sh" status
expect_grep "^  account-data plays: $(cat want.resolved) resolved, 0 pending, $(cat want.unresolvable) unresolvable$" out

# The second run: no pair is searched again.
sim_ctl DELETE log >/dev/null
SP_SEARCH_MAX=5000 SP_REQUEST_BUDGET=5000 expect_status 0 "$SP_ROOT/pipeline.sh" resolve
expect_eq "track searches in the second run" 0 \
    "$(sim_log | jq -r 'select(.path == "/search" and (.query | test("type=track"))) | .path' | wc -l)"
exit 0
