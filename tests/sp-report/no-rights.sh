#!/usr/bin/env bash
# needs: pg
# A role that may not read the schemas gets one message with the rights
# it needs, exit 1, and no report: what it could not read is not
# "not built yet" or "nothing loaded".
. "$SP_ROOT/tests/sp-report/lib.bash"
report_db
models
role=${PGDATABASE}_reader
sql "create role $role login"
want_hint="sp-report: hint: role '$role' needs USAGE on the schemas raw and analytics and SELECT on their tables to read them (sp-report), and must own them to load and build (sp-load, sp-model)"

# No USAGE on the schemas: the first check of what exists fails.
PGUSER=$role expect_status 1 sp-report --now "$NOW" -o report.html
expect_err 'sp-report: SQL error: permission denied for schema raw'
expect_eq "the hint" "$want_hint" "$(sed -n 2p err)"
expect_eq "lines on stderr" 2 "$(wc -l <err)"
[ ! -e report.html ] || fail "a report was written"

# USAGE but no SELECT: a section's query fails, and the same holds.
sql "grant usage on schema raw, analytics to $role"
PGUSER=$role expect_status 1 sp-report --now "$NOW" -o report.html
expect_err 'sp-report: SQL error: permission denied for table plays'
expect_eq "the hint" "$want_hint" "$(sed -n 2p err)"
[ ! -e report.html ] || fail "a report was written"

# With the rights, the report.
sql "grant select on all tables in schema raw, analytics to $role"
PGUSER=$role expect_status 0 sp-report --now "$NOW" -o report.html
[ ! -s err ] || { cat err >&2; fail "messages on stderr"; }
expect_grep '</html>' report.html
! grep -q 'not built yet\|Nothing loaded yet' report.html || fail "the report says nothing is there"
exit 0
