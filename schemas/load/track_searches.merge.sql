-- track_searches.merge.sql: search answers of an object, one per name pair
-- (names compared case-insensitively); the latest search wins.
insert into raw.track_searches as s (track_name, artist_name, track_id, searched_at, payload, object)
select distinct on (lower(track_name), lower(artist_name))
    track_name, artist_name, track_id, searched_at, payload, object
from load_track_searches
order by lower(track_name), lower(artist_name), searched_at desc
on conflict (lower(track_name), lower(artist_name)) do update
    set track_id = excluded.track_id, searched_at = excluded.searched_at,
        payload = excluded.payload, object = excluded.object
    where excluded.searched_at > s.searched_at;
