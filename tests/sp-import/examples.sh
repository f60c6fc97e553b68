#!/usr/bin/env bash
# The EXAMPLES of sp-import(1), run on the real exports.
. "$SP_ROOT/tests/lib/lib.sh"
. "$SP_ROOT/tests/sp-import/export.inc"
need_data listening-histories

make_zip
mv export.zip my_spotify_data.zip

# 1 (the sp-import half; sp-stage has its own tests).
sp-import my_spotify_data.zip >plays.ndjson || fail "example 1 failed"
expect_eq "plays" 20017 "$(wc -l <plays.ndjson)"

# 2: the ten most played tracks, checked against jq over the sources.
sp-import -k play my_spotify_data.zip |
    jq -r 'select(.data.spotify_track_uri != null) | .data.spotify_track_uri' |
    sort | uniq -c | sort -rn | head >top || fail "example 2 failed"
histories | sed 's|^|tree/|' | tr '\n' '\0' | xargs -0 cat |
    jq -r '.[] | select(.spotify_episode_uri == null and .spotify_track_uri != null) | .spotify_track_uri' |
    sort | uniq -c | sort -rn | head >top.expect
expect_file top.expect top
expect_eq "lines" 10 "$(wc -l <top)"

# 3
cd tree || fail "cd"
sp-import -v "Spotify Account Data" >/dev/null 2>../err || fail "example 3 failed"
cd ..
cat >err.expect <<'X'
sp-import: Spotify Account Data/Playlist1.json: skipped: not a JSON array
sp-import: Spotify Account Data/SearchQueries.json: skipped: not a listening history
sp-import: Spotify Account Data/StreamingHistory0.json: account-data history, 9711 records: 9711 plays
sp-import: Spotify Account Data/Userdata.json: skipped: not a JSON array
sp-import: imported 9711 records from 1 history
X
expect_file err.expect err
exit 0
