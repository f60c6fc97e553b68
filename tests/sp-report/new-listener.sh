#!/usr/bin/env bash
# needs: pg
# A new listener with 20 plays over two days and no run yet gets a
# sensible report: notes saying there is not enough data, every chart with
# an axis of at least [0, 1], no NaN, and exit status 0.
. "$SP_ROOT/tests/sp-report/lib.bash"
report_db
# Ten artists, two plays each: too few for a skip rate.
sql "select r_artist('a' || i, 'Artist ' || i, array['genre ' || i]) from generate_series(0, 9) i;
     select r_track('t' || i, 'Track ' || i, array['a' || i]) from generate_series(0, 9) i;
     select r_play('t' || i % 10, timestamptz '2026-11-24 18:00+00' + i * interval '2 hours')
     from generate_series(0, 19) i;"
models
expect_status 0 sp-report --now "$NOW" -o report.html
[ ! -s err ] || { cat err >&2; fail "messages on stderr"; }
expect_grep 'Not enough data yet for trends: 20 plays so far' report.html
expect_grep 'No recommendations yet' report.html
expect_grep 'No embedding yet' report.html
expect_grep 'data-fact="token-days">none</span>' report.html
expect_grep 'data-fact="pending">0</span> (nothing staged yet)' report.html
# Too few plays for any skip rate: the chart says so instead of being empty.
chart skip-artist report.html | grep -q 'class="empty"' || fail "no note on the empty skip chart"
chart skip-genre report.html | grep -q 'class="empty"' || fail "no note on the empty skip chart"
# Every axis runs over a range.
grep -o 'data-min="[^"]*" data-max="[^"]*"' report.html | sort -u >ranges
[ -s ranges ] || fail "no axes"
while read -r r; do
	lo=${r#data-min=\"}; lo=${lo%%\"*}; hi=${r##*data-max=\"}; hi=${hi%\"}
	awk -v lo="$lo" -v hi="$hi" 'BEGIN { exit !(hi - lo > 0) }' || fail "empty axis: $r"
done <ranges
if grep -i -n 'nan\b\|inf\b' report.html | grep -v 'info' >bad; then
	cat bad >&2
	fail "NaN or infinity in the report"
fi
# The 20 plays are all there: 20 in the week of 2026-11-23.
chart plays-per-week report.html | grep -q 'data-label="2026-11-23" data-value="20"' || fail "weekly count"
exit 0
