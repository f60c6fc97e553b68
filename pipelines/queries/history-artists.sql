-- history-artists: the artists whose new releases pipeline.sh candidates
-- sweeps: those followed or saved (raw.artists) and those of every track
-- the listener has (played, liked, in a playlist; not the tracks the
-- sweep or a search found), most played first, so that a sweep cut short
-- by the request budget has covered the artists that matter most.
with ids as (
    select artist_id from {{ source('spotify', 'artists') }}
    union
    select a->>'id'
    from {{ source('spotify', 'tracks') }} t, jsonb_array_elements(t.payload->'artists') a
    where t.source not in ('releases', 'search')
),
n as (
    select t.payload->'artists'->0->>'id' as artist_id, count(*) as plays
    from {{ source('spotify', 'plays') }} p
    join {{ source('spotify', 'tracks') }} t using (track_id)
    group by 1
)
select i.artist_id
from ids i left join n using (artist_id)
order by coalesce(n.plays, 0) desc, 1
