-- unknown-tracks: the ids of tracks known only from plays (privacy-export
-- plays give a URI, no name), for pipeline.sh candidates to fetch, so that
-- the models see their names, artists and genres.
select distinct p.track_id
from {{ source('spotify', 'plays') }} p
where p.track_id is not null
  and not exists (select 1 from {{ source('spotify', 'tracks') }} t where t.track_id = p.track_id)
order by 1
