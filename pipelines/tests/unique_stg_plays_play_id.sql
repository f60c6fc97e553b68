-- unique: a canonical play appears once after deduplication.
select play_id, count(*) as n
from {{ ref('stg_spotify__plays') }}
group by play_id
having count(*) > 1
