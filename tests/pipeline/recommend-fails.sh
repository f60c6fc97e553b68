#!/usr/bin/env bash
# needs: pg
# A recommend before anything is loaded says what to do first; one with
# no track to recommend from (none described by Spotify yet: here the
# export's plays, whose tracks the simulator does not know) stops before
# any model with a plain reason; each exits 1 and status names it.  A
# stage of run.mk that fails (here an sp-svd that cannot fit) gives its
# own message and exit 1, not make's 2, and status quotes that message.
. "$SP_ROOT/tests/lib/lib.sh"
. "$SP_ROOT/tests/pipeline/lib.bash"
need_pg
pl_listener 60
# A world that knows none of the export's tracks and has no new release.
python3 "$SP_ROOT/tests/spotify-sim/server.py" --print-state --kind --seed 12 --artists 4 \
    --plays 0 --new-releases 0 --saved 0 --now "$(date -u +%Y-%m-%dT%H:%M:%SZ)" \
    >other.json || fail "the simulator could not generate a listener"
start_sim --kind --state other.json
sim_tokens

expect_status 1 "$SP_ROOT/pipeline.sh" recommend
expect_grep "^pipeline: nothing loaded yet: first 'pipeline.sh backfill ZIP' (the export Spotify sent you) or 'pipeline.sh hourly' (your recent plays)$" err
expect_status 1 "$SP_ROOT/pipeline.sh" status
expect_grep "^  the last command, pipeline.sh recommend ([0-9TZ:-]*), failed in candidates (exit 1): pipeline: nothing loaded yet: " out

expect_status 0 "$SP_ROOT/pipeline.sh" backfill export.zip
expect_status 1 "$SP_ROOT/pipeline.sh" recommend
expect_grep '^pipeline: features: 0 tracks$' err
expect_grep "^pipeline: no track to recommend from: Spotify has described none of the history's tracks" err
run=$(pl_last_run)
[ ! -e "$run/encoded.spm" ] && [ ! -e "$run/embedded.spm" ] || fail "a model was fitted on no track"
expect_status 1 "$SP_ROOT/pipeline.sh" status
expect_grep "^  the last command, pipeline.sh recommend ([0-9TZ:-]*), failed in features (exit 1): pipeline: no track to recommend from" out

# The same tree with an sp-svd that fails as the real one does on bad data.
mkdir root root/bin
for f in "$SP_ROOT"/*; do
	case ${f##*/} in bin | pipeline.sh) ;; *) ln -s "$f" root/ ;; esac
done
cp "$SP_ROOT/pipeline.sh" root/
for f in "$SP_ROOT"/bin/sp-*; do [ -x "$f" ] && [ -f "$f" ] && ln -s "$f" root/bin/; done
rm root/bin/sp-svd
printf '#!/bin/sh\necho "sp-svd: encoded.spm: no variance: cannot fit a model" >&2\nexit 1\n' >root/bin/sp-svd
chmod +x root/bin/sp-svd
stop_sim
# Another world, which knows the tracks the first answered 404 for: what
# sp-fetch remembers of that (cache/tracks/ID.gone) goes with it.
rm -f "$SP_HOME"/cache/tracks/*.gone
pl_start
expect_status 1 root/pipeline.sh recommend
expect_grep '^pipeline: recommend failed (exit 1); log: ' err
expect_grep '^sp-svd: encoded.spm: no variance: cannot fit a model$' err
expect_status 1 "$SP_ROOT/pipeline.sh" status
expect_grep "^  the last command, pipeline.sh recommend ([0-9TZ:-]*), failed in recommend (exit 1): sp-svd: encoded.spm: no variance: cannot fit a model$" out
