-- plays.before.sql: run by sp-load at the start of each object's transaction.
-- Rows of this object get play ids above the largest one now (loads are
-- serialised by sp-load's lock), which is how plays.finish.sql finds them.
select set_config('sp.first_play_id',
    (select coalesce(max(play_id), 0) from raw.plays)::text, true);
