#!/usr/bin/env bash
# An SP_HOME written by an older sp (before the umask 077: runs, staged
# batches and reports readable by others) is made the user's alone by the
# next command, once and with a word: no file or directory under it keeps
# a group or other bit, SP_HOME keeps no read or write bit for them; the
# embedded PostgreSQL's directory and what a link points to are left alone.
. "$SP_ROOT/tests/lib/lib.sh"
export SP_HOME=$PWD/home
umask 022
mkdir -p home/runs/20260101T000000Z/logs home/stage/plays/dt=2026-01-01 home/pg/data outside
echo '<html>' >home/runs/20260101T000000Z/report.html
echo 'log' >home/runs/20260101T000000Z/logs/load.log
echo x >home/stage/plays/dt=2026-01-01/a.ndjson.gz
echo 'SP_TZ=Europe/Paris' >home/sp.conf
echo '<html>' >home/report.html
echo secret >outside/f
chmod 644 outside/f
ln -s ../outside/f home/link
ln -s 20260101T000000Z home/runs/latest
chmod 755 home/pg
chmod 700 home/pg/data

SP_KEEP_DAYS=0 expect_status 0 "$SP_ROOT/pipeline.sh" prune
expect_grep "^pipeline: made the files of $SP_HOME readable by you alone (some were readable by others)$" err
left=$(find home -mindepth 1 -path home/pg -prune -o ! -type l -perm /077 -print)
expect_eq "files others can read" "" "$left"
expect_eq "SP_HOME's read and write bits for others" "" "$(find home -maxdepth 0 -perm /066)"
expect_eq "the runs' mode" 700 "$(stat -c %a home/runs/20260101T000000Z)"
expect_eq "a report's mode" 600 "$(stat -c %a home/runs/20260101T000000Z/report.html)"
expect_eq "the database directory's mode" 755 "$(stat -c %a home/pg)"
expect_eq "a link's target's mode" 644 "$(stat -c %a outside/f)"
expect_eq "a file's content" 'SP_TZ=Europe/Paris' "$(cat home/sp.conf)"

# Once: the next command says nothing of it.
SP_KEEP_DAYS=0 expect_status 0 "$SP_ROOT/pipeline.sh" prune
grep -q 'readable by you alone' err && fail "said again"
exit 0
