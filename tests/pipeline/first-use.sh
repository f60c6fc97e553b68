#!/usr/bin/env bash
# needs: pg
# A new user's first command is a backfill on a checkout nobody has built
# (README, "Your own listening"): pipeline.sh builds the missing tools
# first and goes on; a build that fails stops it with a message naming the
# fix, before any run directory.  After an update of the checkout, the
# tools are rebuilt; a rebuild that fails leaves the old ones running.
. "$SP_ROOT/tests/lib/lib.sh"
need_pg
command -v rsync >/dev/null || skip "rsync is not installed"
# The checkout as built, less two tools, and a PATH without the suite's bin.
rsync -a --exclude /var --exclude /tests/out --exclude /.git --exclude node_modules \
    "$SP_ROOT/" sp/ || fail "copying the checkout"
rm -f sp/bin/sp-import sp/bin/sp-report
PATH=$(printf '%s' "$PATH" | tr ':' '\n' | grep -vxF "$SP_ROOT/bin" | paste -sd:)
export PATH SP_HOME=$PWD/home
export XDG_CONFIG_HOME=$PWD/config XDG_STATE_HOME=$PWD/state XDG_CACHE_HOME=$PWD/cache
command -v sp-import >/dev/null && fail "sp-import still on PATH"

mkdir -p "x/Spotify Extended Streaming History"
cat >"x/Spotify Extended Streaming History/Streaming_History_Audio_2026.json" <<'J'
[{"ts":"2026-11-01T10:00:00Z","ms_played":200000,"spotify_track_uri":"spotify:track:7ouMYWpwJ422jRcDASZB7P","master_metadata_track_name":"A Song","master_metadata_album_artist_name":"An Artist","master_metadata_album_album_name":"An Album","reason_start":"trackdone","reason_end":"trackdone","skipped":false,"shuffle":false,"offline":false,"incognito_mode":false,"platform":"linux","conn_country":"DE"}]
J
(cd x && zip -qr ../my_spotify_data.zip .) || fail "zip failed"

# A build that fails: the message, exit 1, no run made.
cp sp/bin/sp-import.c import.c.good
echo 'this is not C' >>sp/bin/sp-import.c
expect_status 1 sp/pipeline.sh backfill my_spotify_data.zip
expect_grep '^pipeline: building the tools first (make; 2 missing)$' err
expect_grep '^pipeline: make failed in .*/sp: run make there to see why$' err
[ -e home/runs ] && fail "a run directory was made"
cp import.c.good sp/bin/sp-import.c

# The build (of sp-import alone: make -k built sp-report the first time),
# then the backfill and the report as if the tools were there.
expect_status 0 sp/pipeline.sh backfill my_spotify_data.zip
expect_grep '^pipeline: building the tools first (make; 1 missing)$' err
[ -x sp/bin/sp-import ] && [ -x sp/bin/sp-report ] || fail "the tools were not built"
expect_eq plays 1 "$(psql -X -Atqc 'select count(*) from analytics.int_spotify__plays')"
expect_status 0 sp/pipeline.sh report -o report.html
grep -q building err && fail "built again"
expect_grep 'An Artist' report.html

# An update of the checkout (a source newer than the tools): rebuilt, once.
sleep 1
echo '/* updated */' >>sp/bin/sp-report.c
expect_status 0 sp/pipeline.sh report -o report.html
expect_grep '^pipeline: the sources are newer than the tools: rebuilding them (make)$' err
[ sp/bin/sp-report -nt sp/bin/sp-report.c ] || fail "sp-report was not rebuilt"
expect_status 0 sp/pipeline.sh report -o report.html
grep -q building err && fail "rebuilt again"
# An update that does not build: the old tools run, with a warning.
sleep 1
echo 'this is not C' >>sp/bin/sp-report.c
expect_status 0 sp/pipeline.sh report -o report.html
expect_grep '^pipeline: warning: make failed in .*/sp; running the tools as they were built' err
expect_grep 'An Artist' report.html
exit 0
