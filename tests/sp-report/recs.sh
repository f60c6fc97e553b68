#!/usr/bin/env bash
# needs: pg
# A run's recommendations are listed with their reason, with names and play
# counts from the database ("because you played X one - Artist A, 3 times"),
# and the embedding map places every track by its first two SVD components
# (golden coordinates), marking heard tracks, candidates (unheard, released
# in the 7 days up to --now) and the recommended ones.
. "$SP_ROOT/tests/sp-report/lib.bash"
report_db
sql "select r_artist('A', 'Alpha', '{rock}');
     select r_track('x1', 'X one', '{A}'); select r_track('x2', 'X two', '{A}');
     select r_track('n1', 'New one', '{A}', '2026-11-25', 200000, 'releases');
     select r_track('n2', 'New two', '{A}', '2026-11-26', 200000, 'releases');
     select r_play('x1', '2026-11-01 10:00+00'); select r_play('x1', '2026-11-02 10:00+00');
     select r_play('x1', '2026-11-03 10:00+00'); select r_play('x2', '2026-11-04 10:00+00');"
models
mkdir -p runs/20261127T060000Z runs/latest-empty
run=runs/20261127T060000Z
cat >$run/recs.ndjson <<'R'
{"rank":1,"track_id":"n1","score":0.912345,"because":[{"track_id":"x1","similarity":0.93},{"track_id":"x2","similarity":0.5}]}
{"rank":2,"track_id":"n2","score":0.25,"because":[{"track_id":"x2","similarity":0.25}]}
R
# Axes: x [-1, 5] and y [-2, 3]; the plot is 988 x 488 from (56, 28).
mkmat $run/embedded.spm <<'M'
{"track_id":"x1","release_date":"2020-01-01","heard":true,"artist_ids":["A"]}|1 1 0.5
{"track_id":"x2","release_date":"2020-01-01","heard":true,"artist_ids":["A"]}|0 3 0.5
{"track_id":"n1","release_date":"2026-11-25","heard":false,"artist_ids":["A"]}|0 2 0.5
{"track_id":"n2","release_date":"2026-11-26","heard":false,"artist_ids":["A"]}|2 -2 0.5
{"track_id":"c3","release_date":"2026-11-21","heard":false,"artist_ids":["B"]}|5 0 0.5
{"track_id":"old","release_date":"2010","heard":false,"artist_ids":["B"]}|-1 -1 0.5
M
expect_status 0 sp-report --run $run --now "$NOW" -o report.html

grep -o '<tr class="rec".*</tr>' report.html >recs.got
cat >recs.want <<'W'
<tr class="rec" data-rank="1" data-track="n1"><td class="n">1</td><td><b>New one</b> — Artist A</td><td class="n">0.912</td><td class="why">because you played <b>X one</b> — Artist A, <span class="times">3 times</span> <span class="sim">(similarity 0.93)</span><br><span class="also">and <b>X two</b> — Artist A, <span class="times">1 time</span> <span class="sim">(similarity 0.50)</span></span></td></tr>
<tr class="rec" data-rank="2" data-track="n2"><td class="n">2</td><td><b>New two</b> — Artist A</td><td class="n">0.250</td><td class="why">because you played <b>X two</b> — Artist A, <span class="times">1 time</span> <span class="sim">(similarity 0.25)</span></td></tr>
W
expect_file recs.want recs.got

chart embedding report.html | elements 'pt [a-z]*' >map.got
cat >map.want <<'W'
<circle class="pt other" data-i="5" data-x="-1" data-y="-1" cx="56.00" cy="418.40" r="2.0" fill="#c7c7c7">
<circle class="pt heard" data-i="0" data-x="1" data-y="1" cx="385.33" cy="223.20" r="2.2" fill="#4c78a8">
<circle class="pt heard" data-i="1" data-x="0" data-y="3" cx="220.67" cy="28.00" r="2.2" fill="#4c78a8">
<circle class="pt candidate" data-i="4" data-x="5" data-y="0" cx="1044.00" cy="320.80" r="3.0" fill="#f58518">
<circle class="pt recommended" data-i="2" data-x="0" data-y="2" cx="220.67" cy="125.60" r="4.5" fill="#d62728">
<circle class="pt recommended" data-i="3" data-x="2" data-y="-2" cx="550.00" cy="516.00" r="4.5" fill="#d62728">
W
expect_file map.want map.got
chart embedding report.html | grep -q '<title>X one — Artist A \[heard tracks\]</title>' || fail "point title"

# A fresh run directory without recommendations (as 'pipeline.sh report'
# makes) falls back to the newest run that has them.
expect_status 0 sp-report --run runs/latest-empty --now "$NOW" -o fallback.html
expect_grep 'showing the newest run that has' fallback.html
expect_grep 'data-track="n1"' fallback.html
exit 0
