-- plays.merge.sql: sp-load's slow path, when copying an object's plays
-- straight into raw.plays hit a row already there (or twice in the object):
-- load_plays holds the object's plays; the first of each key wins.
insert into raw.plays (source, played_at, track_id, track_name, artist_name,
    album_name, ms_played, duration_ms, reason_start, reason_end, skipped,
    shuffle, context_uri, fetched_at, file, payload, object, line)
select source, played_at, track_id, track_name, artist_name, album_name,
    ms_played, duration_ms, reason_start, reason_end, skipped, shuffle,
    context_uri, fetched_at, file, payload, object, line
from load_plays
order by line
on conflict do nothing;
