#!/usr/bin/env bash
# needs: pg
# Efrrowini's extended streaming history (6,978 rows, 2022-2026, real),
# zipped as Spotify ships it and backfilled alone: the report names its
# three most-played artists and tracks (from the export's names, as no
# track was fetched), counted here from the raw JSON; the weekly chart
# covers 2022-2026; the windows end at the last play, and the report says so.
. "$SP_ROOT/tests/lib/lib.sh"
need_data listening-histories/Efrrowini-spotify-music-analysis
. "$SP_ROOT/tests/pipeline/export.bash"
need_pg
src=$SP_DATA/listening-histories/Efrrowini-spotify-music-analysis
ex_zip my_spotify_data.zip "$src" \
    "Spotify Extended Streaming History/Streaming_History_Audio_2022.json" \
    "Spotify Extended Streaming History/Streaming_History_Audio_2023.json" \
    "Spotify Extended Streaming History/Streaming_History_Audio_2024.json" \
    "Spotify Extended Streaming History/Streaming_History_Audio_2026.json"
ex_expect "$src"
ex_backfill_report my_spotify_data.zip
ex_check_top artists
ex_check_top tracks
ex_check_weekly
expect_grep 'as-of time: the last play, as the plays end more than 28 days' report.html
expect_grep 'Windows end at 2026-05-31 08:49' report.html
# Skip rates from the export's skipped/reason_end; genres: none, said so.
awk '/data-chart="skip-artist"/,/<\/svg>/' report.html | grep -q 'class="hbar"' || fail "no artist skip rates"
expect_grep 'genres unavailable from Spotify' report.html
# The country of the plays (conn_country: IN) names the zone to set, since
# the machine's (TZ=UTC here) is not India's; in India's zone, it says so.
# The share: plays of the last year of plays (one per time, track and
# ms_played), counted from the raw files.
share=$(python3 - "$src" <<'PY'
import datetime, glob, json, sys
rows = {}
for path in glob.glob(sys.argv[1] + "/*.json"):
    for r in json.load(open(path, encoding="utf-8")):
        if r.get("spotify_episode_uri") or r.get("audiobook_uri"):
            continue
        if not (r.get("spotify_track_uri") or r.get("master_metadata_track_name")):
            continue
        rows[(r["ts"], r.get("spotify_track_uri"), r.get("master_metadata_track_name"), r["ms_played"])] = r.get("conn_country")
t = lambda s: datetime.datetime.strptime(s, "%Y-%m-%dT%H:%M:%SZ")
k = [(t(ts), c) for (ts, _, _, _), c in rows.items() if c and len(c) == 2 and c != "ZZ"]
last = max(x for x, _ in k)
year = [c for x, c in k if x > last.replace(year=last.year - 1)]
print("%.0f" % (100 * year.count("IN") / len(year)))
PY
) || fail "counting the countries failed"
expect_grep "Your export says you listen in India (IN: $share% of the plays of your last year that name a country).  If so, set SP_TZ=Asia/Kolkata in " report.html
TZ=Asia/Kolkata expect_status 0 "$SP_ROOT/pipeline.sh" report -o in.html
expect_grep "time zone, <b>Asia/Kolkata</b> (from TZ), taken as the listener.s, a zone of <span data-fact=\"country\">India</span>, where your export says you listen ($share% " in.html
grep -q 'Your export says' in.html && fail "the zone hint in the country's zone"
# A zone named by an alias (tzdata's backward links) is that zone.
TZ=Asia/Calcutta expect_status 0 "$SP_ROOT/pipeline.sh" report -o alias.html
expect_grep "time zone, <b>Asia/Calcutta</b> (from TZ), taken as the listener.s, a zone of <span data-fact=\"country\">India</span>" alias.html
grep -q 'Your export says' alias.html && fail "the zone hint in an alias of the country's zone"
# Albums from the export's names.
ex_top top-albums-lifetime report.html >albums
[ -s albums ] || fail "no top albums"
exit 0
