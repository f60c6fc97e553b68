# What an older sp left, and settings checked before a run: runs/latest
# pointing at a run without recommendations (an older sp moved it to every
# backfill and hourly run) is moved back to the newest run that has them,
# or removed when none has, with a word; SP_DAYS is the window of the
# sweep and of the ranking (RUN/days), and a bad one is refused before
# any run directory; a mistyped SP_DATABASE_URL is refused before it
# reaches PostgreSQL, whose error would repeat it, password and all.
. "$SP_ROOT/tests/lib/lib.sh"
unset PGHOST PGPORT PGUSER PGDATABASE SP_DATABASE_URL
export SP_HOME=$PWD/home SP_KEEP_DAYS=0
umask 077

mkdir -p home/runs/20261120T074000Z home/runs/20261127T074000Z home/runs/20261127T080000Z \
    home/runs/20261203T100000Z
: >home/runs/20261120T074000Z/recs.ndjson
echo '{"track_id":"x"}' >home/runs/20261127T074000Z/recs.ndjson
ln -s 20261203T100000Z home/runs/latest
expect_status 0 "$SP_ROOT/pipeline.sh" prune
expect_eq "latest" 20261127T074000Z "$(readlink home/runs/latest)"
expect_grep '^pipeline: runs/latest pointed at a run without recommendations (an older sp moved it to every run): it is 20261127T074000Z again$' err
# Once: a run with recommendations (even none, an empty week) is left.
expect_status 0 "$SP_ROOT/pipeline.sh" prune
! grep -q runs/latest err || fail "said again: $(cat err)"
ln -sfn 20261120T074000Z home/runs/latest
expect_status 0 "$SP_ROOT/pipeline.sh" prune
expect_eq "latest at an empty week" 20261120T074000Z "$(readlink home/runs/latest)"
# No run with recommendations: the link goes.
rm home/runs/2*/recs.ndjson
ln -sfn 20261203T100000Z home/runs/latest
expect_status 0 "$SP_ROOT/pipeline.sh" prune
[ ! -L home/runs/latest ] || fail "runs/latest left at a run without recommendations"
expect_grep 'removed, as no run has any$' err

# SP_DAYS: a number of days, else refused before anything is made.
rm -rf home
for bad in 0 -3 7d 1e2 99999; do
	SP_DAYS=$bad expect_status 2 "$SP_ROOT/pipeline.sh" transform
	expect_err "pipeline: SP_DAYS: not a number of days from 1 to 9999: '$bad'"
done
[ ! -e home/runs ] || fail "a refused SP_DAYS made a run directory"
# A run keeps its window (RUN/days), and run.mk ranks over it, as the
# release sweep fetches over it.
# (Under cron's PATH, /usr/bin:/bin on Debian: the embedded PostgreSQL
# starts all the same, through runuser, in /usr/sbin, when run as root.)
SP_DAYS=30 PATH=/usr/bin:/bin expect_status 0 "$SP_ROOT/pipeline.sh" load
r=$(tail -n 1 home/runs.log | cut -f4)
expect_eq "RUN/days" 30 "$(cat "$r/days")"
echo '{}' >"$r/features.ndjson"
make -n -f "$SP_ROOT/pipelines/run.mk" -C "$r" ROOT="$SP_ROOT" recs.ndjson >plan || fail "make -n failed"
expect_eq "sp-cosine runs over the run's window" 2 "$(grep -c 'bin/sp-cosine .*--days 30 ' plan)"
rm "$r/days"
make -n -f "$SP_ROOT/pipelines/run.mk" -C "$r" ROOT="$SP_ROOT" recs.ndjson >plan || fail "make -n failed"
expect_eq "without RUN/days, 7 days" 2 "$(grep -c 'bin/sp-cosine .*--days 7 ' plan)"

# A mistyped URL (one slash) is refused without being repeated.
SP_DATABASE_URL='postgresql:/spuser:S3cr3tTypo@127.0.0.1:1/spdb' expect_status 1 "$SP_ROOT/pipeline.sh" status
expect_grep '^pipeline: SP_DATABASE_URL is neither a URL (postgresql://USER:PASSWORD@HOST:PORT/DB) nor key=value settings' err
! grep -q S3cr3t out err || fail "the password was written: $(cat out err)"
! grep -rq S3cr3t home 2>/dev/null || fail "the password was written under SP_HOME"
exit 0
