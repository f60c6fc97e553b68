#!/usr/bin/env bash
# "-" reads a ZIP from stdin (through a pipe: no seeking), or one history
# file, whose "file" is then "<stdin>".
. "$SP_ROOT/tests/lib/lib.sh"
. "$SP_ROOT/tests/sp-import/export.inc"
need_data listening-histories

make_zip
expected expect
cat export.zip | sp-import --fetched-at "$AT" - >out 2>err
expect_eq "exit status" 0 "$?"
expect_file expect out

f="tree/$EXT/Streaming_History_Audio_2022.json"
jq -c --arg file "<stdin>" --arg at "$AT" --arg video false \
    -f "$SP_ROOT/tests/sp-import/reference.jq" "$f" >expect.file || fail "jq"
cat "$f" | sp-import --fetched-at "$AT" - >out 2>err
expect_eq "exit status" 0 "$?"
expect_file expect.file out
exit 0
