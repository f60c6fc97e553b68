#!/usr/bin/env bash
# Podcasts, audiobooks and videos are kept apart from music by "kind", in
# both formats; -k picks kinds.
. "$SP_ROOT/tests/lib/lib.sh"

mkdir -p e
cat >e/Streaming_History_Audio_2025.json <<'X'
[
  {"ts": "2025-01-01T10:00:00Z", "platform": "linux", "ms_played": 1000, "conn_country": "SE", "ip_addr": "10.0.0.1",
   "master_metadata_track_name": "T", "master_metadata_album_artist_name": "A", "master_metadata_album_album_name": "B",
   "spotify_track_uri": "spotify:track:4uLU6hMCjMI75M1A2tKUQC", "episode_name": null, "episode_show_name": null,
   "spotify_episode_uri": null, "audiobook_title": null, "audiobook_uri": null, "audiobook_chapter_uri": null,
   "audiobook_chapter_title": null, "reason_start": "clickrow", "reason_end": "trackdone", "shuffle": false,
   "skipped": false, "offline": false, "offline_timestamp": 1735725600, "incognito_mode": false},
  {"ts": "2025-01-01T11:00:00Z", "ms_played": 2000, "master_metadata_track_name": null,
   "spotify_track_uri": null, "episode_name": "E1", "episode_show_name": "S", "spotify_episode_uri": "spotify:episode:1"},
  {"ts": "2025-01-01T12:00:00Z", "ms_played": 3000, "spotify_track_uri": null, "spotify_episode_uri": null,
   "audiobook_title": "Book", "audiobook_uri": "spotify:show:9", "audiobook_chapter_uri": "spotify:episode:9",
   "audiobook_chapter_title": "Ch 1"},
  {"ts": "2025-01-01T13:00:00Z", "ms_played": 4000, "master_metadata_track_name": "local file", "spotify_track_uri": null}
]
X
cat >e/Streaming_History_Video_2025.json <<'X'
[{"ts": "2025-01-02T10:00:00Z", "ms_played": 5000, "spotify_episode_uri": "spotify:episode:2", "episode_name": "V"}]
X
cat >e/StreamingHistory_podcast_0.json <<'X'
[
  {
    "endTime" : "2025-01-03 09:05",
    "podcastName" : "Pod",
    "episodeName" : "Ep",
    "msPlayed" : 6000
  }
]
X
cat >expect <<'X'
{"kind":"episode","source":"export","fetched_at":"2026-01-01T00:00:00Z","file":"StreamingHistory_podcast_0.json","data":{"ts":"2025-01-03T09:05:00Z","ms_played":6000,"spotify_episode_uri":null,"episode_name":"Ep","episode_show_name":"Pod","reason_start":null,"reason_end":null,"skipped":null,"shuffle":null,"offline":null,"incognito_mode":null,"platform":null,"conn_country":null}}
{"kind":"play","source":"export","fetched_at":"2026-01-01T00:00:00Z","file":"Streaming_History_Audio_2025.json","data":{"ts":"2025-01-01T10:00:00Z","ms_played":1000,"spotify_track_uri":"spotify:track:4uLU6hMCjMI75M1A2tKUQC","master_metadata_track_name":"T","master_metadata_album_artist_name":"A","master_metadata_album_album_name":"B","reason_start":"clickrow","reason_end":"trackdone","skipped":false,"shuffle":false,"offline":false,"incognito_mode":false,"platform":"linux","conn_country":"SE"}}
{"kind":"episode","source":"export","fetched_at":"2026-01-01T00:00:00Z","file":"Streaming_History_Audio_2025.json","data":{"ts":"2025-01-01T11:00:00Z","ms_played":2000,"spotify_episode_uri":"spotify:episode:1","episode_name":"E1","episode_show_name":"S","reason_start":null,"reason_end":null,"skipped":null,"shuffle":null,"offline":null,"incognito_mode":null,"platform":null,"conn_country":null}}
{"kind":"audiobook","source":"export","fetched_at":"2026-01-01T00:00:00Z","file":"Streaming_History_Audio_2025.json","data":{"ts":"2025-01-01T12:00:00Z","ms_played":3000,"audiobook_uri":"spotify:show:9","audiobook_title":"Book","audiobook_chapter_uri":"spotify:episode:9","audiobook_chapter_title":"Ch 1","reason_start":null,"reason_end":null,"skipped":null,"shuffle":null,"offline":null,"incognito_mode":null,"platform":null,"conn_country":null}}
{"kind":"play","source":"export","fetched_at":"2026-01-01T00:00:00Z","file":"Streaming_History_Audio_2025.json","data":{"ts":"2025-01-01T13:00:00Z","ms_played":4000,"spotify_track_uri":null,"master_metadata_track_name":"local file","master_metadata_album_artist_name":null,"master_metadata_album_album_name":null,"reason_start":null,"reason_end":null,"skipped":null,"shuffle":null,"offline":null,"incognito_mode":null,"platform":null,"conn_country":null}}
{"kind":"video","source":"export","fetched_at":"2026-01-01T00:00:00Z","file":"Streaming_History_Video_2025.json","data":{"ts":"2025-01-02T10:00:00Z","ms_played":5000,"spotify_track_uri":null,"master_metadata_track_name":null,"master_metadata_album_artist_name":null,"master_metadata_album_album_name":null,"spotify_episode_uri":"spotify:episode:2","episode_name":"V","episode_show_name":null,"reason_start":null,"reason_end":null,"skipped":null,"shuffle":null,"offline":null,"incognito_mode":null,"platform":null,"conn_country":null}}
X
expect_status 0 sp-import --fetched-at 2026-01-01T00:00:00Z e
expect_file expect out

# The jq restatement agrees (it is what the real-data cases compare with).
for f in StreamingHistory_podcast_0.json Streaming_History_Audio_2025.json Streaming_History_Video_2025.json; do
	v=false
	case $f in *Video*) v=true ;; esac
	jq -c --arg file "$f" --arg at 2026-01-01T00:00:00Z --arg video "$v" \
	    -f "$SP_ROOT/tests/sp-import/reference.jq" "e/$f"
done >ref
expect_file expect ref

expect_status 0 sp-import -k episode,audiobook --fetched-at 2026-01-01T00:00:00Z e
grep -E '"kind":"(episode|audiobook)"' expect >expect.k
expect_file expect.k out

expect_status 2 sp-import -k songs e
expect_err "sp-import: --kind: unknown kind 'songs' (play, episode, audiobook, video)"
exit 0
