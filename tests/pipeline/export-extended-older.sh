#!/usr/bin/env bash
# needs: pg
# mica-92's extended streaming history (3,328 rows, Aug-Dec 2024, real, an
# older field set without audiobook members and 315 podcast rows) zipped
# as Spotify ships it and backfilled alone: the report names its three
# most-played artists and tracks, counted here from the raw JSON, and the
# weekly chart covers its span.
. "$SP_ROOT/tests/lib/lib.sh"
need_data listening-histories/mica-92-in-summation
. "$SP_ROOT/tests/pipeline/export.bash"
need_pg
src=$SP_DATA/listening-histories/mica-92-in-summation
ex_zip my_spotify_data.zip "$src" \
    "Spotify Extended Streaming History/Streaming_History_Audio_2024_4.json"
ex_expect "$src"
ex_backfill_report my_spotify_data.zip
ex_check_top artists
ex_check_top tracks
ex_check_weekly
# Most plays are from Argentina (AR), a country of several zones: the
# hint names its first in tzdata's zone.tab and how many it has.
n=$(grep -c '^AR'$'\t' /usr/share/zoneinfo/zone.tab)
expect_grep "Your export says you listen in Argentina (AR: [0-9]*% of the plays of your last year that name a country).  If so, set SP_TZ=America/Argentina/Buenos_Aires (or, of its $n zones in zone.tab, the one where you are) in " report.html
awk '/data-chart="skip-artist"/,/<\/svg>/' report.html | grep -q 'class="hbar"' || fail "no artist skip rates"
exit 0
