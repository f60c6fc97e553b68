#!/usr/bin/env bash
# ZIP entry names in UTF-8 survive in the C locale: a name written by
# Python's zipfile (UTF-8 flag set) keeps its "file", its messages and
# its classification by name, so a video history stays video.
. "$SP_ROOT/tests/lib/lib.sh"
export LC_ALL=C
AT=2026-01-01T00:00:00Z

python3 - <<'PY'
import zipfile
video = '[{"ts": "2023-05-01T10:00:00Z", "ms_played": 5000, "spotify_track_uri": null, "episode_name": null}, {"ts": "2023-05-02T10:00:00Z", "ms_played": 7, "spotify_track_uri": null, "episode_name": null}]'
audio = '[{"ts": "2023-05-03T10:00:00Z", "ms_played": 1, "spotify_track_uri": "spotify:track:0000000000000000000001"}]'
with zipfile.ZipFile("x.zip", "w") as z:
    z.writestr("Données/Streaming_History_Video_2023.json", video)
    z.writestr("Données/Streaming_History_Audio_2023.json", audio)
with zipfile.ZipFile("x.zip") as z:
    assert all(i.flag_bits & 0x800 for i in z.infolist()), "names not flagged UTF-8"
open("video.json", "w").write(video)
open("audio.json", "w").write(audio)
PY
[ $? -eq 0 ] || fail "python3 zipfile"

{
	jq -c --arg file 'Données/Streaming_History_Video_2023.json' --arg at "$AT" \
	    --arg video true -f "$SP_ROOT/tests/sp-import/reference.jq" video.json
	jq -c --arg file 'Données/Streaming_History_Audio_2023.json' --arg at "$AT" \
	    --arg video false -f "$SP_ROOT/tests/sp-import/reference.jq" audio.json
} >expect || fail "jq"
expect_status 0 sp-import -v --fetched-at "$AT" x.zip
expect_file expect out
cat >err.expect <<'X'
sp-import: x.zip/Données/Streaming_History_Video_2023.json: extended history, 2 records: 2 videos
sp-import: x.zip/Données/Streaming_History_Audio_2023.json: extended history, 1 record: 1 play
sp-import: imported 3 records from 2 histories
X
expect_file err.expect err

# --kind play leaves the video history out.
expect_status 0 sp-import --kind play --fetched-at "$AT" x.zip
expect_eq "plays" 1 "$(wc -l <out)"
exit 0
