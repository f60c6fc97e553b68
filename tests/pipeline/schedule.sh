# pipeline.sh schedule prints an hourly ingest+load and a weekly Friday
# run, as crontab lines or as systemd user units; --install writes the
# units where systemd looks for them.  An SP_HOME with a space, %, ' and "
# survives both: cron's % escaped and each word quoted for sh; systemd's
# words quoted, % and (in ExecStart) $ doubled.
. "$SP_ROOT/tests/lib/lib.sh"

export SP_HOME=$PWD/home
"$SP_ROOT/pipeline.sh" schedule >cron || fail "schedule exited $?"
cat >expect <<X
# sp: hourly ingest and load; weekly recommendations on Friday (sp-pipeline)
17 * * * * SP_HOME='$SP_HOME' '$SP_ROOT/pipeline.sh' -q hourly >>'$SP_HOME/cron.log' 2>&1 # sp-pipeline
40 7 * * 5 SP_HOME='$SP_HOME' SP_LOCK_WAIT=1800 '$SP_ROOT/pipeline.sh' -q run >>'$SP_HOME/cron.log' 2>&1 # sp-pipeline
X
expect_file expect cron

# Each cron line has five time fields, and the weekly one runs on Friday (5).
awk '!/^#/ && NF { if ($5 != "*" && $5 != "5") exit 1 }' cron || fail "bad day-of-week field"
[ "$(awk '!/^#/ && $5 == "5"' cron | wc -l)" = 1 ] || fail "no weekly Friday line"

export XDG_CONFIG_HOME=$PWD/config
"$SP_ROOT/pipeline.sh" schedule --systemd >units || fail "schedule --systemd exited $?"
expect_grep "^# $XDG_CONFIG_HOME/systemd/user/sp-hourly.timer$" units
expect_grep '^OnCalendar=\*-\*-\* \*:17:00$' units
expect_grep '^OnCalendar=Fri \*-\*-\* 07:40:00$' units
expect_grep "^ExecStart=\"$SP_ROOT/pipeline.sh\" -q hourly$" units
expect_grep "^ExecStart=\"$SP_ROOT/pipeline.sh\" -q run$" units
expect_grep "^Environment=SP_LOCK_WAIT=1800$" units

# --install writes the units even where no systemd user session runs.
"$SP_ROOT/pipeline.sh" schedule --systemd --install >/dev/null 2>err
for u in sp-hourly.service sp-hourly.timer sp-weekly.service sp-weekly.timer; do
	[ -f "config/systemd/user/$u" ] || fail "$u not installed"
done
# ... and, with no token, says that the runs will fail until a login.
expect_grep "^pipeline: warning: not logged in to Spotify: the scheduled runs fail until 'sp-auth login'" err
# Logged in (a token file, read offline): no such word.
mkdir -p config/sp
printf '{"access_token":"a","refresh_token":"r","expires_at":4102444800,"scope":"user-read-recently-played"}\n' >config/sp/tokens.json
chmod 600 config/sp/tokens.json
"$SP_ROOT/pipeline.sh" schedule --systemd --install >/dev/null 2>err
grep -q 'not logged in' err && { cat err >&2; fail "the login warning with a token"; }

expect_status 2 "$SP_ROOT/pipeline.sh" schedule --bogus

# A hostile SP_HOME: the cron line, run by sh as cron would (\% is a %,
# a bare % a newline), hands pipeline.sh (a stand-in here) the same path.
weird="$PWD/a b%c'd\"e\$f"
mkdir -p "$weird"
SP_HOME=$weird "$SP_ROOT/pipeline.sh" schedule >cron || fail "schedule exited $?"
cat >stub <<'X'
#!/bin/sh
printf '%s|%s|%s\n' "$SP_HOME" "${SP_LOCK_WAIT:-}" "$*"
X
chmod +x stub
for kind in hourly run; do
	cmd=$(grep " -q $kind >>" cron | cut -d' ' -f6-)
	case $cmd in *[!\\]%*) fail "an unescaped % in the cron line: $cmd" ;; esac
	cmd=${cmd//\\%/%}
	cmd=${cmd/"'$SP_ROOT/pipeline.sh'"/"'$PWD/stub'"}
	rm -f "$weird/cron.log"
	sh -c "$cmd" || fail "sh could not run the $kind line: $cmd"
	[ "$kind" = run ] && w=1800 || w=
	expect_eq "cron $kind" "$weird|$w|-q $kind" "$(cat "$weird/cron.log")"
done
SP_HOME=$weird "$SP_ROOT/pipeline.sh" schedule --systemd >units || fail "schedule --systemd exited $?"
expect_eq "systemd Environment" "Environment=\"SP_HOME=$PWD/a b%%c'd\\\"e\$f\"" \
    "$(grep -m1 '^Environment=\"SP_HOME' units)"
expect_grep "^ExecStart=\"$SP_ROOT/pipeline.sh\" -q hourly$" units
