#!/usr/bin/env bash
# A history holding an empty array is no plays and no error; an empty file
# is an error.
. "$SP_ROOT/tests/lib/lib.sh"

printf '[ ]\n' >Streaming_History_Audio_2020.json
expect_status 0 sp-import -v Streaming_History_Audio_2020.json
[ -s out ] && fail "records from an empty array"
expect_err "sp-import: Streaming_History_Audio_2020.json: empty history, 0 records"

mkdir d && cp Streaming_History_Audio_2020.json d/StreamingHistory0.json
expect_status 0 sp-import d
[ -s out ] && fail "records from an empty array"
expect_err "sp-import: imported 0 records from 1 history"
expect_status 0 sp-import -q d
[ -s err ] && fail "a message with -q"

: >Streaming_History_Audio_2021.json
expect_status 1 sp-import Streaming_History_Audio_2021.json
expect_err "sp-import: Streaming_History_Audio_2021.json:1: empty input (byte 0)"
expect_status 1 sp-import - </dev/null
expect_err "sp-import: <stdin>: empty input"
exit 0
