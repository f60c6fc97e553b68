#!/usr/bin/env bash
# One history file as the argument, plain or gzip-compressed: "file" is its
# base name; a file named on the command line with another name is
# recognised by content.
. "$SP_ROOT/tests/lib/lib.sh"
need_data listening-histories
f=$SP_DATA/listening-histories/mica-92-in-summation/Streaming_History_Audio_2024_4.json
AT=2026-01-01T00:00:00Z

jq -c --arg file Streaming_History_Audio_2024_4.json --arg at "$AT" --arg video false \
    -f "$SP_ROOT/tests/sp-import/reference.jq" "$f" >expect || fail "jq"
expect_status 0 sp-import --fetched-at "$AT" "$f"
expect_file expect out
expect_eq "records" 3328 "$(wc -l <out)"

gzip -c "$f" >Streaming_History_Audio_2024_4.json.gz
expect_status 0 sp-import --fetched-at "$AT" Streaming_History_Audio_2024_4.json.gz
expect_file expect out

cp "$f" mine.json
expect_status 0 sp-import --fetched-at "$AT" mine.json
sed 's/"file":"Streaming_History_Audio_2024_4.json"/"file":"mine.json"/' expect >expect.mine
expect_file expect.mine out
exit 0
