-- pipelines/backtest/load.sql: loads spotify_songs.csv (on psql's stdin)
-- into bt_track (one row per track) and bt_member (playlist membership).
-- COPY's CSV parser handles the quoted names with commas and quotes; "NA"
-- (the R export's missing value, 5 rows) becomes NULL.
\set ON_ERROR_STOP on
SET client_min_messages = warning;
DROP TABLE IF EXISTS bt_raw, bt_track, bt_member, bt_playlist CASCADE;
DROP FUNCTION IF EXISTS bt_credits;
CREATE TABLE bt_raw (
	track_id text NOT NULL, track_name text, track_artist text,
	track_popularity int, track_album_id text, track_album_name text,
	track_album_release_date text NOT NULL, playlist_name text,
	playlist_id text NOT NULL, playlist_genre text, playlist_subgenre text,
	danceability float8, energy float8, key int, loudness float8, mode int,
	speechiness float8, acousticness float8, instrumentalness float8,
	liveness float8, valence float8, tempo float8, duration_ms float8);
\copy bt_raw FROM pstdin WITH (FORMAT csv, HEADER true, NULL 'NA')

-- Every artist credited on a track, as the API lists them: the CSV names
-- one, the others are in the title: "(feat. A & B)", "[with A]",
-- "feat. A" without brackets (also "ft.", "featuring"), names split at
-- ", ", " & " and " and ".
CREATE FUNCTION bt_credits(name text, artist text) RETURNS text[]
LANGUAGE sql IMMUTABLE AS $$
	SELECT array_agg(a ORDER BY o) FROM (
		SELECT a, min(o) AS o FROM (
			SELECT artist AS a, 0 AS o WHERE artist IS NOT NULL
			UNION ALL
			SELECT btrim(x.a), m.o * 100 + x.o
			FROM regexp_matches(coalesce(name, ''),
			    '(?:[(\[]\s*(?:feat\.?|ft\.|featuring|with)\s+([^)\]]+)[)\]])|(?:\s(?:feat\.|ft\.|featuring)\s+([^()\[\]]+?)(?:\s+-\s.*)?$)',
			    'gi') WITH ORDINALITY AS m(g, o),
			    regexp_split_to_table(coalesce(m.g[1], m.g[2]), '\s*(?:,|&|\s(?:and|feat\.|ft\.)\s)\s*', 'i')
			    WITH ORDINALITY AS x(a, o)
		) c WHERE btrim(a) <> '' GROUP BY a) d
$$;

-- A track's attributes are the same on each of its rows (in
-- spotify_songs.csv; where a test's CSV differs, the first playlist's row
-- is taken, so that a rerun picks the same one); partial release dates
-- (YYYY, YYYY-MM) mean the first day of the period, as in sp-cosine.
CREATE TABLE bt_track AS
SELECT DISTINCT ON (track_id) track_id, track_artist AS artist,
	track_popularity AS popularity,
	(CASE length(track_album_release_date)
	 WHEN 4 THEN track_album_release_date || '-01-01'
	 WHEN 7 THEN track_album_release_date || '-01'
	 ELSE track_album_release_date END)::date AS released,
	danceability, energy, key, loudness, mode, speechiness, acousticness,
	instrumentalness, liveness, valence, tempo, duration_ms,
	track_name AS name, track_album_id AS album_id,
	track_album_name AS album_name,
	CASE length(track_album_release_date) WHEN 4 THEN 'year'
	 WHEN 7 THEN 'month' ELSE 'day' END AS release_precision,
	bt_credits(track_name, track_artist) AS credits
FROM bt_raw ORDER BY track_id, playlist_id, playlist_genre, playlist_subgenre;

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
