{{ config(materialized='view') }}
-- stg_spotify__plays: API and export plays, one row per listen.
-- sp-load marks a listen seen by both sources once as canonical (dup_of
-- null, preferring the API row) and points the others at it; this model
-- keeps the canonical rows, records their provenance (sources,
-- duplicate_play_ids), and fills an API row's playback details
-- (ms_played, reason_*, skipped, shuffle) from its export duplicate (the
-- extended history's rather than the account-data history's, which has
-- no reasons).
-- played_at stays UTC; the *_local columns are in the listener's zone.
-- started_at: the API's played_at is taken as the start of the play, the
-- export's ts is its end, so an export play started ms_played earlier.
with params as (
    select as_of, tz from {{ ref('stg_spotify__params') }}
),
dups as (
    select
        d.dup_of as play_id,
        array_agg(d.play_id order by d.play_id) as duplicate_play_ids,
        array_agg(distinct d.source) as dup_sources,
        (array_agg(d.ms_played order by d.reason_start is null, d.play_id) filter (where d.source = 'export'))[1] as x_ms_played,
        (array_agg(d.reason_start order by d.reason_start is null, d.play_id) filter (where d.source = 'export'))[1] as x_reason_start,
        (array_agg(d.reason_end order by d.reason_start is null, d.play_id) filter (where d.source = 'export'))[1] as x_reason_end,
        (array_agg(d.skipped order by d.reason_start is null, d.play_id) filter (where d.source = 'export'))[1] as x_skipped,
        (array_agg(d.shuffle order by d.reason_start is null, d.play_id) filter (where d.source = 'export'))[1] as x_shuffle
    from {{ source('spotify', 'plays') }} d
    where d.dup_of is not null
    group by d.dup_of
)
select
    p.play_id,
    p.source,
    case when d.dup_sources is null then array[p.source]
        else array(select distinct s from unnest(array[p.source] || d.dup_sources) s order by s)
    end as sources,
    coalesce(d.duplicate_play_ids, '{}') as duplicate_play_ids,
    p.played_at,
    case when p.source = 'export' and p.ms_played is not null
        then p.played_at - p.ms_played * interval '1 millisecond'
        else p.played_at end as started_at,
    p.played_at at time zone params.tz as played_at_local,
    (p.played_at at time zone params.tz)::date as played_date_local,
    extract(hour from p.played_at at time zone params.tz)::integer as played_hour_local,
    extract(isodow from p.played_at at time zone params.tz)::integer as played_dow_local,
    params.tz as time_zone,
    nullif(regexp_replace(p.track_id, '^spotify:track:', ''), '') as track_id,
    p.track_name,
    p.artist_name,
    p.album_name,
    coalesce(p.ms_played, d.x_ms_played) as ms_played,
    p.duration_ms,
    coalesce(p.reason_start, d.x_reason_start) as reason_start,
    coalesce(p.reason_end, d.x_reason_end) as reason_end,
    coalesce(p.skipped, d.x_skipped) as skipped,
    coalesce(p.shuffle, d.x_shuffle) as shuffle,
    p.context_uri
from {{ source('spotify', 'plays') }} p
cross join params
left join dups d on d.play_id = p.play_id
where p.dup_of is null
  and p.played_at <= params.as_of
