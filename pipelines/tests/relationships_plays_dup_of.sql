-- relationships: a duplicate play points at a canonical play (one whose
-- dup_of is null), never at another duplicate or itself.
select d.play_id, d.source, d.played_at, d.dup_of
from {{ source('spotify', 'plays') }} d
left join {{ source('spotify', 'plays') }} c on c.play_id = d.dup_of
where d.dup_of is not null
  and (c.play_id is null or c.dup_of is not null)
order by d.play_id
