-- accepted values: heard says exactly whether the track was played.
select track_id, heard, play_count_lifetime
from {{ ref('mart_spotify__merged_tracks') }}
where heard <> (play_count_lifetime > 0)
