# --offline writes the JSPF, M3U and CSV files (names from --tracks, each
# track's reason naming the first artist of the tracks played) and lists
# the playlist, without Spotify.
. "$SP_ROOT/tests/lib/lib.sh"

cat >recs.ndjson <<'X'
{"user":"u1","rank":1,"track_id":"AAAAAAAAAAAAAAAAAAAAAA","score":0.91234567,"because":[{"track_id":"CCCCCCCCCCCCCCCCCCCCCC","similarity":0.9},{"track_id":"DDDDDDDDDDDDDDDDDDDDDD","similarity":0.8}]}
{"user":"u2","rank":1,"track_id":"EEEEEEEEEEEEEEEEEEEEEE","score":0.5,"because":[]}
{"user":"u1","rank":2,"track_id":"BBBBBBBBBBBBBBBBBBBBBB","score":0.5,"because":[{"track_id":"ZZZZZZZZZZZZZZZZZZZZZZ","similarity":0.4}]}
{"user":"u1","rank":3,"track_id":"FFFFFFFFFFFFFFFFFFFFFF","score":0.25,"because":[{"track_id":"CCCCCCCCCCCCCCCCCCCCCC","similarity":0.4},{"track_id":"XXXXXXXXXXXXXXXXXXXXXX","similarity":0.3}]}
X
cat >tracks.ndjson <<'X'
{"track_id":"AAAAAAAAAAAAAAAAAAAAAA","track_name":"Neon, \"Live\"","artist_names":["Ann","Bo"],"album_name":"First","duration_ms":200400}
{"id":"BBBBBBBBBBBBBBBBBBBBBB","name":"Quiet","artists":[{"name":"Cy"}],"album":{"name":"Two"},"duration_ms":61000}
{"track_id":"CCCCCCCCCCCCCCCCCCCCCC","track_name":"Old Song","artist_names":["Dee","Eve"]}
{"track_id":"DDDDDDDDDDDDDDDDDDDDDD","track_name":"Older","artist_names":[]}
{"track_id":"XXXXXXXXXXXXXXXXXXXXXX","track_name":"Also Old","artist_names":["Dee"]}
{"track_id":"YYYYYYYYYYYYYYYYYYYYYY","track_name":"Unused"}
X
expect_status 0 sp-publish --offline --date 2026-11-27 --name 'My radar' -t tracks.ndjson -o files/radar recs.ndjson
cat >expect <<'X'
playlist 'My radar' (offline): 3 tracks; files files/radar.jspf, files/radar.m3u, files/radar.csv
  1 + Neon, "Live" by Ann, Bo
      because you played Old Song by Dee and Older
  2 + Quiet by Cy
      because you played ZZZZZZZZZZZZZZZZZZZZZZ
  3 + FFFFFFFFFFFFFFFFFFFFFF
      because you played Old Song and Also Old by Dee
X
expect_file expect out

cat >expect.csv <<'X'
rank,track_id,uri,title,artists,album,duration_ms,score,reason
1,AAAAAAAAAAAAAAAAAAAAAA,spotify:track:AAAAAAAAAAAAAAAAAAAAAA,"Neon, ""Live""","Ann, Bo",First,200400,0.912346,because you played Old Song by Dee and Older
2,BBBBBBBBBBBBBBBBBBBBBB,spotify:track:BBBBBBBBBBBBBBBBBBBBBB,Quiet,Cy,Two,61000,0.500000,because you played ZZZZZZZZZZZZZZZZZZZZZZ
3,FFFFFFFFFFFFFFFFFFFFFF,spotify:track:FFFFFFFFFFFFFFFFFFFFFF,,,,,0.250000,because you played Old Song and Also Old by Dee
X
expect_file expect.csv files/radar.csv

cat >expect.m3u <<'X'
#EXTM3U
#PLAYLIST:My radar
#EXTINF:200,Ann, Bo - Neon, "Live"
# because you played Old Song by Dee and Older
https://open.spotify.com/track/AAAAAAAAAAAAAAAAAAAAAA
#EXTINF:61,Cy - Quiet
# because you played ZZZZZZZZZZZZZZZZZZZZZZ
https://open.spotify.com/track/BBBBBBBBBBBBBBBBBBBBBB
#EXTINF:-1,FFFFFFFFFFFFFFFFFFFFFF
# because you played Old Song and Also Old by Dee
https://open.spotify.com/track/FFFFFFFFFFFFFFFFFFFFFF
X
expect_file expect.m3u files/radar.m3u

jq -c . files/radar.jspf >got.jspf || fail "radar.jspf is not JSON"
cat >expect.jspf <<'X'
{"playlist":{"title":"My radar","creator":"sp","annotation":"New releases for you, 2026-11-27: 3 tracks picked by cosine for 4 tracks you played. Made by sp.","date":"2026-11-27T00:00:00Z","track":[{"location":["https://open.spotify.com/track/AAAAAAAAAAAAAAAAAAAAAA"],"identifier":["spotify:track:AAAAAAAAAAAAAAAAAAAAAA"],"title":"Neon, \"Live\"","creator":"Ann, Bo","album":"First","duration":200400,"annotation":"because you played Old Song by Dee and Older"},{"location":["https://open.spotify.com/track/BBBBBBBBBBBBBBBBBBBBBB"],"identifier":["spotify:track:BBBBBBBBBBBBBBBBBBBBBB"],"title":"Quiet","creator":"Cy","album":"Two","duration":61000,"annotation":"because you played ZZZZZZZZZZZZZZZZZZZZZZ"},{"location":["https://open.spotify.com/track/FFFFFFFFFFFFFFFFFFFFFF"],"identifier":["spotify:track:FFFFFFFFFFFFFFFFFFFFFF"],"title":"FFFFFFFFFFFFFFFFFFFFFF","annotation":"because you played Old Song and Also Old by Dee"}]}}
X
expect_file expect.jspf got.jspf

# --user picks another listener.
expect_status 0 sp-publish --offline --user u2 -o u2 recs.ndjson
expect_grep '^  1 + EEEEEEEEEEEEEEEEEEEEEE$' out
expect_grep '^      a new release close to what you play$' out
