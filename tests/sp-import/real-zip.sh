#!/usr/bin/env bash
# sp-import reads a ZIP of the real exports: every play of every history,
# each record as reference.jq maps it, and nothing from the other files.
. "$SP_ROOT/tests/lib/lib.sh"
. "$SP_ROOT/tests/sp-import/export.inc"
need_data listening-histories

make_zip
expected expect
expect_status 0 sp-import --fetched-at "$AT" export.zip
expect_file expect out

# Records per file equal the lengths of the source arrays.
histories | while IFS= read -r e; do
	printf '%s %s\n' "$(jq length "tree/$e")" "$e"
done >counts.expect
jq -r .file out | uniq -c | sed 's/^ *//' >counts.got
expect_file counts.expect counts.got
expect_eq "plays in all" 20017 "$(wc -l <out)"

# A few records exactly as they must be.
sed -n 1p out >first
cat >first.expect <<'X'
{"kind":"play","source":"export","fetched_at":"2026-01-01T00:00:00Z","file":"Spotify Account Data/StreamingHistory0.json","data":{"ts":"2019-09-21T18:29:00Z","ms_played":90007,"spotify_track_uri":null,"master_metadata_track_name":"Your Results Are a Mirror (Motivational Speech)","master_metadata_album_artist_name":"Fearless Motivation","master_metadata_album_album_name":null,"reason_start":null,"reason_end":null,"skipped":null,"shuffle":null,"offline":null,"incognito_mode":null,"platform":null,"conn_country":null}}
X
expect_file first.expect first
grep -m1 '"ts":"2022-11-12T13:59:51Z"' out >ext
cat >ext.expect <<'X'
{"kind":"play","source":"export","fetched_at":"2026-01-01T00:00:00Z","file":"Spotify Extended Streaming History/Streaming_History_Audio_2022.json","data":{"ts":"2022-11-12T13:59:51Z","ms_played":66871,"spotify_track_uri":"spotify:track:37f4ITSlgPX81ad2EvmVQr","master_metadata_track_name":"Fight Song","master_metadata_album_artist_name":"Rachel Platten","master_metadata_album_album_name":"Wildfire","reason_start":"clickrow","reason_end":"endplay","skipped":true,"shuffle":false,"offline":false,"incognito_mode":false,"platform":"android","conn_country":"IN"}}
X
expect_file ext.expect ext
grep -m1 '"ts":"2024-08-02T20:07:28Z"' out >ep
cat >ep.expect <<'X'
{"kind":"episode","source":"export","fetched_at":"2026-01-01T00:00:00Z","file":"Spotify Extended Streaming History/Streaming_History_Audio_2024_4.json","data":{"ts":"2024-08-02T20:07:28Z","ms_played":48240,"spotify_episode_uri":"spotify:episode:3xhxQVrc63bVnheJgMYs43","episode_name":"Synastry: The Astrology of Relationships","episode_show_name":"The Astrology Podcast","reason_start":"clickrow","reason_end":"logout","skipped":false,"shuffle":false,"offline":false,"incognito_mode":false,"platform":"android","conn_country":"AR"}}
X
expect_file ep.expect ep

# Plays and episodes as SOURCES.md counts them; no ip_addr anywhere.
expect_eq "kinds" "364 episode
19653 play" "$(jq -r .kind out | sort | uniq -c | sed 's/^ *//')"
grep -q ip_addr out && fail "ip_addr copied"
exit 0
