-- accepted ranges: shares, rates and the share listened lie in [0, 1];
-- counts are not negative and grow with the window (3m <= 1y <= lifetime).
select track_id, play_count_3m, play_count_1y, play_count_lifetime,
       skip_rate_lifetime, avg_share_listened, artist_listen_share_lifetime
from {{ ref('mart_spotify__merged_tracks') }}
where not (play_count_3m between 0 and play_count_1y)
   or not (play_count_1y <= play_count_lifetime)
   or not (artist_listen_count_3m between 0 and artist_listen_count_1y)
   or not (artist_listen_count_1y <= artist_listen_count_lifetime)
   or not (album_listen_count_3m between 0 and album_listen_count_1y)
   or not (album_listen_count_1y <= album_listen_count_lifetime)
   or not (genre_listen_count_3m between 0 and genre_listen_count_1y)
   or not (genre_listen_count_1y <= genre_listen_count_lifetime)
   or skip_rate_3m not between 0 and 1
   or skip_rate_1y not between 0 and 1
   or skip_rate_lifetime not between 0 and 1
   or avg_share_listened not between 0 and 1
   or artist_listen_share_3m not between 0 and 1
   or artist_listen_share_1y not between 0 and 1
   or artist_listen_share_lifetime not between 0 and 1
   or album_listen_share_3m not between 0 and 1
   or album_listen_share_1y not between 0 and 1
   or album_listen_share_lifetime not between 0 and 1
   or genre_listen_share_3m not between 0 and 1
   or genre_listen_share_1y not between 0 and 1
   or genre_listen_share_lifetime not between 0 and 1
   or duration_ms < 0
