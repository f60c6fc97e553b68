#!/usr/bin/env bash
# Well-formed JSON whose elements are not plays: exit 1, the element and
# the member named.
. "$SP_ROOT/tests/lib/lib.sh"

check() {	# check CONTENT EXPECTED-ERROR
	printf '%s' "$1" >Streaming_History_Audio_2020.json
	expect_status 1 sp-import Streaming_History_Audio_2020.json
	expect_err "$2"
}
check '[{"ts": "2020-01-01T00:00:00Z", "ms_played": 1}, {"ts": 5, "ms_played": 1}]' \
    "sp-import: Streaming_History_Audio_2020.json:1: .[1]: 'ts' is a number, expected a string (byte 56)"
check '[{"ts": "2020-01-01T00:00:00Z", "ms_played": 1},
 {"ts": "2020-01-01T00:00:00Z"}]' \
    "sp-import: Streaming_History_Audio_2020.json:2: .[1]: 'ms_played' is missing (byte 50)"
check '[{"ts": "2020-01-01T00:00:00Z", "ms_played": "1"}]' \
    "sp-import: Streaming_History_Audio_2020.json:1: .[0]: 'ms_played' is a string, expected a number (byte 45)"
check '[{"ts": "2020-01-01T00:00:00Z", "ms_played": 1}, 7]' \
    "sp-import: Streaming_History_Audio_2020.json:1: .[1]: expected an object, got a number (byte 49)"
check '[{"endTime": "2020-01-01 10:00", "msPlayed": 1}, {"endTime": "2020-01-01T10:00", "msPlayed": 1}]' \
    "sp-import: Streaming_History_Audio_2020.json:1: .[1]: 'endTime' is not a time \"YYYY-MM-DD HH:MM\" (byte 61)"
check '[{"ts": "2020-01-01T00:00:00Z", "ms_played": 1, "master_metadata_track_name": "a'$'\xff''"}]' \
    "sp-import: Streaming_History_Audio_2020.json:1: .[0]: invalid UTF-8 in a string (byte 80)"
exit 0
