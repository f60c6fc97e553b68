-- pipelines/backtest/load.sql: loads spotify_songs.csv (on psql's stdin)
-- into bt_track (one row per track) and bt_member (playlist membership).
-- COPY's CSV parser handles the quoted names with commas and quotes; "NA"
-- (the R export's missing value, 5 rows) becomes NULL.
\set ON_ERROR_STOP on
SET client_min_messages = warning;
DROP TABLE IF EXISTS bt_raw, bt_track, bt_member, bt_playlist CASCADE;
CREATE TABLE bt_raw (
	track_id text NOT NULL, track_name text, track_artist text,
	track_popularity int, track_album_id text, track_album_name text,
	track_album_release_date text NOT NULL, playlist_name text,
	playlist_id text NOT NULL, playlist_genre text, playlist_subgenre text,
	danceability float8, energy float8, key int, loudness float8, mode int,
	speechiness float8, acousticness float8, instrumentalness float8,
	liveness float8, valence float8, tempo float8, duration_ms float8);
\copy bt_raw FROM pstdin WITH (FORMAT csv, HEADER true, NULL 'NA')

-- A track's attributes are the same on each of its rows; partial release
-- dates (YYYY, YYYY-MM) mean the first day of the period, as in sp-cosine.
CREATE TABLE bt_track AS
SELECT DISTINCT ON (track_id) track_id, track_artist AS artist,
	track_popularity AS popularity,
	(CASE length(track_album_release_date)
	 WHEN 4 THEN track_album_release_date || '-01-01'
	 WHEN 7 THEN track_album_release_date || '-01'
	 ELSE track_album_release_date END)::date AS released,
	danceability, energy, key, loudness, mode, speechiness, acousticness,
	instrumentalness, liveness, valence, tempo, duration_ms
FROM bt_raw ORDER BY track_id;

-- A playlist may be listed under several genres: membership and genres
-- are kept apart so that each (playlist, track) pair counts once.
CREATE TABLE bt_member AS
SELECT DISTINCT playlist_id, track_id FROM bt_raw;
CREATE TABLE bt_playlist AS
SELECT DISTINCT playlist_id, playlist_genre AS genre,
	playlist_subgenre AS subgenre
FROM bt_raw;
ANALYZE bt_track;
ANALYZE bt_member;
ANALYZE bt_playlist;
