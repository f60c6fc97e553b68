-- fixtures.sql: helpers for hand-made raw rows in the shape sp-load writes
-- (schemas/migrations/001_raw.sql).  Loaded by tests/sp-model/lib.bash.
create function t_artist(id text, genres text[] default '{}') returns void
language sql as $$
    insert into raw.artists (artist_id, fetched_at, source, payload, object)
    values (id, '2026-01-01', 'artists',
        jsonb_build_object('id', id, 'name', 'Artist ' || id, 'type', 'artist',
            'genres', to_jsonb(genres)), 'fixture')
$$;

-- A track object as the API sends it since 2026-03: no popularity, no
-- available_markets.  prec defaults to the shape of rd.
create function t_track(id text, artists text[], album text, rd text, dur integer,
    src text default 'recently-played', prec text default null) returns void
language sql as $$
    insert into raw.tracks (track_id, fetched_at, source, payload, object)
    values (id, '2026-01-01', src,
        jsonb_build_object('id', id, 'name', 'Track ' || id, 'type', 'track',
            'duration_ms', dur, 'explicit', false,
            'artists', coalesce((select jsonb_agg(jsonb_build_object('id', a, 'name', 'Artist ' || a))
                                 from unnest(artists) a), '[]'::jsonb),
            'album', jsonb_build_object('id', album, 'name', 'Album ' || album,
                'album_type', 'album', 'release_date', rd,
                'release_date_precision', coalesce(prec,
                    case length(rd) when 4 then 'year' when 7 then 'month' else 'day' end))),
        'fixture')
$$;

-- An API play: played_at is its start; duration_ms the track's.
create function t_api(id text, at timestamptz, dur integer default null) returns bigint
language sql as $$
    insert into raw.plays (source, played_at, track_id, duration_ms, payload, object, line)
    values ('api', at, id, dur, '{}', 'fixture', 0)
    returning play_id
$$;

-- An export play: played_at is the export's ts (its end).
create function t_export(id text, at timestamptz, ms integer, reason_end text default 'trackdone',
    skipped boolean default null, dup_of bigint default null) returns bigint
language sql as $$
    insert into raw.plays (source, played_at, track_id, ms_played, reason_start, reason_end,
        skipped, shuffle, dup_of, payload, object, line)
    values ('export', at, id, ms, 'clickrow', reason_end, skipped, false, dup_of, '{}', 'fixture', 0)
    returning play_id
$$;
