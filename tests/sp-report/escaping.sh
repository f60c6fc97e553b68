#!/usr/bin/env bash
# needs: pg
# Names from the data are text, never markup: an artist called <script>,
# a genre that closes an attribute, a track name with & and a run's track
# id with quotes all appear escaped, and the page holds no script element.
. "$SP_ROOT/tests/sp-report/lib.bash"
report_db
sql "select r_artist('A', '<script>alert(1)</script>', '{\"\\\"><img src=x onerror=alert(2)>\"}');
     select r_track('x1', 'Fish & <b>Chips</b>', '{A}');
     select r_play('x1', '2026-11-20 10:00+00'); select r_play('x1', '2026-11-21 10:00+00');
     select r_play('x1', '2026-11-22 10:00+00', 1000, 'fwdbtn');"
models
mkdir run
printf '%s\n' '{"rank":1,"track_id":"q\"><i>x","score":0.5,"because":[{"track_id":"x1","similarity":0.9}]}' >run/recs.ndjson
expect_status 0 sp-report --run run --now "$NOW" -o report.html
if grep -n -i '<script\|<img\|<b>Chips\|<i>x' report.html >bad; then
	cat bad >&2
	fail "unescaped markup from the data in the report"
fi
expect_grep '&lt;script&gt;alert(1)&lt;/script&gt;' report.html
expect_grep 'data-label="&lt;script&gt;alert(1)&lt;/script&gt;"' report.html
expect_grep '&quot;&gt;&lt;img src=x onerror=alert(2)&gt;' report.html
expect_grep 'Fish &amp; &lt;b&gt;Chips&lt;/b&gt;' report.html
expect_grep 'data-track="q&quot;&gt;&lt;i&gt;x"' report.html
exit 0
