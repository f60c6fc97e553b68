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
awk '/data-chart="skip-artist"/,/<\/svg>/' report.html | grep -q 'class="hbar"' || fail "no artist skip rates"
exit 0
