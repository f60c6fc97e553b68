-- 005_track_searches.sql: what the API's search answered for the name
-- pairs of account-data plays (StreamingHistory*.json names a play only by
-- track and artist name).  sp-fetch search-tracks asks once per pair;
-- this table is the cache that keeps a pair from being searched again in a
-- later run, and it tells the models which pairs are resolved (track_id)
-- and which Spotify could not find (track_id null: unresolvable).  A
-- table rather than a file in the state dir, because the models, the
-- report and 'pipeline.sh status' all need the outcome, and the pairs
-- still to search are found in SQL beside the plays.
create table raw.track_searches (
    track_name  text not null,
    artist_name text not null,
    track_id    text,
    searched_at timestamptz not null,
    payload     jsonb not null,          -- the staged record's data
    object      text not null
);
-- A pair is one row whatever the case of its names, as the models match.
create unique index track_searches_key on raw.track_searches (lower(track_name), lower(artist_name));
