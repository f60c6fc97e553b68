#!/usr/bin/env bash
# Renamed history files in an export are recognised by the keys of their
# first element; the other files are skipped, and -v says what each is.
. "$SP_ROOT/tests/lib/lib.sh"
need_data listening-histories
H=$SP_DATA/listening-histories
AT=2026-01-01T00:00:00Z

mkdir -p x
cp "$H"/Efrrowini-spotify-music-analysis/Streaming_History_Audio_2022.json x/audio-2022.json
cp "$H"/akshetP-*/StreamingHistory0.json x/plays.json
printf '{"username":"listener"}\n' >x/Userdata.json
printf '[{"artistName":"A","segment":"Light listeners"}]\n' >x/Marquee.json
printf 'not json\n' >x/notes.txt
printf '[]\n' >x/empty.json
(cd x && zip -q -X ../export.zip Marquee.json Userdata.json audio-2022.json empty.json notes.txt plays.json) ||
    fail "zip"

{
	jq -c --arg file audio-2022.json --arg at "$AT" --arg video false \
	    -f "$SP_ROOT/tests/sp-import/reference.jq" x/audio-2022.json
	jq -c --arg file plays.json --arg at "$AT" --arg video false \
	    -f "$SP_ROOT/tests/sp-import/reference.jq" x/plays.json
} >expect || fail "jq"
expect_status 0 sp-import -v --fetched-at "$AT" export.zip
expect_file expect out
cat >err.expect <<'X'
sp-import: export.zip/Marquee.json: skipped: not a listening history
sp-import: export.zip/Userdata.json: skipped: not a JSON array
sp-import: export.zip/audio-2022.json: extended history, 35 records: 35 plays
sp-import: export.zip/empty.json: skipped: an empty array
sp-import: export.zip/notes.txt: skipped: not a JSON array
sp-import: export.zip/plays.json: account-data history, 9711 records: 9711 plays
sp-import: imported 9746 records from 2 histories
X
expect_file err.expect err
exit 0
