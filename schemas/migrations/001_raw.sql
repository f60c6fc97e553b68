-- 001_raw.sql: the raw layer that sp-load fills and the SQL models read.
-- Applied by the tools (sp-load, the model runner), never by hand; each
-- migration runs once, recorded in raw.schema_migrations.
--
-- Every raw table keeps the keys a model needs as columns and the whole
-- staged record as jsonb (payload), so that a field Spotify removes is only
-- absent from the payload, never a load failure.

create schema if not exists raw;

-- Plays, from the API (recently-played) and from privacy exports.
-- API rows: played_at is Spotify's played_at; ms_played is null;
--   duration_ms is the track's duration.
-- Export rows: played_at is the export's ts (the end of the play);
--   ms_played, reason_start, reason_end, skipped, shuffle as exported;
--   track_id is null when the export has no URI (account-data history).
-- The same listen seen by both sources is one row with dup_of null (the
-- canonical one, preferring the API row) and others pointing at it:
-- played_at values differ by up to the play's length.
create table raw.plays (
    play_id      bigserial primary key,
    source       text not null check (source in ('api', 'export')),
    played_at    timestamptz not null,
    track_id     text,
    track_name   text,
    artist_name  text,
    album_name   text,
    ms_played    integer,
    duration_ms  integer,
    reason_start text,
    reason_end   text,
    skipped      boolean,
    shuffle      boolean,
    context_uri  text,
    dup_of       bigint references raw.plays (play_id),
    payload      jsonb not null,
    object       text not null,
    line         integer not null
);
create unique index plays_source_key on raw.plays
    (source, played_at, coalesce(track_id, ''), coalesce(track_name, ''));
create index plays_track on raw.plays (track_id);
create index plays_time on raw.plays (played_at);

-- Podcast episodes and audiobooks from exports, kept apart from music.
create table raw.other_plays (
    kind       text not null,           -- 'episode' or 'audiobook'
    played_at  timestamptz not null,
    uri        text,
    name       text,
    show_name  text,
    ms_played  integer,
    payload    jsonb not null,
    object     text not null,
    line       integer not null,
    primary key (kind, played_at, uri)
);

-- Catalogue entities: the latest fetch wins.  source says how the entity
-- was found: 'recently-played', 'saved', 'playlist', 'releases', 'search',
-- 'artists', 'albums'.
create table raw.tracks (
    track_id   text primary key,
    fetched_at timestamptz not null,
    source     text not null,
    payload    jsonb not null,         -- the Spotify track object
    object     text not null
);
create table raw.artists (
    artist_id  text primary key,
    fetched_at timestamptz not null,
    source     text not null,
    payload    jsonb not null,         -- the Spotify artist object
    object     text not null
);
create table raw.albums (
    album_id   text primary key,
    fetched_at timestamptz not null,
    source     text not null,
    payload    jsonb not null,         -- the Spotify album object
    object     text not null
);
create table raw.saved_tracks (
    track_id   text primary key,
    added_at   timestamptz not null,
    fetched_at timestamptz not null,
    payload    jsonb not null,
    object     text not null
);
create table raw.playlist_items (
    playlist_id text not null,
    position    integer not null,
    track_id    text,
    added_at    timestamptz,
    fetched_at  timestamptz not null,
    payload     jsonb not null,
    object      text not null,
    primary key (playlist_id, position)
);

-- One row per staged object loaded: loading an object and writing its
-- ledger row happen in one transaction, so an object is loaded exactly once.
create table raw.load_ledger (
    object     text primary key,        -- store-relative name of the object
    checksum   text not null,           -- sha256 of the object's bytes
    rows       integer not null,
    rejected   integer not null default 0,
    loaded_at  timestamptz not null default now()
);

create table raw.rejects (
    object     text not null,
    line       integer not null,
    reason     text not null,
    record     text,
    rejected_at timestamptz not null default now(),
    primary key (object, line)
);
