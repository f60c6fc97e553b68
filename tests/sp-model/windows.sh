#!/usr/bin/env bash
# needs: pg
# Windows at their boundaries: a window ends at as_of (inclusive) and starts
# just after as_of - 3 months / - 1 year; plays after as_of are invisible.
# Shares are numeric fractions of the plays in the window.
. "$SP_ROOT/tests/lib/lib.sh"
. "$SP_ROOT/tests/sp-model/lib.bash"
models_db

sql "select t_artist('w1', '{g1}'); select t_artist('v1', '{g2}');
     select t_track('W', '{w1}', 'alw', '2019', 200000);
     select t_track('V', '{v1}', 'alv', '2019', 200000);
     select t_api('W', '2026-06-01 00:00:00+00');  -- exactly as_of: in every window
     select t_api('W', '2026-06-01 00:00:01+00');  -- after as_of: invisible
     select t_api('W', '2026-03-01 00:00:00+00');  -- exactly 3 months before: 1y only
     select t_api('W', '2026-03-01 00:00:01+00');  -- just inside 3 months
     select t_api('W', '2025-06-01 00:00:00+00');  -- exactly 1 year before: lifetime only
     select t_api('W', '2025-06-01 00:00:01+00');  -- just inside 1 year
     select t_api('W', '2020-01-01 12:00:00+00');
     select t_api('V', '2026-05-01 12:00:00+00');"

cols="track_id, heard, play_count_3m, play_count_1y, play_count_lifetime,
      artist_listen_count_3m, artist_listen_count_1y, artist_listen_count_lifetime,
      artist_listen_share_3m, artist_listen_share_1y, artist_listen_share_lifetime,
      album_listen_share_3m, genre_listen_share_lifetime, genre_listen_count_1y"

# W: 2 | 4 | 6 of 3 | 5 | 7 plays: shares 2/3, 4/5, 6/7.
expect_status 0 sp-model run -q --var as_of=2026-06-01
expect_q "select $cols from analytics.mart_spotify__merged_tracks order by track_id" \
"V|t|1|1|1|1|1|1|0.333333|0.200000|0.142857|0.333333|0.142857|1
W|t|2|4|6|2|4|6|0.666667|0.800000|0.857143|0.666667|0.857143|4"

# A backtest as of 2026-03-01: the play at that instant counts, V is unheard.
expect_status 0 sp-model run -q --var as_of=2026-03-01
expect_q "select $cols from analytics.mart_spotify__merged_tracks order by track_id" \
"V|f|0|0|0|0|0|0|0|0|0|0|0|0
W|t|1|3|4|1|3|4|1.000000|1.000000|1.000000|1.000000|1.000000|3"
expect_q "select as_of from analytics.mart_spotify__merged_tracks limit 1" "2026-03-01 00:00:00+00"
