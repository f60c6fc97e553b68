#!/usr/bin/env bash
# Usage: -h to stdout with exit 0, a bad option or command exits 2, and the
# man page's SYNOPSIS matches the usage lines.
. "$SP_ROOT/tests/lib/lib.sh"
expect_status 0 sp-model -h
expect_grep '^usage: sp-model run ' out
expect_status 2 sp-model --bogus
expect_grep '^usage: sp-model run ' err
expect_status 2 sp-model frobnicate
expect_err "sp-model: unknown command 'frobnicate'"
expect_status 2 sp-model
expect_status 2 sp-model run --var novalue
expect_err "sp-model: --var: expected NAME=VALUE, got 'novalue'"
expect_status 2 sp-model list --select nosuchmodel
expect_err "sp-model: --select: no model 'nosuchmodel'"
expect_status 2 sp-model compile stg_spotify__params --var "tz=x'; drop table y; --"
expect_err "sp-model: var 'tz': the value must not hold a quote, a backslash or a newline"
expect_status 0 sp-model --version
expect_grep '^sp-model ' out
sp-model -h | sed -n 's/^usage: //p; s/^       sp-model/sp-model/p' >usage.txt
sed -n '/^\.SH SYNOPSIS/,/^\.SH/p' "$SP_ROOT/bin/sp-model.1" | grep '^sp-model\|^\.B sp-model' |
	sed 's/^\.B //; s/\\-/-/g' >synopsis.txt
expect_file usage.txt synopsis.txt
