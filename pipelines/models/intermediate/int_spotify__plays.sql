{{ config(materialized='table') }}
-- int_spotify__plays: canonical plays up to as_of with their track's
-- catalogue data, whether each was skipped, the share of the track heard,
-- and the windows it falls in.
--
-- track_id is the play's own, else (an account-data play) the one
-- int_spotify__resolutions found for its names; resolution says how:
-- 'uri', 'history', 'search', 'pending', 'unresolvable', or 'none' (an
-- extended-history play without a URI: a local file).
--
-- Every play counts by name until the API has described it: the keys
--   artist_keys: the catalogued track's artist ids; else the id of the
--     artist of the play's artist name (case-insensitive,
--     int_spotify__artist_names); else 'name:' || lower(artist name);
--   track_key: the track id; else 'name:' || lower(artist) || lower(track);
--   album_key: the catalogued album id; else the id of the album of the
--     play's artist and album names (case-insensitive,
--     int_spotify__album_names); else 'name:' || lower(artist) ||
--     lower(album) from the export's names;
-- with their display names (artist_names, track_name, artist_name,
-- album_name).  So a play is one play of one artist (and of one album)
-- whether it is known by id, by name, or first by name and later by id.
--
-- is_listen: the play counts as a listen (int_spotify__listens): 30 s or
-- more played, or an API play (the API lists no shorter one).
--
-- Windows end at as_of (inclusive) and are half-open at their start:
--   in_3m: played_at >  as_of - interval '3 months'
--   in_1y: played_at >  as_of - interval '1 year'
-- so a play exactly 3 months before as_of counts in 1y and lifetime only.
--
-- Skips (skipped null = unknown, not counted in skip rates):
--   Plays with export details (export rows, or API rows with an export
--   duplicate), first rule that applies:
--     1. skipped = true                                  -> skipped
--     2. reason_end = 'trackdone'                        -> not skipped
--     3. ms_played and duration known: ms_played < 0.8 x duration
--     4. reason_end in ('fwdbtn', 'backbtn', 'clickrow') -> skipped
--     5. skipped = false                                 -> not skipped
--     6. ms_played known (an account-data play whose track is not
--        resolved yet): ms_played < 30 s -> skipped, else not skipped
--   API-only plays: the gap from this play's start to the next play's
--   start (any source) is the time the track can have played:
--     gap < 0.8 x duration -> skipped, else not skipped; unknown when there
--     is no next play up to as_of, the duration is unknown, or the gap is
--     not positive (overlapping plays from two devices).
-- share_listened: ms_played / duration (export details) or gap / duration
-- (API), capped at 1; null when unknown.
with params as (
    select as_of from {{ ref('stg_spotify__params') }}
),
p as (
    select
        p.*,
        extract(epoch from lead(p.started_at) over (order by p.started_at, p.play_id)
            - p.started_at) * 1000 as gap_ms
    from {{ ref('stg_spotify__plays') }} p
),
r as (
    select
        p.*,
        coalesce(p.track_id, res.track_id) as resolved_track_id,
        case when p.track_id is not null then 'uri'
            when p.source = 'export' and p.reason_start is null and res.track_id is not null then res.method
            when p.source = 'export' and p.reason_start is null and res.status is not null then res.status
            else 'none' end as resolution
    from p
    left join {{ ref('int_spotify__resolutions') }} res
        on p.track_id is null and res.track_key = lower(p.track_name)
       and res.artist_key = lower(p.artist_name)
),
j as (
    select
        r.*,
        t.track_id is not null as track_known,
        coalesce(r.duration_ms, t.duration_ms) as dur_ms,
        'export' = any(r.sources) as has_export_details,
        t.artist_ids,
        t.album_id,
        t.genres,
        case when t.track_id is not null then t.artist_ids
            when coalesce(r.artist_name, '') <> '' then
                array[coalesce(an.artist_id, 'name:' || lower(r.artist_name))]
            else '{}' end as artist_keys,
        case when t.track_id is not null then t.artist_names
            when coalesce(r.artist_name, '') <> '' then array[coalesce(an.artist_name, r.artist_name)]
            else '{}' end as artist_names,
        coalesce(t.track_name, r.track_name) as track_label,
        coalesce(array_to_string(t.artist_names, ', '), r.artist_name) as artist_label,
        coalesce(t.album_name, aln.album_name, r.album_name) as album_label,
        case when t.track_id is not null then t.album_id
            when coalesce(r.album_name, '') <> '' then coalesce(aln.album_id,
                'name:' || lower(coalesce(r.artist_name, '')) || chr(31) || lower(r.album_name))
            end as album_key,
        coalesce(r.resolved_track_id,
            case when coalesce(r.track_name, '') <> '' then
                'name:' || lower(coalesce(r.artist_name, '')) || chr(31) || lower(r.track_name) end)
            as track_key
    from r
    left join {{ ref('int_spotify__tracks') }} t on t.track_id = r.resolved_track_id
    left join {{ ref('int_spotify__artist_names') }} an
        on t.track_id is null and an.name_key = lower(r.artist_name)
    left join {{ ref('int_spotify__album_names') }} aln
        on t.track_id is null
       and aln.name_key = lower(coalesce(r.artist_name, '')) || chr(31) || lower(r.album_name)
)
select
    j.play_id,
    j.source,
    j.sources,
    j.played_at,
    j.played_at_local,
    j.played_date_local,
    j.started_at,
    j.resolved_track_id as track_id,
    j.resolution,
    j.track_known,
    j.track_key,
    j.track_label as track_name,
    j.artist_label as artist_name,
    j.artist_keys,
    j.artist_names,
    j.album_key,
    j.album_label as album_name,
    j.artist_ids,
    j.album_id,
    j.genres,
    j.dur_ms as duration_ms,
    j.ms_played,
    j.reason_end,
    round(j.gap_ms)::bigint as gap_ms,
    case when j.has_export_details then 'export'
        when j.dur_ms > 0 and j.gap_ms > 0 then 'gap' end as skip_method,
    case when j.has_export_details then
        case
            when j.skipped then true
            when j.reason_end = 'trackdone' then false
            when j.ms_played is not null and j.dur_ms > 0 then j.ms_played < 0.8 * j.dur_ms
            when j.reason_end in ('fwdbtn', 'backbtn', 'clickrow') then true
            when j.skipped = false then false
            -- Nothing but the time played (an account-data play whose
            -- track is not resolved yet): Spotify's own 30 s stream rule,
            -- both ways, or every known outcome would be a skip.
            when j.ms_played is not null then j.ms_played < 30000
        end
    else
        case when j.dur_ms > 0 and j.gap_ms > 0 then j.gap_ms < 0.8 * j.dur_ms end
    end as skipped,
    case when j.has_export_details then
        case when j.ms_played is not null and j.dur_ms > 0
            then round(least(j.ms_played::numeric / j.dur_ms, 1), 6) end
    else
        case when j.dur_ms > 0 and j.gap_ms > 0
            then round(least(j.gap_ms::numeric / j.dur_ms, 1), 6) end
    end as share_listened,
    -- A listen, as Spotify counts a stream: 30 s or more (the API lists
    -- only those; an export lists every play, the 2 s ones too).
    j.ms_played is null or j.ms_played >= 30000 as is_listen,
    j.played_at > params.as_of - interval '3 months' as in_3m,
    j.played_at > params.as_of - interval '1 year' as in_1y
from j
cross join params
