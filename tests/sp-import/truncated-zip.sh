#!/usr/bin/env bash
# A ZIP cut in the middle of an entry: exit 1, one line naming the entry.
. "$SP_ROOT/tests/lib/lib.sh"
need_data listening-histories
H=$SP_DATA/listening-histories

cp "$H"/Efrrowini-spotify-music-analysis/Streaming_History_Audio_2022.json \
    "$H"/mica-92-in-summation/Streaming_History_Audio_2024_4.json . &&
zip -q -X full.zip Streaming_History_Audio_2022.json Streaming_History_Audio_2024_4.json || fail "zip"
# Cut halfway through the compressed data of the second entry.
cut=$(python3 -c '
import sys, zipfile
i = zipfile.ZipFile(sys.argv[1]).infolist()[1]
print(i.header_offset + 30 + len(i.filename) + i.compress_size // 2)' full.zip) || fail "python3"
head -c "$cut" full.zip >export.zip

expect_status 1 sp-import export.zip
expect_err "sp-import: export.zip/Streaming_History_Audio_2024_4.json: truncated or corrupt archive: ZIP decompression failed (-5)"
expect_eq "stderr lines" 1 "$(wc -l <err)"
# The first entry was imported whole before the cut was found.
expect_eq "first entry" 35 "$(grep -c '"file":"Streaming_History_Audio_2022.json"' out)"

# Cut inside the first entry's header: nothing can be read.
head -c 20 full.zip >short.zip
expect_status 1 sp-import short.zip
expect_err "sp-import: short.zip: Truncated ZIP file header"
exit 0
