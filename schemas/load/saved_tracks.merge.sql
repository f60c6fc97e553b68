-- saved_tracks.merge.sql: liked tracks of an object; the latest fetch wins.
insert into raw.saved_tracks as s (track_id, added_at, fetched_at, payload, object)
select distinct on (track_id) track_id, added_at, fetched_at, payload, object
from load_saved_tracks
order by track_id, fetched_at desc
on conflict (track_id) do update
    set added_at = excluded.added_at, fetched_at = excluded.fetched_at,
        payload = excluded.payload, object = excluded.object
    where excluded.fetched_at > s.fetched_at;
