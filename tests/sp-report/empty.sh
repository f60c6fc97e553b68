#!/usr/bin/env bash
# needs: pg
# A database where nothing was ever loaded or built (no raw tables, no
# models) still gives a report, with notes in place of the charts.
. "$SP_ROOT/tests/sp-report/lib.bash"
need_pg
expect_status 0 sp-report --now "$NOW"
[ ! -s err ] || { cat err >&2; fail "messages on stderr"; }
expect_grep 'The SQL models are not built yet' out
expect_grep 'Nothing loaded yet: the raw tables do not exist' out
expect_grep '</html>' out
expect_grep 'time zone <span data-fact="tz">UTC</span>' out
exit 0
