-- playlist_items.merge.sql: a playlist's items are a snapshot: the newest
-- fetch of each playlist in the object replaces the loaded items of that
-- playlist, unless the loaded ones are newer still.
create temp table load_snap on commit drop as
select playlist_id, max(fetched_at) as fetched_at
from load_playlist_items
group by playlist_id;

delete from load_snap n
where exists (select 1 from raw.playlist_items p
              where p.playlist_id = n.playlist_id and p.fetched_at > n.fetched_at);

delete from raw.playlist_items p
using load_snap n
where p.playlist_id = n.playlist_id;

insert into raw.playlist_items (playlist_id, position, track_id, added_at,
    fetched_at, payload, object)
select distinct on (i.playlist_id, i.position) i.playlist_id, i.position,
    i.track_id, i.added_at, i.fetched_at, i.payload, i.object
from load_playlist_items i
join load_snap n on n.playlist_id = i.playlist_id and n.fetched_at = i.fetched_at
order by i.playlist_id, i.position;

drop table load_snap;
