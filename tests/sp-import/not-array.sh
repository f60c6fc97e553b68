#!/usr/bin/env bash
# A history whose top level is not an array: exit 1 and the exact message,
# also inside a ZIP.
. "$SP_ROOT/tests/lib/lib.sh"

printf '{"ts": "2020-01-01T00:00:00Z", "ms_played": 1}\n' >Streaming_History_Audio_2020.json
expect_status 1 sp-import Streaming_History_Audio_2020.json
expect_err "sp-import: Streaming_History_Audio_2020.json:1: expected a JSON array, got an object (byte 0)"

printf '\n\n  "plays"\n' >StreamingHistory0.json
zip -q -X e.zip StreamingHistory0.json || fail "zip"
expect_status 1 sp-import e.zip
expect_err "sp-import: e.zip/StreamingHistory0.json:3: expected a JSON array, got a string (byte 4)"
exit 0
