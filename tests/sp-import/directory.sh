#!/usr/bin/env bash
# An unpacked export (a directory) gives exactly what its ZIP gives: the
# same records in the same order, the same "file" names.
. "$SP_ROOT/tests/lib/lib.sh"
. "$SP_ROOT/tests/sp-import/export.inc"
need_data listening-histories

make_zip
expected expect
expect_status 0 sp-import --fetched-at "$AT" tree/
expect_file expect out
mv out dir.out
expect_status 0 sp-import --fetched-at "$AT" export.zip
expect_file dir.out out
exit 0
