#!/usr/bin/env bash
# Account-data history (StreamingHistory*.json: endTime, msPlayed,
# artistName, trackName) becomes the extended field names: ts
# "YYYY-MM-DDTHH:MM:00Z", no URI, the rest null.
. "$SP_ROOT/tests/lib/lib.sh"
need_data listening-histories
f=$(echo "$SP_DATA"/listening-histories/akshetP-*/StreamingHistory0.json)

expect_status 0 sp-import --fetched-at 2026-01-01T00:00:00Z "$f"
expect_eq "records" "$(jq length "$f")" "$(wc -l <out)"
head -n 2 out >got
cat >expect <<'X'
{"kind":"play","source":"export","fetched_at":"2026-01-01T00:00:00Z","file":"StreamingHistory0.json","data":{"ts":"2019-09-21T18:29:00Z","ms_played":90007,"spotify_track_uri":null,"master_metadata_track_name":"Your Results Are a Mirror (Motivational Speech)","master_metadata_album_artist_name":"Fearless Motivation","master_metadata_album_album_name":null,"reason_start":null,"reason_end":null,"skipped":null,"shuffle":null,"offline":null,"incognito_mode":null,"platform":null,"conn_country":null}}
{"kind":"play","source":"export","fetched_at":"2026-01-01T00:00:00Z","file":"StreamingHistory0.json","data":{"ts":"2019-09-24T18:59:00Z","ms_played":18791,"spotify_track_uri":null,"master_metadata_track_name":"I Don't Miss You at All","master_metadata_album_artist_name":"FINNEAS","master_metadata_album_album_name":null,"reason_start":null,"reason_end":null,"skipped":null,"shuffle":null,"offline":null,"incognito_mode":null,"platform":null,"conn_country":null}}
X
expect_file expect got

# Every record: the same times, durations, names as the source, in order.
jq -r '.[] | [(.endTime | sub(" "; "T") + ":00Z"), .msPlayed, .artistName, .trackName] | @tsv' "$f" >src.tsv
jq -r '.data | [.ts, .ms_played, .master_metadata_album_artist_name, .master_metadata_track_name] | @tsv' out >got.tsv
expect_file src.tsv got.tsv
expect_eq "kinds" "play" "$(jq -r .kind out | sort -u)"
expect_eq "uris" "null" "$(jq -c .data.spotify_track_uri out | sort -u)"
exit 0
