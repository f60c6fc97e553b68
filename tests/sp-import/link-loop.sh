#!/usr/bin/env bash
# A directory symbolic link loop (a link to an ancestor) and a second link
# to a history do not import anything twice: each file once, where it is
# first met in name order.
. "$SP_ROOT/tests/lib/lib.sh"

mkdir -p export/data
printf '[{"ts": "2020-01-01T00:00:00Z", "ms_played": 1}]' >export/data/Streaming_History_Audio_2020.json
ln -s .. export/data/loop
ln -s data/Streaming_History_Audio_2020.json export/Streaming_History_Audio_copy.json
expect_status 0 sp-import --fetched-at 2024-01-01T00:00:00Z export
expect_eq "records" 1 "$(wc -l <out)"
expect_grep '"file":"Streaming_History_Audio_copy.json"' out
expect_eq "stderr" "sp-import: imported 1 record from 1 history" "$(cat err)"
exit 0
