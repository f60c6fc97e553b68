-- 004_plays_lean.sql: what a play costs PostgreSQL to store, cut to what
-- the readers need (issue 3's target: sp-load at 200,000 plays/s).
--
-- Measured on the bench's 1,000,000 plays (tests/bench/load.sh, psql's own
-- COPY of the same rows): the play_id primary key cost 1.2 s, the
-- envelope members in each payload 1.0 s, the unique key's text-first
-- order 0.2 s, of 6.6 s in all.
--
-- 1. play_id stays what it was (bigserial: unique because only the
--    sequence fills it, and increasing in load order), but its btree goes.
--    Nothing looks a single play up by id on a hot path: the dedupe finds
--    an object's new rows by "play_id > first id" and the models hash-join.
--    A BRIN index serves that range for nothing on insert: new rows land in
--    ranges not summarised yet, which a scan always reads.  autosummarize
--    has autovacuum summarise each range once filled.  Without a unique
--    index on play_id, dup_of cannot be a foreign key; the data test
--    pipelines/tests/relationships_plays_dup_of.sql checks the same thing.
alter table raw.plays drop constraint plays_dup_of_fkey;
alter table raw.plays drop constraint plays_pkey;
create index plays_id on raw.plays using brin (play_id) with (autosummarize = on);

-- 2. The unique key that makes a play of a source one row, time first:
--    nearly every comparison ends at the timestamp instead of comparing
--    text first.  NULLS NOT DISTINCT (PostgreSQL 15) replaces the
--    coalesce() expressions: no track id equals no track id.
create unique index plays_key on raw.plays (played_at, source, track_id, track_name)
    nulls not distinct;
drop index raw.plays_source_key;
alter index raw.plays_key rename to plays_source_key;

-- The dedupe asks whether API plays exist around an object's plays: few
-- rows (50 an hour at most), so a partial index on them costs an export
-- play nothing and answers at once.
create index plays_api on raw.plays (played_at) where source = 'api';

-- 3. The envelope of a staged play (schemas/staging.md): fetched_at and
--    the export's file name become columns, so that the payload keeps only
--    what Spotify sent.  kind and source are not stored at all: the load
--    rule that made the row fixes them (schemas/load.json: the rule's
--    "when"), and the row's source column names that rule ('api': kind
--    "play" from "recently-played"; 'export': kind "play" from "export").
--    Rows loaded before keep their payload as it was; these two columns
--    are null for them.
alter table raw.plays add column fetched_at timestamptz, add column file text;
comment on column raw.plays.fetched_at is 'when the play was fetched or imported (the staged record''s fetched_at)';
comment on column raw.plays.file is 'the privacy-export file the play came from; null for API plays';
comment on column raw.plays.payload is
    'the staged record without the members held by this row''s columns and without those its load rule fixes (schemas/load.json "rest"); see migrations 003 and 004 for rows loaded before';
