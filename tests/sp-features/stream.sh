#!/usr/bin/env bash
# needs: pg
# sp-features streams the mart through COPY as NDJSON: one object per
# track ordered by track_id, arrays and booleans as JSON, and text with
# quotes, backslashes, tabs, newlines and non-ASCII intact.  T1 is played
# twice 2 min apart (skipped: 120 s < 0.8 x 200 s, share 0.6), then heard
# out (share 1): skip rate 0.5, average share 0.8.
. "$SP_ROOT/tests/lib/lib.sh"
. "$SP_ROOT/tests/sp-model/lib.bash"
models_db
sql "select t_artist('a1', array['indie rock', E'back\\\\slash \"q\"']);
     select t_track('T2', '{a1}', 'al', '2019', 200000);
     select t_track('T1', '{a1}', 'al', '2019-03', 200000);
     update raw.tracks set payload = jsonb_set(payload, '{name}', to_jsonb(E'tab\\there\\nline \\\\ \"q\" caf\\u00e9'::text))
       where track_id = 'T1';
     select t_api('T1', '2026-05-01 10:00+00');
     select t_api('T1', '2026-05-01 10:02:00+00');
     select t_api('T2', '2026-05-01 11:00+00');"
expect_status 0 sp-model run -q --var as_of=2026-06-01
expect_status 0 sp-features
expect_eq "rows" "2" "$(wc -l <out)"
jq -c '[.track_id, .track_name, .genres, .heard, .play_count_lifetime, .artist_listen_count_lifetime,
        .artist_listen_share_lifetime, .skip_rate_lifetime, .avg_share_listened, .release_date]' out >got
cat >expected <<'OUT'
["T1","tab\there\nline \\ \"q\" café",["back\\slash \"q\"","indie rock"],true,2,3,1,0.5,0.8,"2019-03"]
["T2","Track T2",["back\\slash \"q\"","indie rock"],true,1,3,1,null,null,"2019"]
OUT
expect_file expected got
# The same rows as the database holds them, compared in the database.
jq -r '.track_name' out | head -n 2 >names
expect_eq "name" "$(printf 'tab\there\nline \\ "q" caf\303\251')" "$(head -n 2 names)"
