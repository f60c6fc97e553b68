# reference.jq: sp-import's mapping of one history file, restated in jq for
# the tests to compare against.  Input: the file's array.  Arguments:
# $file (the entry name), $at (fetched_at), $video ("true" for a
# Streaming_History_Video file).
def anyset(f): [f] | any(. != null);
def kind:
	if $video == "true" then "video"
	elif has("endTime") then (if has("podcastName") or has("episodeName") then "episode" else "play" end)
	elif anyset(.audiobook_uri, .audiobook_chapter_uri, .audiobook_title, .audiobook_chapter_title) then "audiobook"
	elif anyset(.spotify_episode_uri, .episode_name, .episode_show_name) then "episode"
	else "play" end;
def norm:
	if has("endTime") then
		{ts: (.endTime | sub(" "; "T") + ":00Z"), ms_played: .msPlayed,
		 master_metadata_track_name: .trackName,
		 master_metadata_album_artist_name: .artistName,
		 episode_name: .episodeName, episode_show_name: .podcastName}
	else . end;
def track: {spotify_track_uri, master_metadata_track_name,
	master_metadata_album_artist_name, master_metadata_album_album_name};
def episode: {spotify_episode_uri, episode_name, episode_show_name};
def audiobook: {audiobook_uri, audiobook_title, audiobook_chapter_uri, audiobook_chapter_title};
def tail: {reason_start, reason_end, skipped, shuffle, offline, incognito_mode,
	platform, conn_country};
.[] | kind as $k | norm |
	{kind: $k, source: "export", fetched_at: $at, file: $file,
	 data: ({ts, ms_played} +
		(if $k == "play" then track
		 elif $k == "episode" then episode
		 elif $k == "audiobook" then audiobook
		 else track + episode end) + tail)}
