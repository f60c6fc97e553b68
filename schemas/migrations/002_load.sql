-- 002_load.sql: what sp-load runs inside each object's transaction.

-- The rows pointing at a canonical play: few, looked up by the dedupe.
create index plays_dup_of on raw.plays (dup_of) where dup_of is not null;

-- raw.dedupe_plays: marks the same listen seen by both sources among the
-- plays whose play_id is above first_id (one object's rows) and the rows
-- already loaded.  An export play and an API play are the same listen
-- when they are of the same track (the same track id, or the same track
-- and artist names when the export has no id) and their times differ by
-- no more than the track's duration (the API row's duration_ms, else the
-- export's ms_played): API played_at and export ts mark different ends of
-- the play.  The API row stays canonical (dup_of null); the export row
-- points at it (dup_of), and both rows stay.  Each row is matched at most
-- once: pairs are taken nearest first, mutually.  Works in both load
-- orders.  Returns the number of rows marked.
create or replace function raw.dedupe_plays(first_id bigint) returns integer
language plpgsql as $$
declare
    lo timestamptz;
    hi timestamptz;
    n integer := 0;
    k integer;
begin
    select min(played_at), max(played_at) into lo, hi
    from raw.plays where play_id > first_id;
    if lo is null then
        return 0;
    end if;
    -- Nothing to do unless both sources have rows around the new ones.
    if not exists (select 1 from raw.plays where source = 'api'
                   and played_at between lo - interval '1 day' and hi + interval '1 day')
       or not exists (select 1 from raw.plays where source = 'export'
                   and played_at between lo - interval '1 day' and hi + interval '1 day') then
        return 0;
    end if;
    if (select count(*) from raw.plays where play_id > first_id) > 10000 then
        analyze raw.plays;
    end if;

    with a as (
        select * from raw.plays
        where source = 'api'
          and played_at between lo - interval '1 day' and hi + interval '1 day'
          and not exists (select 1 from raw.plays x where x.dup_of = raw.plays.play_id)
    ), e as (
        select * from raw.plays
        where source = 'export' and dup_of is null
          and played_at between lo - interval '1 day' and hi + interval '1 day'
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
        select api_id, exp_id, abs(extract(epoch from a_at - e_at)) as diff
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
    where p.play_id = best.exp_id;
    get diagnostics k = row_count;
    n := n + k;
    return n;
end;
$$;
