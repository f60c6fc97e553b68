-- plays.finish.sql: after an object's plays are in raw.plays, in the same
-- transaction: fresh statistics for a big load, then the cross-source
-- dedupe of the new rows (raw.dedupe_plays, migration 002).
select raw.dedupe_plays(current_setting('sp.first_play_id')::bigint);
