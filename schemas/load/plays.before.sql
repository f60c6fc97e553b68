-- plays.before.sql: run by sp-load at the start of each object's transaction.
-- Rows of this object get play ids above the sequence's last one now (loads
-- are serialised by sp-load's lock, and only the sequence fills play_id),
-- which is how plays.finish.sql finds them.  (max(play_id) would scan the
-- table: play_id has a BRIN index only, migration 004.)
select set_config('sp.first_play_id',
    (select case when is_called then last_value else last_value - 1 end
     from raw.plays_play_id_seq)::text, true);
