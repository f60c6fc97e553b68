-- artists.merge.sql: catalogue entities of an object; the latest fetch wins
-- (within the object and against the rows already loaded).
insert into raw.artists as t (artist_id, fetched_at, source, payload, object)
select distinct on (artist_id) artist_id, fetched_at, source, payload, object
from load_artists
order by artist_id, fetched_at desc
on conflict (artist_id) do update
    set fetched_at = excluded.fetched_at, source = excluded.source,
        payload = excluded.payload, object = excluded.object
    where excluded.fetched_at > t.fetched_at;
