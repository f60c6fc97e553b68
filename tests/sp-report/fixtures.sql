-- fixtures.sql: hand-made raw rows in the shape sp-load writes
-- (schemas/migrations/001_raw.sql), for the sp-report cases.
create function r_artist(id text, name text, genres text[] default '{}') returns void
language sql as $$
    insert into raw.artists (artist_id, fetched_at, source, payload, object)
    values (id, '2026-11-20 08:00+00', 'artists',
        jsonb_build_object('id', id, 'name', name, 'type', 'artist', 'genres', to_jsonb(genres)),
        'fixture')
$$;

-- A track of the first artist's name; rd the album's release date.
create function r_track(id text, name text, artists text[], rd text default '2020-01-01',
    dur integer default 200000, src text default 'recently-played') returns void
language sql as $$
    insert into raw.tracks (track_id, fetched_at, source, payload, object)
    values (id, '2026-11-20 08:00+00', src,
        jsonb_build_object('id', id, 'name', name, 'type', 'track', 'duration_ms', dur,
            'explicit', false,
            'artists', coalesce((select jsonb_agg(jsonb_build_object('id', a, 'name', 'Artist ' || a))
                                 from unnest(artists) a), '[]'::jsonb),
            'album', jsonb_build_object('id', 'al-' || id, 'name', 'Album ' || id,
                'album_type', 'album', 'release_date', rd,
                'release_date_precision', 'day')),
        'fixture')
$$;

-- An export play (ts = its end) with the listening details that decide a skip.
create function r_play(id text, at timestamptz, ms integer default 200000,
    reason_end text default 'trackdone') returns void
language sql as $$
    insert into raw.plays (source, played_at, track_id, ms_played, reason_start, reason_end,
        skipped, shuffle, payload, object, line)
    values ('export', at, id, ms, 'clickrow', reason_end, null, false, '{}', 'fixture', 0)
$$;
