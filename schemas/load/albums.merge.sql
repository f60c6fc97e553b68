-- albums.merge.sql: catalogue entities of an object; the latest fetch wins
-- (within the object and against the rows already loaded).
insert into raw.albums as t (album_id, fetched_at, source, payload, object)
select distinct on (album_id) album_id, fetched_at, source, payload, object
from load_albums
order by album_id, fetched_at desc
on conflict (album_id) do update
    set fetched_at = excluded.fetched_at, source = excluded.source,
        payload = excluded.payload, object = excluded.object
    where excluded.fetched_at > t.fetched_at;
