# A user not on the app's allowlist (403 with Spotify's "not registered"
# message on every call) is one clear failure with the fix, exit 3, noted
# in the state dir for 'pipeline.sh status'; so is a 403 on every call of
# a run without that message.
. "$SP_ROOT/tests/lib/lib.sh"
. "$SP_ROOT/tests/lib/sim.sh"
start_sim --kind --not-allowlisted
sim_tokens
expect_status 3 sp-fetch recently-played
cat >want.err <<'EOF2'
sp-fetch: GET /me/player/recently-played?limit=50: HTTP 403: the user is not registered for this app (not on its allowlist): Check settings on developer.spotify.com/dashboard, the user may not be registered.
sp-fetch: hint: add your Spotify account in the app's dashboard (developer.spotify.com/dashboard, the app, Settings, Users and Access), then rerun
EOF2
expect_file want.err err
expect_eq 'requests' 1 "$(sim_count GET '/me/player/recently-played')"
grep -q "^20[0-9-]*T[0-9:]*Z sp-fetch: GET /me/player/recently-played?limit=50: HTTP 403: the user is not registered for this app" \
    state/sp/upstream-failure || fail "upstream-failure: $(cat state/sp/upstream-failure 2>&1)"
grep -q 'hint: add your Spotify account' state/sp/upstream-failure || fail "no fix in upstream-failure"
# releases: the first call stops the sweep, not a warning per artist.
sim_ctl GET state | jq -r '.artists[].id' >artists
expect_status 3 sp-fetch releases --now 2026-11-27 <artists
expect_eq 'one message' 2 "$(wc -l <err)"
expect_eq 'no output' 0 "$(wc -l <out)"
# A plain 403 on every call: after three in a row with none answered.
sim_ctl POST config '{"not_allowlisted":false}' >/dev/null
sim_fault '{"path":"/tracks*","status":403,"message":"Forbidden","count":-1}'
sim_ctl GET state | jq -r '.tracks[:10][].id' >tracks
sim_ctl DELETE log >/dev/null
expect_status 3 sp-fetch tracks <tracks
expect_eq 'calls before giving up' 3 "$(sim_count GET '/tracks*')"
expect_grep '^sp-fetch: GET /tracks/[A-Za-z0-9]*: HTTP 403: the user is not registered for this app (not on its allowlist): Forbidden$' err
# Once Spotify answers, the note goes.
sim_ctl DELETE faults >/dev/null
expect_status 0 sp-fetch recently-played
[ -e state/sp/upstream-failure ] && fail "upstream-failure kept after a good run"
exit 0
