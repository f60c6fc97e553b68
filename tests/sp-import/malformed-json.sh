#!/usr/bin/env bash
# Malformed JSON deep inside a ZIP entry stops sp-import with exit 1 and one
# line naming the entry, the line, the element and the byte; the records
# before it stand.
. "$SP_ROOT/tests/lib/lib.sh"
need_data listening-histories
H=$SP_DATA/listening-histories/Efrrowini-spotify-music-analysis

cp "$H"/Streaming_History_Audio_2022.json "$H"/Streaming_History_Audio_2023.json .
# Element 3000 of the 2024 file loses the comma after its ms_played.
awk '/"ms_played":/ && ++n == 3001 { sub(/,$/, ""); L = NR } { print } END { print L >"line" }' \
    "$H"/Streaming_History_Audio_2024.json >Streaming_History_Audio_2024.json
line=$(($(cat line) + 1))
# The byte offset of the first non-blank byte of the next line.
byte=$(head -n $((line - 1)) Streaming_History_Audio_2024.json | wc -c)
indent=$(sed -n "${line}p" Streaming_History_Audio_2024.json | sed 's/[^ ].*//' | tr -d '\n' | wc -c)
byte=$((byte + indent))
zip -q -X export.zip Streaming_History_Audio_2022.json Streaming_History_Audio_2023.json \
    Streaming_History_Audio_2024.json || fail "zip"

expect_status 1 sp-import export.zip
expect_err "sp-import: export.zip/Streaming_History_Audio_2024.json:$line: .[3000]: expected ',' or '}' in an object (byte $byte)"
expect_eq "stderr lines" 1 "$(wc -l <err)"
expect_eq "records written" $((35 + 1470 + 3000)) "$(wc -l <out)"
# The last record written is the element before the bad one.
expect_eq "last ts" "$(jq -r '.[2999].ts' "$H"/Streaming_History_Audio_2024.json)" \
    "$(tail -n 1 out | jq -r .data.ts)"
exit 0
