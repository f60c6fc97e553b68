#!/usr/bin/env bash
# A write error on stdout is an error (exit 1), not a silent loss.
. "$SP_ROOT/tests/lib/lib.sh"

printf '[{"ts": "2020-01-01T00:00:00Z", "ms_played": 1}]' >Streaming_History_Audio_2020.json
[ -w /dev/full ] || skip "no /dev/full"
sp-import Streaming_History_Audio_2020.json >/dev/full 2>err
expect_eq "exit status" 1 "$?"
expect_err "sp-import: write error on stdout: No space left on device"
exit 0
