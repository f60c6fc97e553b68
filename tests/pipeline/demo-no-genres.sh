# The demo world with genres switched off (as most artists are in 2026):
# features, encoding and the report do without them, and 25 tracks are
# still published with their reasons.
. "$SP_ROOT/tests/lib/lib.sh"
unset PGHOST PGPORT PGUSER PGDATABASE SP_DATABASE_URL
export SP_DEMO_HOME=$PWD/demo SP_DEMO_SETUP=0 SP_DEMO_GENRES=0 SP_DEMO_PLAYS=1500
expect_status 0 "$SP_ROOT/pipeline.sh" demo
expect_eq 'genres in the catalogue' 0 "$(jq '[.artists[] | select(.genres | length > 0)] | length' demo/sim/state.json)"
expect_grep "^playlist 'sp demo: new releases for you' (spotify:playlist:[A-Za-z0-9_]*), created: 25 tracks; 25 added, 0 removed, 0 kept$" out
[ "$(grep -c '^      because you played ' out)" = 25 ] || fail "not every track has its reason"
expect_grep '^published: 25 tracks in playlist ' out
[ -s demo/runs/latest/report.html ] || fail "no report"
grep -q '</html>' demo/runs/latest/report.html || fail "the report is cut short"
# Local files were played and kept as plays, by name, without an id.
expect_grep 'spotify_track_uri":null' demo/runs/latest/../*/backfill.ndjson
# No genre column carries anything: the one-hot of genres makes none, and
# the genre counts and shares are zero for every track.
m=demo/runs/latest/encoded.spm
[ -s "$m" ] || fail "no encoded matrix in the run"
sp-mat colnames "$m" >cols || fail "sp-mat colnames"
! grep -q '^"genres' cols || fail "one-hot genre columns in a world without genres"
sp-mat head -n 100000 "$m" | jq -r '.values | keys[]' | sort -u >used || fail "sp-mat head"
[ -s used ] || fail "no column has values"
! grep -q '^genre' used || fail "genre columns with values in a world without genres: $(grep '^genre' used | head -3)"
