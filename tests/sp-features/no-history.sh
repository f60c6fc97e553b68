#!/usr/bin/env bash
# needs: pg
# A listener with no history: the models build, the data tests pass, the
# mart holds the candidates only (unheard, zero counts, shares 0 not null)
# and sp-features streams one row per candidate, track_id first.
. "$SP_ROOT/tests/lib/lib.sh"
. "$SP_ROOT/tests/sp-model/lib.bash"
models_db
sql "select t_artist('n1', '{}');
     select t_track('C1', '{n1}', 'alc', '2026-11-20', 180000, 'releases');
     select t_track('C2', '{n1,n2}', 'alc', '2026-11', 240000, 'search');"
expect_status 0 sp-model run -q --var as_of=2026-11-25
expect_status 0 sp-model test
expect_status 0 sp-features
jq -c '[.track_id, .release_date, .heard, .liked, .artist_ids, .genres, .play_count_lifetime,
        .artist_listen_count_lifetime, .artist_listen_share_3m, .genre_listen_share_lifetime,
        .skip_rate_lifetime, .candidate_source]' out >got
cat >expected <<'OUT'
["C1","2026-11-20",false,false,["n1"],[],0,0,0,0,null,"releases"]
["C2","2026-11",false,false,["n1","n2"],[],0,0,0,0,null,"search"]
OUT
expect_file expected got
expect_eq "first member" "track_id track_id" "$(jq -r 'keys_unsorted[0]' out | tr '\n' ' ' | sed 's/ $//')"
