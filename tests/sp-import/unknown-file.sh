#!/usr/bin/env bash
# A file named on the command line that is no listening history is an
# error (exit 1), and so is an export that holds none.
. "$SP_ROOT/tests/lib/lib.sh"

printf '{"username":"listener"}\n' >Userdata.json
expect_status 1 sp-import Userdata.json
expect_err "sp-import: Userdata.json:1: expected a JSON array, got an object (byte 0)"

printf '[\n  {"artistName": "A", "segment": "Light listeners"}\n]\n' >Marquee.json
expect_status 1 sp-import Marquee.json
expect_err "sp-import: Marquee.json:2: .[0]: not a listening history record: no 'ts' and 'ms_played', nor 'endTime' and 'msPlayed' (byte 4)"

printf '%%PDF-1.4\n' >ReadMeFirst.pdf
expect_status 1 sp-import ReadMeFirst.pdf
expect_err "sp-import: ReadMeFirst.pdf:1: not JSON: unexpected byte 0x25 (byte 0)"
[ -s out ] && fail "output from a file that is no history"

zip -q -X other.zip Userdata.json Marquee.json ReadMeFirst.pdf || fail "zip"
expect_status 1 sp-import other.zip
expect_err "sp-import: other.zip: no listening history found"
expect_eq "hint" "sp-import: hint: expected Streaming_History_Audio_*.json, endsong_*.json or StreamingHistory*.json" \
    "$(sed -n 2p err)"

expect_status 1 sp-import missing.zip
expect_err "sp-import: missing.zip: No such file or directory"
exit 0
