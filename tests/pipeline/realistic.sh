# needs: pg
# On the realistic simulator: local files in the plays and the owned
# playlist ingest without a reject or an abort; a user not on the app's
# allowlist stops ingest with exit 3, one message and the fix, and
# 'status' shows it until Spotify answers again.
. "$SP_ROOT/tests/lib/lib.sh"
. "$SP_ROOT/tests/pipeline/lib.bash"
need_pg
python3 "$SP_ROOT/tests/spotify-sim/server.py" --print-state --seed 13 --artists 12 --plays 300 \
    --local-share 0.2 --world-new 0 --now "$(date -u +%Y-%m-%dT%H:%M:%SZ)" >state.json || fail "generator failed"
start_sim --state state.json
sim_tokens
export SP_PLAYLISTS=$(jq -r '.playlists[] | select(.name == "Inbox") | .id' state.json)
expect_status 0 "$SP_ROOT/pipeline.sh" ingest
run=$(ls -d "$PWD"/home/runs/2* | tail -n 1)	# ingest runs do not move runs/latest
[ "$(jq -s '[.[] | select(.data.track.is_local)] | length' "$run/ingest/plays.ndjson")" -ge 1 ] ||
    fail "no local file among the plays fetched"
[ "$(jq -s '[.[] | select(.data.is_local)] | length' "$run/ingest/playlist-$SP_PLAYLISTS.ndjson")" -ge 1 ] ||
    fail "no local file among the playlist items"
grep -q 'rejected' err && fail "records were rejected: $(grep rejected err)"
expect_eq 'staged' 4 "$(wc -l <"$run/staged.txt")"

sim_ctl POST config '{"not_allowlisted":true}' >/dev/null
expect_status 3 "$SP_ROOT/pipeline.sh" ingest
expect_eq 'one message' 1 "$(grep -c 'the user is not registered for this app' err)"
expect_grep "^sp-fetch: hint: add your Spotify account in the app's dashboard" err
expect_status 3 "$SP_ROOT/pipeline.sh" status
expect_grep '^last upstream failure:$' out
expect_grep '^  20[0-9-]*T[0-9:]*Z sp-fetch: GET /me/player/recently-played.*not registered for this app' out
sim_ctl POST config '{"not_allowlisted":false}' >/dev/null
expect_status 0 "$SP_ROOT/pipeline.sh" ingest
expect_status 0 "$SP_ROOT/pipeline.sh" load	# staged but not loaded is a problem too
expect_status 0 "$SP_ROOT/pipeline.sh" status
grep -q '^last upstream failure:' out && fail "status still shows the failure after a good run"
exit 0
