-- not_null: the mart's key and the fields every feature row needs.
select track_id, heard, liked, artist_ids, genres, play_count_lifetime
from {{ ref('mart_spotify__merged_tracks') }}
where track_id is null or heard is null or liked is null
   or artist_ids is null or genres is null or play_count_lifetime is null
   or artist_listen_count_lifetime is null or genre_listen_count_lifetime is null
