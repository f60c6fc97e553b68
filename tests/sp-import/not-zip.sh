#!/usr/bin/env bash
# A file named .zip that is no ZIP (a page saved instead of the download)
# is named as such, exit 1, nothing written; a gzip named .zip is still
# read as the compressed file it is.  A directory holding only the ZIP
# finds no history and names the ZIP to give instead.
. "$SP_ROOT/tests/lib/lib.sh"
printf '<html>Please log in</html>\n' >my_spotify_data.zip
expect_status 1 sp-import my_spotify_data.zip
expect_err "sp-import: my_spotify_data.zip: not a ZIP archive (a ZIP begins with the bytes PK; is the download whole?)"
[ ! -s out ] || fail "records written for a file that is not a ZIP"
cp my_spotify_data.zip PAGE.ZIP
expect_status 1 sp-import PAGE.ZIP
expect_grep '^sp-import: PAGE.ZIP: not a ZIP archive' err

printf '[{"ts":"2025-03-01T10:00:00Z","ms_played":200000,"spotify_track_uri":"spotify:track:7ouMYWpwJ422jRcDASZB7P","master_metadata_track_name":"T","master_metadata_album_artist_name":"A","master_metadata_album_album_name":"B"}]' >Streaming_History_Audio_2025.json
gzip -c Streaming_History_Audio_2025.json >history.zip
expect_status 0 sp-import history.zip
expect_eq "records of a gzip named .zip" 1 "$(grep -c '"kind":"play"' out)"

mkdir downloads
zip -q downloads/my_spotify_data.zip Streaming_History_Audio_2025.json || fail "zip"
expect_status 1 sp-import downloads
expect_grep '^sp-import: downloads: no listening history found$' err
expect_grep '^sp-import: hint: downloads/my_spotify_data.zip is a ZIP: give that file itself$' err
expect_status 0 sp-import downloads/my_spotify_data.zip
expect_eq "records of the ZIP itself" 1 "$(grep -c '"kind":"play"' out)"
