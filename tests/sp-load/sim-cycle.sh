# needs: pg
# The real chain against the simulated API: sp-fetch | sp-stage | sp-load
# for recently-played and saved; new plays on the next poll; a 500 in the
# poll loses nothing and duplicates nothing once rerun.
. "$SP_ROOT/tests/lib/lib.sh"
. "$SP_ROOT/tests/lib/sim.sh"
need_pg
export SP_HOME=$PWD/home
command -v sp-fetch >/dev/null || skip "sp-fetch is not built"
start_sim --kind --plays 40 --saved 30
sim_tokens

sp-fetch recently-played 2>fetch.err | sp-stage plays >names || fail "fetch | stage plays"
sp-fetch saved 2>>fetch.err | sp-stage saved >>names || fail "fetch | stage saved"
expect_eq objects 2 "$(wc -l <names)"
expect_status 0 sp-load
q() { psql -X -At -F' ' -c "$1"; }
expect_eq "plays" "api 40" "$(q "select source, count(*) from raw.plays group by 1")"
expect_eq "saved" 30 "$(q "select count(*) from raw.saved_tracks")"
expect_eq "tracks of plays" 0 "$(q "select count(*) from raw.plays p where not exists (select 1 from raw.tracks t where t.track_id = p.track_id)")"
expect_eq "same plays as the server" \
    "$(sim_ctl GET state | jq -r '[.plays[] | .played_at] | sort | .[]' | tail -n 40 | cut -c1-19 | paste -sd,)" \
    "$(q "select to_char(played_at, 'YYYY-MM-DD\"T\"HH24:MI:SS') from raw.plays order by 1" | paste -sd,)"

# Three new plays, then a poll that fails (the server answers 500 every
# time): sp-fetch exits 3 and keeps its cursor, sp-stage stages nothing;
# the rerun brings the three plays, once.
sim_ctl POST plays '{"count":3}' >/dev/null
sim_fault '{"path":"/me/player/recently-played","status":500,"count":-1}' >/dev/null
sp-fetch recently-played 2>>fetch.err | sp-stage plays >staged
expect_eq "fetch failed" 3 "${PIPESTATUS[0]}"
expect_eq "nothing staged" "" "$(cat staged)"
sp-load || fail "load after a failed poll"
expect_eq "plays" 40 "$(q "select count(*) from raw.plays")"
sim_ctl DELETE faults >/dev/null
sp-fetch recently-played 2>>fetch.err | sp-stage plays >/dev/null || fail "rerun poll"
sp-load || fail "load after the rerun"
expect_eq "plays" "api 43" "$(q "select source, count(*) from raw.plays group by 1")"
expect_eq "one row a play" 43 "$(q "select count(distinct (played_at, track_id)) from raw.plays")"
expect_status 0 sp-load -v
expect_grep "0 objects loaded" err
