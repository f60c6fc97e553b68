#!/usr/bin/env bash
# Usage: -h to stdout with exit 0, a bad option or operand exits 2, and the
# man page's SYNOPSIS matches the usage line.
. "$SP_ROOT/tests/lib/lib.sh"
expect_status 0 sp-features -h
expect_grep '^usage: sp-features ' out
expect_status 2 sp-features --bogus
expect_grep '^usage: sp-features ' err
expect_status 2 sp-features extra
expect_status 2 sp-features --var novalue
expect_err "sp-features: --var: expected NAME=VALUE, got 'novalue'"
expect_status 0 sp-features --version
sp-features -h | sed -n 's/^usage: //p' >usage.txt
sed -n '/^\.SH SYNOPSIS/,/^\.SH/p' "$SP_ROOT/bin/sp-features.1" | grep '^sp-features' | sed 's/\\-/-/g' >synopsis.txt
expect_file usage.txt synopsis.txt
