-- 003_plays_slim.sql: a lighter raw.plays, so that sp-load writes half as
-- much per play (issue 3's target: 200,000 plays/s).
--
-- Two indexes that no reader needs go.  The cross-source dedupe
-- (raw.dedupe_plays, migration 002) looks plays up by source and time,
-- which the unique index plays_source_key (source, played_at, ...) serves,
-- and joins the tracks by hashing; the models scan the table.  The unique
-- index stays: it is what makes a play of a source one row.
drop index if exists raw.plays_time;
drop index if exists raw.plays_track;

-- The payload of a play loaded from here on is the rest of its staged
-- record: the record without the members that the row's columns already
-- hold (schemas/load.json, value form "rest").  A member is left out only
-- when its column surely holds it: a string, number or boolean at a
-- pointer, a track URI whose prefix was stripped.  Nulls, members kept in
-- no column, and everything around them stay, so the columns and the
-- payload together still hold the whole record, and payload->'data'->>'x'
-- answers as before for every member that has no column.  What a column
-- does not keep is the member's spelling: a time is kept as the instant
-- (Spotify writes UTC, "Z"), 1e3 as 1000.  Rows loaded before keep the
-- whole record; the staged object (object, line) keeps the record's
-- bytes in any case.
comment on column raw.plays.payload is
    'the staged record without the members held by this row''s columns (schemas/load.json "rest"); the whole record for rows loaded before migration 003';
