#!/usr/bin/env bash
# needs: pg
# Artist, album and genre listens: a play counts for each of its track's
# artists and genres; a track takes the largest count (and share) among its
# artists and genres; shares are over plays of catalogued tracks (a play
# without a track id or of a track never fetched adds to none); liked
# means saved at or before as_of.
. "$SP_ROOT/tests/lib/lib.sh"
. "$SP_ROOT/tests/sp-model/lib.bash"
models_db
sql "select t_artist('a', '{rock}'); select t_artist('b', '{pop,rock}'); select t_artist('c', '{}');
     select t_track('X', '{a,b}', 'al1', '2019', 200000);
     select t_track('Y', '{a}', 'al1', '2019', 200000);
     select t_track('Z', '{c}', 'al2', '2019', 200000);
     select t_api('X', '2026-05-01 10:00+00');
     select t_api('Y', '2026-05-01 11:00+00');
     select t_api('Y', '2026-05-01 12:00+00');
     select t_api('Z', '2026-05-01 13:00+00');
     select t_api('U', '2026-05-01 14:00+00');          -- never fetched
     select t_export(null, '2026-05-01 15:00+00', 60000); -- account data: no id
     insert into raw.saved_tracks values ('Y', '2026-05-31 23:59+00', '2026-06-02', '{}', 'fixture'),
                                         ('Z', '2026-06-01 00:00:01+00', '2026-06-02', '{}', 'fixture');"
expect_status 0 sp-model run -q --var as_of=2026-06-01
expect_q "select artist_id, listen_count_lifetime, listen_share_lifetime
          from analytics.int_spotify__artist_listens order by 1" \
"a|3|0.750000
b|1|0.250000
c|1|0.250000"
expect_q "select genre, listen_count_lifetime, listen_share_lifetime
          from analytics.int_spotify__genre_listens order by 1" \
"pop|1|0.250000
rock|3|0.750000"
expect_q "select track_id, liked, genres, artist_listen_count_lifetime, artist_listen_share_lifetime,
                 album_listen_count_lifetime, album_listen_share_3m,
                 genre_listen_count_lifetime, genre_listen_share_1y
          from analytics.mart_spotify__merged_tracks order by 1" \
"X|f|{pop,rock}|3|0.750000|3|0.750000|3|0.750000
Y|t|{rock}|3|0.750000|3|0.750000|3|0.750000
Z|f|{}|1|0.250000|1|0.250000|0|0"
expect_q "select count(*), count(track_id) from analytics.stg_spotify__plays" "6|5"
expect_status 0 sp-model test
