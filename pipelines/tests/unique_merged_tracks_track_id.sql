-- unique: one row per track in the mart.
select track_id, count(*) as n
from {{ ref('mart_spotify__merged_tracks') }}
group by track_id
having count(*) > 1
