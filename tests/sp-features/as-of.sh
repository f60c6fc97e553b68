#!/usr/bin/env bash
# needs: pg
# --as-of DATE rebuilds every model as of DATE in the session's temporary
# schema: the features are those of that date, and the live mart (built
# by sp-model run) is neither read nor changed.
. "$SP_ROOT/tests/lib/lib.sh"
. "$SP_ROOT/tests/sp-model/lib.bash"
models_db
sql "select t_artist('a1', '{g}');
     select t_track('A', '{a1}', 'al', '2019', 200000);
     select t_track('N', '{a1}', 'al', '2026-05-20', 200000, 'releases');
     select t_api('A', '2025-01-10 10:00+00');
     select t_api('A', '2026-04-10 10:00+00');
     select t_api('N', '2026-05-21 10:00+00');"
expect_status 0 sp-model run -q --var as_of=2026-06-01
pick='[.track_id, .heard, .play_count_3m, .play_count_1y, .play_count_lifetime, .artist_listen_count_lifetime, .as_of]'

expect_status 0 sp-features
jq -c "$pick" out >got
cat >expected <<'OUT'
["A",true,1,1,2,3,"2026-06-01T00:00:00+00:00"]
["N",true,1,1,1,3,"2026-06-01T00:00:00+00:00"]
OUT
expect_file expected got

expect_status 0 sp-features --as-of 2026-05-01
jq -c "$pick" out >got
cat >expected <<'OUT'
["A",true,1,1,2,2,"2026-05-01T00:00:00+00:00"]
["N",false,0,0,0,2,"2026-05-01T00:00:00+00:00"]
OUT
expect_file expected got

expect_status 0 sp-features --as-of "2025-02-01 00:00"
jq -c "$pick" out >got
cat >expected <<'OUT'
["A",true,1,1,1,1,"2025-02-01T00:00:00+00:00"]
["N",false,0,0,0,1,"2025-02-01T00:00:00+00:00"]
OUT
expect_file expected got

# The live mart is unchanged, and nothing was left behind.
expect_q "select string_agg(track_id || ':' || play_count_lifetime, ',' order by track_id) || ' ' || min(as_of)
          from analytics.mart_spotify__merged_tracks" "A:2,N:1 2026-06-01 00:00:00+00"
expect_q "select count(*) from pg_class where relname like '%__sp_new' or relpersistence = 't'" "0"

expect_status 2 sp-features --as-of yesterday
expect_err "sp-features: --as-of: expected a date (YYYY-MM-DD, optionally with a time), got 'yesterday'"
