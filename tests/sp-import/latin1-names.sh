#!/usr/bin/env bash
# A ZIP entry name that is not UTF-8 (latin-1, no UTF-8 flag) is kept as
# its raw bytes, each invalid byte written \xHH, in "file" and messages.
. "$SP_ROOT/tests/lib/lib.sh"
export LC_ALL=C
AT=2026-01-01T00:00:00Z

python3 - <<'PY'
import zipfile
audio = '[{"ts": "2023-05-03T10:00:00Z", "ms_played": 1, "spotify_track_uri": null}]'
with zipfile.ZipFile("x.zip", "w") as z:
    z.writestr("Donn_es/Streaming_History_Audio_2023.json", audio)
    z.writestr("notes_.txt", "not json")
data = open("x.zip", "rb").read()
# Patch the names in both headers to latin-1 bytes; the flag stays unset.
data = data.replace(b"Donn_es", b"Donn\xe9es").replace(b"notes_", b"notes\xff")
open("x.zip", "wb").write(data)
open("audio.json", "w").write(audio)
PY
[ $? -eq 0 ] || fail "python3 zipfile"

jq -c --arg file 'Donn\xe9es/Streaming_History_Audio_2023.json' --arg at "$AT" \
    --arg video false -f "$SP_ROOT/tests/sp-import/reference.jq" audio.json >expect ||
    fail "jq"
expect_status 0 sp-import -v --fetched-at "$AT" x.zip
expect_file expect out
cat >err.expect <<'X'
sp-import: x.zip/Donn\xe9es/Streaming_History_Audio_2023.json: extended history, 1 record: 1 play
sp-import: x.zip/notes\xff.txt: skipped: not a JSON array
sp-import: imported 1 record from 1 history
X
expect_file err.expect err
exit 0
