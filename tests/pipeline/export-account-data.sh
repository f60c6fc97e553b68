#!/usr/bin/env bash
# needs: pg
# akshetP's account-data history (9,711 plays, 2019-2020, names only, no
# track ids; real), zipped as Spotify ships it and backfilled alone: the
# report names its three most-played artists and tracks by name, counted
# here from the raw JSON; the weekly chart covers its year; every play is
# an account-data play pending resolution (not logged in), so its skip
# rates are its plays under 30 s (not 100%) and its album charts say why
# they are empty.  The older archive layout (MyData/StreamingHistoryN.json)
# imports the same plays.
. "$SP_ROOT/tests/lib/lib.sh"
need_data listening-histories/akshetP-Analysis-of-Spotify-Music-Taste-Change-During-Lockdown
. "$SP_ROOT/tests/pipeline/export.bash"
need_pg
src=$SP_DATA/listening-histories/akshetP-Analysis-of-Spotify-Music-Taste-Change-During-Lockdown
ex_zip my_spotify_data.zip "$src" "Spotify Account Data/StreamingHistory_music_0.json"
ex_zip older.zip "$src" "MyData/StreamingHistory0.json"
expect_status 0 sp-import older.zip
expect_eq "plays of the older layout" 9711 "$(grep -c '"kind":"play"' out)"
ex_expect "$src"
ex_backfill_report my_spotify_data.zip
ex_check_top artists
ex_check_top tracks
ex_check_weekly
ex_check_skips
expect_grep "A skip is what an extended export says (its skipped flag, or why the play ended), else a play stopped before 80% of the track" report.html
expect_grep "data-fact=\"tracks\">$(cat expect.ntracks)<" report.html
expect_grep "data-fact=\"pending\">$(cat expect.plays)<" report.html
expect_grep 'data-fact="resolved">0<' report.html
expect_grep '); run: no recommendation run yet.</p>' report.html
expect_grep 'as-of time: the last play' report.html
# Nothing played lately: the health section says so instead of 90 red days.
expect_grep 'No plays in the last 90 days (the newest: 2020-09-25 03:02)\. An export ends when Spotify made it' report.html
! grep -q 'data-chart="plays-per-day"' report.html || fail "a plays-per-day chart with no play in it"
for w in 3m 1y lifetime; do
	awk -v id="data-chart=\"top-albums-$w\"" 'index($0, id) { on = 1 } on { print } on && /<\/svg>/ { exit }' report.html >albums
	expect_grep '<text class="empty" x="170.00" [^>]*>no album known yet</text>' albums
	! grep -q 'class="axis"' albums || fail "top-albums-$w: an axis with no album on it"
done
expect_grep "and $(cat expect.plays) account-data plays still name only their track and artist: their albums show once pipeline.sh resolve has found their tracks" report.html
exit 0
