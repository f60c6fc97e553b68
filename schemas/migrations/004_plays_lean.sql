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
--    ms_played joins the key.  Without it, two plays of a track that end
--    in the same second (the extended history: a skip, then a replay) or
--    the same minute (the account-data history's endTime) were one play,
--    and the second was lost: 237 plays of the real exports in
--    ../shared/data, a 171-second listen among them.  A play exported
--    twice (Spotify repeats some rows; two exports overlap) is still one
--    row: its time, track and ms_played are the same.  API plays have no
--    ms_played (null): their key is as before.
create unique index plays_key on raw.plays (played_at, source, track_id, track_name, ms_played)
    nulls not distinct;
drop index raw.plays_source_key;
alter index raw.plays_key rename to plays_source_key;

-- The same for episodes and audiobooks: two plays of an episode that end
-- in the same second were one (one of the 364 in ../shared/data).
alter table raw.other_plays drop constraint other_plays_pkey;
create unique index other_plays_key on raw.other_plays (kind, played_at, uri, ms_played)
    nulls not distinct;

-- The dedupe asks whether API plays exist around an object's plays: few
-- rows (50 an hour at most), so a partial index on them costs an export
-- play nothing and answers at once.
create index plays_api on raw.plays (played_at) where source = 'api';
-- So does it ask for account-data plays (4. below): none in an extended
-- history, a year's at most in an account-data one.
create index plays_account on raw.plays (played_at)
    where source = 'export' and track_id is null and reason_start is null;

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

-- 4. The dedupe of 002, for the indexes above and for the two histories
--    of a privacy export.
--
--    Without a btree on play_id the planner read "the new rows' earliest
--    and latest times" off the time index, filtering on play_id, which
--    walks the whole table when the new rows are an hour of API plays
--    (0.35 s on a million plays); the new rows are fetched first instead
--    (MATERIALIZED: the BRIN range scan, 10 ms), and rows are updated by
--    time and id, which the unique key finds.
--
--    A listener may import both histories Spotify exports: the
--    account-data one (StreamingHistory*.json, a year, endTime to the
--    minute, no track URI, no reasons) and the extended one (every year,
--    ts to the second, URI and reasons).  A play of the last year is in
--    both, and was counted twice.  An account-data row (source 'export',
--    no track id and no reason_start) is the same listen as an extended
--    row of the same track and artist names, whose ms_played is within a
--    second of its own and whose time is within the minute of its own; it
--    points at the extended row (or at the API row the extended row
--    points at).  So the dedupe makes three kinds of pairs, nearest first
--    and mutually, each row matched at most once of each kind:
--      API and extended history, API and account-data history (as 002:
--      times within the track's duration, the API row canonical), then
--      account-data and extended history;
--    and finally a row pointing at a row that became a duplicate points
--    at that row's canonical row: dup_of always names a canonical row.
--    Works in every load order.  Returns the number of rows marked.
create or replace function raw.dedupe_plays(first_id bigint) returns integer
language plpgsql as $$
declare
    lo timestamptz;
    hi timestamptz;
    n integer := 0;
    k integer;
    acct boolean;
    has_api boolean;
    has_acct boolean;
    nnew bigint;
begin
    -- No API play and no account-data play at all (an extended history
    -- alone): nothing to match, and no need to read the new rows.
    if not exists (select 1 from raw.plays where source = 'api')
       and not exists (select 1 from raw.plays where source = 'export'
                       and track_id is null and reason_start is null) then
        return 0;
    end if;
    with new as materialized (
        select played_at from raw.plays where play_id > first_id
    )
    select min(played_at) - interval '1 day', max(played_at) + interval '1 day', count(*)
    into lo, hi, nnew from new;
    if lo is null then
        return 0;
    end if;
    -- Nothing to do unless API or account-data plays are around the new
    -- ones (both answered by a partial index), and export plays too.
    has_api := exists (select 1 from raw.plays where source = 'api'
                       and played_at between lo and hi);
    has_acct := exists (select 1 from raw.plays where source = 'export'
                        and track_id is null and reason_start is null
                        and played_at between lo and hi);
    if not (has_api or has_acct)
       or not exists (select 1 from raw.plays where source = 'export'
                      and played_at between lo and hi) then
        return 0;
    end if;
    if nnew > 10000 then
        analyze raw.plays;
    end if;

    -- API plays and export plays, one export history at a time.
    if has_api then
        foreach acct in array array[false, true] loop
            with a as (
                select * from raw.plays ap
                where source = 'api' and played_at between lo and hi
                  and not exists (select 1 from raw.plays x
                                  where x.dup_of = ap.play_id and x.source = 'export'
                                    and (x.track_id is null and x.reason_start is null) = acct)
            ), e as (
                select * from raw.plays
                where source = 'export' and dup_of is null
                  and (track_id is null and reason_start is null) = acct
                  and played_at between lo and hi
            ), pairs as (
                -- Two equi-joins rather than one with OR, so that either can hash.
                select a.play_id as api_id, e.play_id as exp_id, a.played_at as a_at,
                       e.played_at as e_at, coalesce(a.duration_ms, e.ms_played, 0) as len
                from a join e on a.track_id = e.track_id
                union all
                select a.play_id, e.play_id, a.played_at, e.played_at,
                       coalesce(a.duration_ms, e.ms_played, 0)
                from a join e on a.track_name = e.track_name and a.artist_name = e.artist_name
                where e.track_id is null
            ), cand as (
                select api_id, exp_id, e_at, abs(extract(epoch from a_at - e_at)) as diff
                from pairs
                where abs(extract(epoch from a_at - e_at)) * 1000 <= len
                  and (api_id > first_id or exp_id > first_id)
            ), best_e as (
                select distinct on (exp_id) * from cand order by exp_id, diff, api_id
            ), best as (
                select distinct on (api_id) * from best_e order by api_id, diff, exp_id
            )
            update raw.plays p set dup_of = best.api_id
            from best
            where p.played_at = best.e_at and p.source = 'export' and p.play_id = best.exp_id;
            get diagnostics k = row_count;
            n := n + k;
        end loop;
    end if;

    -- Account-data plays and extended-history plays.
    if has_acct then
        with acc as (
            select * from raw.plays
            where source = 'export' and dup_of is null
              and track_id is null and reason_start is null
              and played_at between lo and hi
        ), ext as (
            select * from raw.plays xp
            where source = 'export' and not (track_id is null and reason_start is null)
              and played_at between lo and hi
              -- Not the match of an account-data row already (nor is the
              -- API row it points at).
              and not exists (select 1 from raw.plays x
                              where x.dup_of in (xp.play_id, xp.dup_of) and x.source = 'export'
                                and x.track_id is null and x.reason_start is null)
        ), cand as (
            select acc.play_id as acc_id, acc.played_at as acc_at,
                   coalesce(ext.dup_of, ext.play_id) as canon, ext.play_id as ext_id,
                   abs(extract(epoch from ext.played_at - acc.played_at)) as diff
            from acc join ext on acc.track_name = ext.track_name
                             and acc.artist_name = ext.artist_name
            where abs(acc.ms_played - ext.ms_played) <= 1000
              and abs(extract(epoch from ext.played_at - acc.played_at)) < 60
              and (acc.play_id > first_id or ext.play_id > first_id)
        ), best_a as (
            select distinct on (acc_id) * from cand order by acc_id, diff, ext_id
        ), best as (
            select distinct on (ext_id) * from best_a order by ext_id, diff, acc_id
        )
        update raw.plays p set dup_of = best.canon
        from best
        where p.played_at = best.acc_at and p.source = 'export' and p.play_id = best.acc_id;
        get diagnostics k = row_count;
        n := n + k;
    end if;

    -- A row pointing at a row that is now a duplicate points at its
    -- canonical row (only a row marked just now can have become one).
    if n > 0 then
        update raw.plays p set dup_of = c.dup_of
        from raw.plays c
        where p.dup_of = c.play_id and c.dup_of is not null
          and p.played_at between lo and hi
          and c.played_at between lo - interval '1 day' and hi + interval '1 day';
    end if;
    return n;
end;
$$;
