-- relationships: every track with facts is in the catalogue, and every
-- catalogued track has facts.
select coalesce(f.track_id, t.track_id) as track_id,
       f.track_id is not null as in_facts, t.track_id is not null as in_tracks
from {{ ref('mart_spotify__track_facts') }} f
full join {{ ref('int_spotify__tracks') }} t on t.track_id = f.track_id
where f.track_id is null or t.track_id is null
