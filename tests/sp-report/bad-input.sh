#!/usr/bin/env bash
# needs: pg
# Bad usage exits 2 with the exact message; a malformed recommendation line
# is named (file:line), skipped, and counted (one too), and the report is
# still written (exit 1);
# a model that cannot be read is an upstream failure (exit 3) noted in the
# report, which is still written.
. "$SP_ROOT/tests/sp-report/lib.bash"
expect_status 0 sp-report -h
expect_grep '^usage: sp-report \[--run DIR\]' out
expect_status 2 sp-report --bogus
expect_grep '^usage: sp-report' err
expect_status 2 sp-report --now 2026-13-01
expect_err "sp-report: --now '2026-13-01': not a date (YYYY-MM-DD)"
expect_status 1 sp-report --run nowhere
expect_err "sp-report: nowhere: not a run directory"
expect_status 2 sp-report extra
PGHOST=$PWD/no-server expect_status 3 sp-report --now "$NOW"
grep -q '^sp-report: cannot connect to PostgreSQL: ' err || { cat err >&2; fail "no connection message"; }
report_db
models
expect_status 2 sp-report --tz Mars/Olympus
expect_err "sp-report: --tz 'Mars/Olympus': unknown time zone (an IANA name such as Europe/Paris)"
mkdir run
printf '%s\n' '{"rank":1,"track_id":"a","because":[]}' 'not json' '{"rank":3,"track_id":"c"}' >run/recs.ndjson
expect_status 1 sp-report --run run --now "$NOW" -o report.html
expect_err "sp-report: run/recs.ndjson:2: not a recommendation (no track_id); skipped"
expect_eq "count of one" "sp-report: run/recs.ndjson: 1 line without a track_id skipped" "$(sed -n 2p err)"
expect_eq "stderr lines" 2 "$(wc -l <err)"
expect_grep 'data-track="a"' report.html
expect_grep 'data-track="c"' report.html
printf '%s\n' '{"rank":1,"track_id":"a"}' '[]' '{"rank":2}' >run/recs.ndjson
expect_status 1 sp-report --run run --now "$NOW" -o report.html
expect_err "sp-report: run/recs.ndjson:2: not a recommendation (no track_id); skipped"
expect_eq "count of two" "sp-report: run/recs.ndjson: 2 lines without a track_id skipped" "$(sed -n 2p err)"
expect_status 1 sp-report --now "$NOW" -o /nonexistent/report.html
expect_err "sp-report: /nonexistent/report.html: No such file or directory"
sql "drop view analytics.int_spotify__artist_listens cascade;
     create table analytics.int_spotify__artist_listens (artist_id text)"
expect_status 3 sp-report --now "$NOW" -o broken.html
grep -q '^sp-report: SQL error.*column "listen_count_3m" does not exist' err || { cat err >&2; fail "no SQL error message"; }
expect_grep 'could not read the database' broken.html
expect_grep '</html>' broken.html
exit 0
