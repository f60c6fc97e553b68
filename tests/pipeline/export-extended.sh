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
# Albums from the export's names.
ex_top top-albums-lifetime report.html >albums
[ -s albums ] || fail "no top albums"
exit 0
