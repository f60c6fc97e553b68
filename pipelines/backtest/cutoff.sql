-- pipelines/backtest/cutoff.sql: the files of one backtest cutoff.
-- Variables: T (the cutoff date), W (window days), TAU (history recency
-- in days), DIR (output directory).  Writes DIR/features.ndjson (one row
-- per track released before T + W: its audio features, also as z-scores
-- z_* over these rows, since cosine similarity wants centred features),
-- history.ndjson, truth.ndjson and candidates.ndjson.  Only pre-T information enters a feature: an
-- artist's genres and playlists are those of the playlists holding the
-- artist's tracks released before T; a candidate's own memberships are
-- the truth and appear nowhere else.
\set ON_ERROR_STOP on
\pset format unaligned
\pset tuples_only on
\set QUIET on
CREATE TEMP TABLE cut AS SELECT :'T'::date AS t, :'T'::date + :W AS e;
CREATE TEMP TABLE pre AS
	SELECT tr.* FROM bt_track tr, cut WHERE tr.released < cut.t;
CREATE TEMP TABLE cand AS
	SELECT tr.* FROM bt_track tr, cut
	WHERE tr.released >= cut.t AND tr.released < cut.e;
CREATE TEMP TABLE pre_member AS
	SELECT m.*, p.artist, p.released FROM bt_member m JOIN pre p USING (track_id);
CREATE TEMP TABLE artist_info AS
	SELECT artist, array_agg(DISTINCT subgenre ORDER BY subgenre) AS subgenres,
		array_agg(DISTINCT playlist_id ORDER BY playlist_id) AS playlists
	FROM pre_member JOIN bt_playlist USING (playlist_id)
	WHERE artist IS NOT NULL GROUP BY artist;
-- The listeners scored: at least 5 history tracks and 1 truth track.
CREATE TEMP TABLE scored AS
	SELECT h.playlist_id FROM
		(SELECT playlist_id FROM pre_member GROUP BY playlist_id
		 HAVING count(*) >= 5) h
	JOIN (SELECT DISTINCT m.playlist_id FROM bt_member m JOIN cand USING (track_id)) c
	USING (playlist_id);

\set f :DIR '/features.ndjson'
\o :f
SELECT json_build_object('track_id', x.track_id,
	'release_date', to_char(x.released, 'YYYY-MM-DD'),
	'artist_ids', CASE WHEN x.artist IS NULL THEN '[]'::json
		ELSE json_build_array(x.artist) END,
	'popularity', x.popularity,
	'danceability', x.danceability, 'energy', x.energy,
	'key', x.key::text, 'loudness', x.loudness, 'mode', x.mode::text,
	'speechiness', x.speechiness, 'acousticness', x.acousticness,
	'instrumentalness', x.instrumentalness, 'liveness', x.liveness,
	'valence', x.valence, 'tempo', x.tempo, 'duration_ms', x.duration_ms,
	'genres', coalesce(a.subgenres, '{}'),
	'artist_playlists', coalesce(a.playlists, '{}'),
	'z_danceability', round(((x.danceability - avg(x.danceability) OVER ()) /
		nullif(stddev_pop(x.danceability) OVER (), 0))::numeric, 4),
	'z_energy', round(((x.energy - avg(x.energy) OVER ()) /
		nullif(stddev_pop(x.energy) OVER (), 0))::numeric, 4),
	'z_loudness', round(((x.loudness - avg(x.loudness) OVER ()) /
		nullif(stddev_pop(x.loudness) OVER (), 0))::numeric, 4),
	'z_speechiness', round(((x.speechiness - avg(x.speechiness) OVER ()) /
		nullif(stddev_pop(x.speechiness) OVER (), 0))::numeric, 4),
	'z_acousticness', round(((x.acousticness - avg(x.acousticness) OVER ()) /
		nullif(stddev_pop(x.acousticness) OVER (), 0))::numeric, 4),
	'z_instrumentalness', round(((x.instrumentalness - avg(x.instrumentalness) OVER ()) /
		nullif(stddev_pop(x.instrumentalness) OVER (), 0))::numeric, 4),
	'z_liveness', round(((x.liveness - avg(x.liveness) OVER ()) /
		nullif(stddev_pop(x.liveness) OVER (), 0))::numeric, 4),
	'z_valence', round(((x.valence - avg(x.valence) OVER ()) /
		nullif(stddev_pop(x.valence) OVER (), 0))::numeric, 4),
	'z_tempo', round(((x.tempo - avg(x.tempo) OVER ()) /
		nullif(stddev_pop(x.tempo) OVER (), 0))::numeric, 4),
	'z_duration_ms', round(((x.duration_ms - avg(x.duration_ms) OVER ()) /
		nullif(stddev_pop(x.duration_ms) OVER (), 0))::numeric, 4))
FROM (SELECT * FROM pre UNION ALL SELECT * FROM cand) x
LEFT JOIN artist_info a USING (artist)
ORDER BY x.track_id;

-- History weights fall with a track's age at T: exp(-age / TAU).
\set f :DIR '/history.ndjson'
\o :f
SELECT json_build_object('user', m.playlist_id, 'track_id', m.track_id,
	'weight', round(exp(-((cut.t - m.released)::numeric / :TAU)), 6))
FROM pre_member m JOIN scored USING (playlist_id), cut
ORDER BY m.playlist_id, m.track_id;

\set f :DIR '/truth.ndjson'
\o :f
SELECT json_build_object('user', m.playlist_id, 'track_id', m.track_id)
FROM bt_member m JOIN cand USING (track_id) JOIN scored USING (playlist_id)
ORDER BY m.playlist_id, m.track_id;

\set f :DIR '/candidates.ndjson'
\o :f
SELECT json_build_object('track_id', track_id) FROM cand ORDER BY track_id;

-- Every credited artist and the name of each track: the labels of sp-eval's
-- exploit/discovery split and of the community method's rerank, with the
-- album's name, the artists' names and the release date in the API's
-- shape (YYYY, YYYY-MM or YYYY-MM-DD) for its catalogue tokens.
\set f :DIR '/credits.ndjson'
\o :f
SELECT json_build_object('track_id', x.track_id, 'artist_ids', to_json(t.credits),
	'track_name', t.name, 'album_name', t.album_name,
	'artist_names', to_json(t.credits),
	'release_date', to_char(t.released, CASE t.release_precision
		WHEN 'year' THEN 'YYYY' WHEN 'month' THEN 'YYYY-MM' ELSE 'YYYY-MM-DD' END))
FROM (SELECT track_id FROM pre UNION ALL SELECT track_id FROM cand) x
JOIN bt_track t USING (track_id) ORDER BY x.track_id;
\o
