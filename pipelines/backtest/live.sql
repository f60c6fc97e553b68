-- pipelines/backtest/live.sql: the live method's input for one cutoff,
-- run after cutoff.sql in the same psql session (its temporary tables).
-- Writes DIR/live.tsv: per scored listener, one line per row of the
-- features.ndjson that listener's own sp would have (sp-features: the
-- columns of mart_spotify__merged_tracks that the 2026 API can fill),
-- "playlist id <TAB> JSON", ordered by playlist.
--
-- A listener's sp knows its own plays and the catalogue data the API
-- sends for a track, nothing else: the playlist's pre-T tracks stand for
-- its plays (one play each, at the track's release date, as the other
-- methods' history weights have it), and the rows are those tracks plus
-- the window's candidates.  The per-listener columns are computed as the
-- live models compute them (int_spotify__artist_listens,
-- int_spotify__album_listens, mart_spotify__merged_tracks) as of the end
-- of the window's last day: a play counts once for each credited artist,
-- a track takes the largest count (share) among its artists, shares are
-- of the plays in the same window.  No audio features, no popularity, no
-- other listener's data; no genres (the CSV has none at artist level),
-- no skips or saves (it has none), no explicit flag or album type (it
-- does not say).  Release dates have the API's shape (YYYY, YYYY-MM or
-- YYYY-MM-DD, as stg_spotify__albums keeps them).
\set ON_ERROR_STOP on
\pset format unaligned
\pset tuples_only on
\pset fieldsep '\t'
\set QUIET on
CREATE TEMP TABLE live_params AS
	SELECT (cut.e - 1)::timestamp + interval '23:59:59' AS as_of FROM cut;
CREATE TEMP TABLE live_play AS
	SELECT m.playlist_id, t.track_id, t.credits, t.album_id,
		t.released::timestamp AS played_at,
		t.released::timestamp > p.as_of - interval '3 months' AS in_3m,
		t.released::timestamp > p.as_of - interval '1 year' AS in_1y
	FROM pre_member m JOIN scored USING (playlist_id)
	JOIN bt_track t USING (track_id), live_params p;
CREATE TEMP TABLE live_totals AS
	SELECT playlist_id, count(*) FILTER (WHERE in_3m) AS n_3m,
		count(*) FILTER (WHERE in_1y) AS n_1y, count(*) AS n_lifetime
	FROM live_play GROUP BY playlist_id;
CREATE TEMP TABLE live_artist AS
	SELECT p.playlist_id, x.artist,
		count(*) FILTER (WHERE p.in_3m) AS c3,
		count(*) FILTER (WHERE p.in_1y) AS c1,
		count(*) AS cl,
		coalesce(round((count(*) FILTER (WHERE p.in_3m))::numeric / nullif(max(n.n_3m), 0), 6), 0) AS s3,
		coalesce(round((count(*) FILTER (WHERE p.in_1y))::numeric / nullif(max(n.n_1y), 0), 6), 0) AS s1,
		coalesce(round(count(*)::numeric / nullif(max(n.n_lifetime), 0), 6), 0) AS sl
	FROM live_play p
	CROSS JOIN LATERAL (SELECT DISTINCT unnest(p.credits)) AS x(artist)
	JOIN live_totals n USING (playlist_id)
	GROUP BY p.playlist_id, x.artist;
CREATE TEMP TABLE live_album AS
	SELECT p.playlist_id, p.album_id,
		count(*) FILTER (WHERE p.in_3m) AS c3,
		count(*) FILTER (WHERE p.in_1y) AS c1,
		count(*) AS cl,
		coalesce(round(count(*)::numeric / nullif(max(n.n_lifetime), 0), 6), 0) AS sl
	FROM live_play p JOIN live_totals n USING (playlist_id)
	WHERE p.album_id IS NOT NULL
	GROUP BY p.playlist_id, p.album_id;
-- The rows: the listener's tracks, then every candidate.
CREATE TEMP TABLE live_rows AS
	SELECT playlist_id, track_id, true AS heard, played_at FROM live_play
	UNION ALL
	SELECT s.playlist_id, c.track_id, false, NULL::timestamp
	FROM scored s, cand c;
CREATE TEMP TABLE live_agg AS
	SELECT r.playlist_id, r.track_id,
		max(a.c3) AS c3, max(a.c1) AS c1, max(a.cl) AS cl,
		max(a.s3) AS s3, max(a.s1) AS s1, max(a.sl) AS sl
	FROM live_rows r JOIN bt_track t USING (track_id)
	CROSS JOIN LATERAL unnest(t.credits) AS x(artist)
	JOIN live_artist a ON a.playlist_id = r.playlist_id AND a.artist = x.artist
	GROUP BY r.playlist_id, r.track_id;

\set f :DIR '/live.tsv'
\o :f
SELECT r.playlist_id, json_build_object('track_id', t.track_id,
	'release_date', to_char(t.released, CASE t.release_precision
		WHEN 'year' THEN 'YYYY' WHEN 'month' THEN 'YYYY-MM' ELSE 'YYYY-MM-DD' END),
	'release_date_precision', t.release_precision,
	'heard', r.heard, 'liked', false,
	'artist_ids', to_json(t.credits), 'artist_names', to_json(t.credits),
	'track_name', t.name, 'album_id', t.album_id, 'album_name', t.album_name,
	'album_type', NULL, 'duration_ms', t.duration_ms, 'explicit', NULL,
	'genres', '[]'::json, 'genre_count', 0,
	'play_count_3m', CASE WHEN r.heard AND r.played_at > p.as_of - interval '3 months' THEN 1 ELSE 0 END,
	'play_count_1y', CASE WHEN r.heard AND r.played_at > p.as_of - interval '1 year' THEN 1 ELSE 0 END,
	'play_count_lifetime', CASE WHEN r.heard THEN 1 ELSE 0 END,
	'skip_count_lifetime', 0, 'skip_rate_3m', NULL, 'skip_rate_1y', NULL,
	'skip_rate_lifetime', NULL, 'avg_share_listened', NULL,
	'artist_listen_count_3m', coalesce(g.c3, 0),
	'artist_listen_count_1y', coalesce(g.c1, 0),
	'artist_listen_count_lifetime', coalesce(g.cl, 0),
	'artist_listen_share_3m', coalesce(g.s3, 0),
	'artist_listen_share_1y', coalesce(g.s1, 0),
	'artist_listen_share_lifetime', coalesce(g.sl, 0),
	'album_listen_count_3m', coalesce(al.c3, 0),
	'album_listen_count_1y', coalesce(al.c1, 0),
	'album_listen_count_lifetime', coalesce(al.cl, 0),
	'album_listen_share_lifetime', coalesce(al.sl, 0),
	'genre_listen_count_3m', 0, 'genre_listen_count_1y', 0,
	'genre_listen_count_lifetime', 0, 'genre_listen_share_3m', 0,
	'genre_listen_share_1y', 0, 'genre_listen_share_lifetime', 0,
	'first_played_at', to_char(r.played_at, 'YYYY-MM-DD"T"HH24:MI:SS'),
	'last_played_at', to_char(r.played_at, 'YYYY-MM-DD"T"HH24:MI:SS'),
	'candidate_source', CASE WHEN r.heard THEN NULL
		WHEN g.cl IS NOT NULL THEN 'releases' ELSE 'search' END)
FROM live_rows r JOIN bt_track t USING (track_id)
LEFT JOIN live_agg g USING (playlist_id, track_id)
LEFT JOIN live_album al ON al.playlist_id = r.playlist_id AND al.album_id = t.album_id,
live_params p
ORDER BY r.playlist_id, t.track_id;
\o
