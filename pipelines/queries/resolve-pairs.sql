-- resolve-pairs: the account-data name pairs to search (pipeline.sh
-- resolve): left pending by the models and not searched yet, most played
-- first; one JSON object {"track_name","artist_name"} a row.
select json_build_object('track_name', r.track_name, 'artist_name', r.artist_name)
from {{ ref('int_spotify__resolutions') }} r
where r.status = 'pending'
  and not exists (select 1 from {{ source('spotify', 'track_searches') }} s
                  where lower(s.track_name) = r.track_key and lower(s.artist_name) = r.artist_key)
order by r.plays desc, r.track_key, r.artist_key
