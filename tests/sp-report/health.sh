#!/usr/bin/env bash
# needs: pg
# Data health: the last successful fetch and load in the listener's zone
# (SP_TZ's; the machine's is named as such, with how to set one's own),
# the staged objects not yet in raw.load_ledger (named), and the days until
# the refresh token expires (consent + 6 months), flagged under two weeks.
. "$SP_ROOT/tests/sp-report/lib.bash"
report_db
sql "select r_artist('A', 'Alpha'); select r_track('x1', 'X one', '{A}');
     select r_play('x1', '2026-11-25 10:00+00');
     insert into raw.load_ledger (object, checksum, rows, loaded_at)
     values ('plays/dt=2026-11-25/100000-aa.ndjson.gz', 'x', 1, '2026-11-25 10:05+00');"
models Europe/Paris
mkdir -p home/stage/plays/dt=2026-11-25 home/stage/plays/dt=2026-11-26 home/stage/plays/rejects config/sp
: >home/stage/plays/dt=2026-11-25/100000-aa.ndjson.gz
: >home/stage/plays/dt=2026-11-26/090000-bb.ndjson.gz
: >home/stage/plays/rejects/090000-bb.ndjson
: >home/stage/plays/dt=2026-11-26/notes.txt
# Consent on 2026-06-10: the refresh token dies on 2026-12-10, 13 days
# after --now.
printf '{"access_token":"a","refresh_token":"r","expires_at":0,"consented_at":%s}\n' \
	"$(date -u -d 2026-06-10 +%s)" >config/sp/tokens.json
# The zone is SP_TZ's (before TZ, which the suite sets to UTC).
SP_TZ=Europe/Paris expect_status 0 sp-report --now "$NOW" -o report.html
expect_grep 'data-fact="tz-from">SP_TZ</span>' report.html
expect_grep "<p>Times are in the listener.s time zone, <b>Europe/Paris</b>.</p>" report.html
! grep -q 'If you listen in another zone' report.html || fail "the hint to set SP_TZ when it is set"
# Without it, the machine's zone (TZ here) is named as such, with how to set one's own.
expect_status 0 sp-report --now "$NOW" -o machine.html
expect_grep "<p>Times are in this machine.s time zone, <b>UTC</b> (from TZ), taken as the listener.s.</p>" machine.html
expect_grep 'If you listen in another zone, set it: SP_TZ=Area/City' machine.html
expect_grep 'data-fact="last-fetch">2026-11-20 09:00</span>' report.html
expect_grep 'data-fact="last-load">2026-11-25 11:05</span>' report.html
# "last play" at the top and "newest play" here are one fact.
expect_grep 'data-fact="last-play">2026-11-25 11:00</span>' report.html
expect_grep 'data-fact="newest-play">2026-11-25 11:00</span>' report.html
expect_grep 'data-fact="pending">2</span>' report.html
expect_grep '<li><code>plays/dt=2026-11-26/090000-bb.ndjson.gz</code></li>' report.html
expect_grep '<li><code>plays/rejects/090000-bb.ndjson</code></li>' report.html
if grep -q 'notes.txt\|100000-aa' report.html; then fail "a loaded or non-object file listed as pending"; fi
# The report's pending objects are sp-load's: the same list, in the same order.
sp-load --pending --store home/stage >pending.txt || fail "sp-load --pending: exit $?"
sed -n 's|^<li><code>\(.*\)</code></li>$|\1|p' report.html >listed.txt
expect_file pending.txt listed.txt
expect_grep '<span class="v warn" data-fact="token-days">13</span> days until it expires (2026-12-10)' report.html
exit 0
