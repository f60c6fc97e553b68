-- unique: an album name (of its artist) names one album id.
select name_key, count(*) as n
from {{ ref('int_spotify__album_names') }}
group by name_key
having count(*) > 1
