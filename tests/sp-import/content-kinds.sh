#!/usr/bin/env bash
# An export entry whose name says nothing ("data/part1.json") is still
# classified by its content, record by record: music (a track), podcast
# episode, audiobook, and video (a record naming no track, episode or
# audiobook, as the video history's are), the same as under its real
# names; in a named audio history such a record stays a play.
. "$SP_ROOT/tests/lib/lib.sh"
AT=2026-01-01T00:00:00Z
music='{"ts": "2025-01-01T10:00:00Z", "ms_played": 1000, "master_metadata_track_name": "T", "master_metadata_album_artist_name": "A", "spotify_track_uri": "spotify:track:4uLU6hMCjMI75M1A2tKUQC", "spotify_episode_uri": null, "episode_name": null}'
local='{"ts": "2025-01-01T10:30:00Z", "ms_played": 1500, "master_metadata_track_name": "Home", "master_metadata_album_artist_name": "Tapes", "spotify_track_uri": "spotify:local:Tapes::Home:90", "spotify_episode_uri": null, "episode_name": null}'
episode='{"ts": "2025-01-01T11:00:00Z", "ms_played": 2000, "master_metadata_track_name": null, "spotify_track_uri": null, "episode_name": "E1", "episode_show_name": "S", "spotify_episode_uri": "spotify:episode:1"}'
book='{"ts": "2025-01-01T12:00:00Z", "ms_played": 3000, "spotify_track_uri": null, "audiobook_title": "Book", "audiobook_uri": "spotify:show:9", "audiobook_chapter_uri": "spotify:episode:9", "audiobook_chapter_title": "Ch 1"}'
video='{"ts": "2025-01-02T10:00:00Z", "ms_played": 5000, "master_metadata_track_name": null, "spotify_track_uri": null, "spotify_episode_uri": null, "episode_name": null}'

mkdir -p named data
printf '[%s,\n%s,\n%s,\n%s]\n' "$music" "$local" "$episode" "$book" >named/Streaming_History_Audio_2025.json
printf '[%s]\n' "$video" >named/Streaming_History_Video_2025.json
printf '[%s,\n%s,\n%s,\n%s,\n%s]\n' "$music" "$local" "$episode" "$book" "$video" >data/part1.json
(cd data && zip -q -X ../export.zip part1.json) || fail zip

expect_status 0 sp-import --fetched-at "$AT" named
jq -c 'del(.file)' out | sort >want
expect_status 0 sp-import -v --fetched-at "$AT" export.zip
jq -c 'del(.file)' out | sort >got
expect_file want got
expect_eq 'kinds' 'play play episode audiobook video' "$(jq -r .kind out | paste -sd' ')"
expect_eq 'summary' 'sp-import: export.zip/part1.json: extended history, 5 records: 2 plays, 1 episode, 1 audiobook, 1 video
sp-import: export.zip/part1.json: 1 local-file play kept (no Spotify id)
sp-import: imported 5 records from 1 history' "$(cat err)"
# The file given by itself, under its meaningless name: the same.
expect_status 0 sp-import --fetched-at "$AT" data/part1.json
jq -c 'del(.file)' out | sort >got
expect_file want got
# In a named audio history a record naming nothing stays a play.
printf '[%s]\n' "$video" >named/Streaming_History_Audio_2024.json
expect_status 0 sp-import --fetched-at "$AT" named/Streaming_History_Audio_2024.json
expect_eq 'named audio' play "$(jq -r .kind out)"
