#!/usr/bin/env bash
# needs: pg
# pipeline.sh's progress: each step's begin and end, and each tool's
# summary line (sp-import, sp-load) on stderr and in the step's log; -q
# (or SP_QUIET=1 in sp.conf) keeps only warnings and failures.  On a
# terminal the tools' progress line is drawn there, and the logs keep the
# summary lines only, without \r or escapes.
. "$SP_ROOT/tests/lib/lib.sh"
need_pg
export SP_HOME=$PWD/home
export XDG_CONFIG_HOME=$PWD/config XDG_STATE_HOME=$PWD/state XDG_CACHE_HOME=$PWD/cache

history() {	# history DAY: an extended history of three plays on 2025-03-DAY
	local i
	printf '['
	for i in 1 2 3; do
		[ "$i" = 1 ] || printf ','
		printf '{"ts":"2025-03-%sT10:0%s:00Z","ms_played":200000,"spotify_track_uri":"spotify:track:7ouMYWpwJ422jRcDASZB7%s","master_metadata_track_name":"Track %s","master_metadata_album_artist_name":"Artist %s","master_metadata_album_album_name":"Album %s","reason_start":"trackdone","reason_end":"trackdone","skipped":false,"shuffle":false}' \
		    "$1" "$i" "$i" "$i" "$i" "$i"
	done
	printf ']\n'
}
mkdir a b c
history 01 >a/Streaming_History_Audio_2025.json
history 02 >b/Streaming_History_Audio_2025.json
history 03 >c/Streaming_History_Audio_2025.json

expect_status 0 "$SP_ROOT/pipeline.sh" backfill a
expect_grep '^pipeline: import \.\.\.$' err
expect_grep '^pipeline: import done in ' err
expect_grep '^sp-import: imported 3 records from 1 history$' err
expect_grep '^sp-load: 1 object loaded, 0 already loaded, 0 failed$' err
run=$(tail -n 1 "$SP_HOME/runs.log" | cut -f4)
expect_grep '^sp-import: imported 3 records from 1 history$' "$run/logs/import.log"

expect_status 0 "$SP_ROOT/pipeline.sh" -q backfill b
# Nothing but warnings and failures, and there are none: a quiet cron log.
[ ! -s err ] || { cat err >&2; fail "progress with -q"; }
expect_eq "plays" 6 "$(psql -X -At -c 'select count(*) from raw.plays')"

# The setting, and a bad one (refused before any work).
mkdir -p home && echo 'SP_QUIET=1' >home/sp.conf
expect_status 0 "$SP_ROOT/pipeline.sh" backfill b
[ ! -s err ] || { cat err >&2; fail "progress with SP_QUIET=1"; }
runs=$(ls home/runs | wc -l)
expect_status 2 env SP_QUIET=yes "$SP_ROOT/pipeline.sh" backfill b
expect_err "pipeline: SP_QUIET: not 0 or 1: 'yes'"
expect_eq "runs after a bad setting" "$runs" "$(ls home/runs | wc -l)"
rm home/sp.conf

# A terminal (script(1) gives the pipeline one).
command -v script >/dev/null || skip "script (util-linux) is not installed"
script -qec "'$SP_ROOT/pipeline.sh' backfill c" typescript >/dev/null || fail "backfill on a terminal failed"
cr=$(printf '\r') esc=$(printf '\033')
grep -q "${cr}sp-import: import 0 records${esc}\[K" typescript ||
    { cat -v typescript | head -20; fail "no progress line on the terminal"; }
grep -q "^sp-import: imported 3 records from 1 history${cr}\$" typescript ||
    { cat -v typescript | head -30; fail "no summary line on the terminal"; }
run=$(tail -n 1 "$SP_HOME/runs.log" | cut -f4)
expect_grep '^sp-import: imported 3 records from 1 history$' "$run/logs/import.log"
expect_grep '^sp-load: 1 object loaded, [0-9]* already loaded, 0 failed$' "$run/logs/load.log"
if grep -q "[$cr$esc]" "$run/logs/import.log" "$run/logs/load.log"; then
	fail "a progress line in a step's log"
fi
exit 0
