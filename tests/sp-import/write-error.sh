#!/usr/bin/env bash
# A write error on stdout is an error (exit 1) naming its cause, not a
# silent loss; a reader that goes away (| head) ends the import quietly
# with 0.
. "$SP_ROOT/tests/lib/lib.sh"

printf '[{"ts": "2020-01-01T00:00:00Z", "ms_played": 1}]' >Streaming_History_Audio_2020.json
[ -w /dev/full ] || skip "no /dev/full"
sp-import Streaming_History_Audio_2020.json >/dev/full 2>err
expect_eq "exit status" 1 "$?"
expect_err "sp-import: write error on stdout: No space left on device"

# More than one output buffer: the write fails inside the import, not at
# the close of stdout.
awk 'BEGIN { printf "["; for (i = 0; i < 20000; i++)
	printf "%s{\"ts\": \"2020-01-01T00:00:00Z\", \"ms_played\": %d}", i ? "," : "", i
	print "]" }' >Streaming_History_Audio_2021.json
sp-import Streaming_History_Audio_2021.json >/dev/full 2>err
expect_eq "exit status" 1 "$?"
expect_err "sp-import: write error on stdout: No space left on device"
expect_eq "stderr lines" 1 "$(wc -l <err)"

sp-import Streaming_History_Audio_2021.json 2>err | head -n 1 >first
expect_eq "exit status of sp-import | head -1" 0 "${PIPESTATUS[0]}"
expect_eq "stderr" "" "$(cat err)"
expect_grep '"ms_played":0,' first
exit 0
