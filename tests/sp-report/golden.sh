#!/usr/bin/env bash
# needs: pg
# Golden check of the charts' data points on hand-made plays whose counts
# are worked out by hand, in the listener's time zone (Europe/Paris, UTC+1
# in November, UTC+2 in June): a play at 23:30 UTC on Monday 2026-11-23
# counts for Tuesday 00:00-01:00 in Paris.
. "$SP_ROOT/tests/sp-report/lib.bash"
report_db
sql "select r_artist('A', 'Alpha', '{rock}'); select r_artist('B', 'Beta', '{pop,rock}');
     select r_track('x1', 'X one', '{A}'); select r_track('x2', 'X two', '{A}');
     select r_track('y1', 'Y one', '{B}');
     select r_play('x1', '2026-11-23 07:30+00');                     -- Mon 08:30
     select r_play('x1', '2026-11-23 23:30+00');                     -- Tue 00:30
     select r_play('x2', '2026-11-24 12:00+00', 10000, 'fwdbtn');    -- Tue 13:00, skipped
     select r_play('y1', '2026-11-25 18:00+00');                     -- Wed 19:00
     select r_play('y1', '2026-11-25 18:10+00', 10000, 'fwdbtn');    -- Wed 19:10, skipped
     select r_play('y1', '2026-11-25 18:20+00');                     -- Wed 19:20
     select r_play('x1', '2026-11-10 10:00+00');                     -- Tue 11:00
     select r_play('x2', '2026-06-01 10:00+00');                     -- Mon 12:00 (summer)
     select r_play('y1', '2025-06-01 10:00+00');                     -- Sun 12:00, over a year ago"
models Europe/Paris
expect_status 0 sp-report --now "$NOW" --tz Europe/Paris -o report.html
[ -s report.html ] || fail "no report written"
expect_grep '<span class="v" data-fact="plays">9</span>' report.html
expect_grep '<span class="v" data-fact="listens">7</span> (plays of 30 seconds or more' report.html
expect_grep '<span class="v" data-fact="tracks">3</span>' report.html

# Plays by weekday: Mon 2, Tue 3, Wed 3, Sun 1 on the axis [0, 3].  The
# chart is 420 x 240, its plot 348 x 168 from (56, 28): slots of 49.71.
chart by-weekday report.html | elements bar >weekday.got
cat >weekday.want <<'W'
<rect class="bar" data-i="0" data-label="Mon" data-value="2" x="60.97" y="84.00" width="39.77" height="112.00">
<rect class="bar" data-i="1" data-label="Tue" data-value="3" x="110.69" y="28.00" width="39.77" height="168.00">
<rect class="bar" data-i="2" data-label="Wed" data-value="3" x="160.40" y="28.00" width="39.77" height="168.00">
<rect class="bar" data-i="3" data-label="Thu" data-value="0" x="210.11" y="196.00" width="39.77" height="0.00">
<rect class="bar" data-i="4" data-label="Fri" data-value="0" x="259.83" y="196.00" width="39.77" height="0.00">
<rect class="bar" data-i="5" data-label="Sat" data-value="0" x="309.54" y="196.00" width="39.77" height="0.00">
<rect class="bar" data-i="6" data-label="Sun" data-value="1" x="359.26" y="140.00" width="39.77" height="56.00">
W
expect_file weekday.want weekday.got
chart by-weekday report.html | grep -q '<g class="yaxis" data-min="0" data-max="3">' ||
	fail "weekday axis is not [0, 3]"

# Plays by hour in Paris: 0h 1, 8h 1, 11h 1, 12h 2, 13h 1, 19h 3.
chart by-hour report.html | elements bar | grep -v 'data-value="0"' |
	sed 's/.*data-label="\([0-9]*\)" data-value="\([0-9]*\)".*/\1 \2/' >hour.got
printf '%s\n' '0 1' '8 1' '11 1' '12 2' '13 1' '19 3' >hour.want
expect_file hour.want hour.got

# The heatmap: Tuesday 0h holds the Monday 23:30 UTC play.
chart heatmap report.html | elements cell | grep -v 'data-value="0"' |
	sed 's/.*data-row="\([0-9]*\)" data-col="\([0-9]*\)" data-value="\([0-9]*\)".*/\1 \2 \3/' >cells.got
printf '%s\n' '0 8 1' '0 12 1' '1 0 1' '1 11 1' '1 13 1' '2 19 3' '6 12 1' >cells.want
expect_file cells.want cells.got

# Plays per week over the data's span, from the week of the first play
# (2025-05-26, 78 weeks before the as-of week 2026-11-23: 79 weeks): the
# week of 2026-11-23 has 6, those of 2026-11-09, 2026-06-01 and 2025-05-26
# one each.
chart plays-per-week report.html | elements pt >weeks.got
expect_eq "weeks" 79 "$(wc -l <weeks.got)"
grep -v 'data-value="0"' weeks.got | sed 's/.*data-label="\([-0-9]*\)" data-value="\([0-9]*\)".*/\1 \2/' >weeks.nz
printf '%s\n' '2025-05-26 1' '2026-06-01 1' '2026-11-09 1' '2026-11-23 6' >weeks.want
expect_file weeks.want weeks.nz
grep -q 'data-label="2025-05-26"' weeks.got || fail "the first week is not 2025-05-26"
chart plays-per-week report.html | grep -q '>Plays per week, 2025-05-26 to 2026-11-27<' || fail "weekly title"

# Top artists, by listens (30 s or more: not the two 10 s skips): lifetime
# Alpha 4 (57.1%), Beta 3; last 3 months Alpha 3 of 5.
chart top-artists-lifetime report.html | elements hbar |
	sed 's/.*data-label="\([^"]*\)" data-value="\([0-9.]*\)".*/\1 \2/' >top.got
printf '%s\n' 'Alpha 4' 'Beta 3' >top.want
expect_file top.want top.got
expect_grep 'Windows end at 2026-11-27 01:00 (the models&#39; as-of time: the date asked for (SP_AS_OF))' report.html
chart top-artists-lifetime report.html | grep -q '>4 (57.1%)</text>' || fail "lifetime share of Alpha is not 57.1%"
chart top-artists-3m report.html | grep -q '>3 (60.0%)</text>' || fail "3-month share of Alpha is not 60.0%"
chart top-genres-lifetime report.html | elements hbar |
	sed 's/.*data-label="\([^"]*\)" data-value="\([0-9.]*\)".*/\1 \2/' >genres.got
printf '%s\n' 'rock 7' 'pop 3' >genres.want
expect_file genres.want genres.got

# Skip rates: Alpha 1 of 5, Beta 1 of 4; rock 2 of 9, pop 1 of 4.
chart skip-artist report.html | elements hbar |
	sed 's/.*data-label="\([^"]*\)" data-value="\([0-9.]*\)".*/\1 \2/' >skip.got
printf '%s\n' 'Alpha 0.2' 'Beta 0.25' >skip.want
expect_file skip.want skip.got
chart skip-genre report.html | grep -q 'data-label="rock" data-value="0.222222"' || fail "rock skip rate"
chart skip-genre report.html | grep -q '>22% of 9</text>' || fail "rock skip note"

# Plays per day over 90 days (Paris dates): 4 days with plays, 86 gaps.
chart plays-per-day report.html | elements bar | grep -v 'data-value="0"' |
	sed 's/.*data-label="\([-0-9]*\)" data-value="\([0-9]*\)".*/\1 \2/' >days.got
printf '%s\n' '2026-11-10 1' '2026-11-23 1' '2026-11-24 2' '2026-11-25 3' >days.want
expect_file days.want days.got
expect_eq "gap marks" 86 "$(chart plays-per-day report.html | grep -c 'class="gap"')"
exit 0
