#!/usr/bin/env bash
# needs: pg
# A silence of 60 days or more between two plays (an export given without
# one of its year files) is named under the weekly chart with its dates,
# the longest one only; 59 days say nothing.
. "$SP_ROOT/tests/sp-report/lib.bash"
report_db
sql "select r_artist('A', 'Alpha'); select r_track('x1', 'X one', '{A}');
     select r_play('x1', '2025-01-05 10:00+00');
     select r_play('x1', '2025-02-28 10:00+00');
     select r_play('x1', '2025-12-31 10:00+00');
     select r_play('x1', '2026-02-28 10:00+00');
     select r_play('x1', '2026-11-20 10:00+00');"
models
expect_status 0 sp-report --now "$NOW" -o report.html
expect_grep 'No plays from 2025-02-28 to 2025-12-31 (306 days)\. If you listened then, a file of your export may be missing' report.html
expect_eq "gap notes" 1 "$(grep -c 'No plays from' report.html)"
# Of the two (306 and 265 days) the longest only.  54 days (2025-01-05 to
# 2025-02-28) and 59 (2025-12-31 to 2026-02-28) are not gaps: once the two
# long ones are filled, nothing is named.
sql "select r_play('x1', d) from generate_series('2025-03-07 10:00+00'::timestamptz,
     '2025-12-24 10:00+00', interval '1 week') d;
     select r_play('x1', d) from generate_series('2026-03-07 10:00+00'::timestamptz,
     '2026-11-14 10:00+00', interval '1 week') d;"
models
expect_status 0 sp-report --now "$NOW" -o filled.html
! grep -q 'No plays from' filled.html || fail "a gap named: $(grep -o 'No plays from[^.]*' filled.html)"
