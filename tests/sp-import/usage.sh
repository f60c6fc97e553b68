#!/usr/bin/env bash
# -h prints usage to stdout (exit 0) and matches the man page's SYNOPSIS; a
# bad option or no argument prints it to stderr (exit 2); --version.
. "$SP_ROOT/tests/lib/lib.sh"

expect_status 0 sp-import -h
expect_grep '^usage: sp-import ' out
[ -s err ] && fail "stderr from -h"
# The SYNOPSIS, roff macros undone: .B/.I words joined by spaces, .RB/.IR
# words run together.
synopsis=$(sed -n '/^\.SH SYNOPSIS/,/^\.SH DESCRIPTION/p' "$SP_ROOT/bin/sp-import.1" |
    sed '1d;$d' | sed 's/\\-/-/g' |
    awk '/^\.(B|I) / { $1 = ""; sub(/^ /, ""); printf "%s ", $0; next }
         /^\.(RB|IR|BR|RI) / { $1 = ""; gsub(/ /, ""); printf "%s ", $0; next }' |
    sed 's/ $//')
expect_eq "SYNOPSIS" "$(head -n 1 out | sed 's/^usage: //')" "$synopsis"

expect_status 2 sp-import --no-such-option x
expect_grep '^usage: sp-import ' err
[ -s out ] && fail "stdout from a bad option"
expect_status 2 sp-import
expect_grep '^usage: sp-import ' err
expect_status 2 sp-import --fetched-at 2026-01-01 x
expect_err "sp-import: --fetched-at: not an ISO 8601 UTC time (YYYY-MM-DDTHH:MM:SSZ): '2026-01-01'"

expect_status 0 sp-import --version
expect_grep '^sp-import [0-9]' out

# Without --fetched-at, fetched_at is the current time in UTC.
printf '[{"ts": "2020-01-01T00:00:00Z", "ms_played": 1}]' >Streaming_History_Audio_2020.json
before=$(date -u +%Y-%m-%dT%H:%M:%SZ)
expect_status 0 sp-import Streaming_History_Audio_2020.json
after=$(date -u +%Y-%m-%dT%H:%M:%SZ)
at=$(jq -r .fetched_at out)
[[ "$at" > "$before" || "$at" == "$before" ]] && [[ "$at" < "$after" || "$at" == "$after" ]] ||
    fail "fetched_at $at not between $before and $after"
exit 0
