# needs: pg
# sp-load: a full stage | load cycle of every dataset, with hand-made
# records in the shapes sp-fetch and sp-import write; a rerun adds nothing.
. "$SP_ROOT/tests/lib/lib.sh"
. "$SP_ROOT/tests/lib/stage.sh"
need_pg
export SP_HOME=$PWD/home

{
	api_play 3n3Ppam7vgaVa1iaRUc9Lp 2026-11-20T08:00:00.123Z 180000
	api_play 0eGsygTp906u18L0Oimnem 2026-11-20T08:04:00.000Z 240000
	api_play 3n3Ppam7vgaVa1iaRUc9Lp 2026-11-21T09:00:00.000Z 180000
} | sp-stage plays >names || fail "stage api plays"
{
	export_play 7ouMYWpwJ422jRcDASZB7P 2025-03-01T10:00:00Z 200000
	export_play "" 2019-09-21T18:29:00Z 90007
	episode spotify:episode:3KUKIjACVZd7VvkjWcE4rL 2023-02-19T09:44:16Z 23857
} | sp-stage plays >>names || fail "stage export"
echo '{"kind":"saved_track","source":"saved","fetched_at":"2026-11-22T00:00:00Z","data":{"added_at":"2026-10-01T12:00:00Z","track":{"id":"4uLU6hMCjMI75M1A2tKUQC","name":"Liked","duration_ms":1000,"artists":[],"album":{"id":"x","name":"X"}}}}' |
    sp-stage saved >>names || fail "stage saved"
{
	echo '{"kind":"playlist_item","source":"playlist","fetched_at":"2026-11-22T00:00:00Z","playlist_id":"pl1","position":0,"data":{"added_at":"2026-11-01T00:00:00Z","item":{"id":"6rqhFgbbKwnb9MLmUQDhG6","name":"Inbox","type":"track"}}}'
	echo '{"kind":"playlist_item","source":"playlist","fetched_at":"2026-11-22T00:00:00Z","playlist_id":"pl1","position":1,"data":{"added_at":null,"track":null}}'
} | sp-stage playlists >>names || fail "stage playlists"
{
	echo '{"kind":"artist","source":"artists","fetched_at":"2026-11-22T00:00:00Z","data":{"id":"0TnOYISbd1XYRBk9myaseg","name":"Pitbull","genres":[]}}'
	echo '{"kind":"album","source":"releases","fetched_at":"2026-11-22T00:00:00Z","data":{"id":"4aawyAB9vmqN3uQ7FjRGTy","name":"Global Warming"}}'
	echo '{"kind":"track","source":"releases","fetched_at":"2026-11-22T00:00:00Z","data":{"id":"11dFghVXANMlKmJXsNCbNl","name":"Cut To The Feeling","duration_ms":207959,"album":{"id":"4aawyAB9vmqN3uQ7FjRGTy","name":"Global Warming"}}}'
} | sp-stage catalog >>names || fail "stage catalog"
expect_eq "objects" 5 "$(wc -l <names)"

expect_status 0 sp-load -v
expect_grep "^sp-load: 5 objects loaded, 0 already loaded, 0 failed$" err

q() { psql -X -At -F' ' -c "$1"; }
q "select source, played_at, coalesce(track_id, '-'), coalesce(ms_played::text, '-'), coalesce(duration_ms::text, '-'), dup_of is null from raw.plays order by played_at" >got.plays
cat >want.plays <<EOF
export 2019-09-21 18:29:00+00 - 90007 - t
export 2025-03-01 10:00:00+00 7ouMYWpwJ422jRcDASZB7P 200000 - t
api 2026-11-20 08:00:00.123+00 3n3Ppam7vgaVa1iaRUc9Lp - 180000 t
api 2026-11-20 08:04:00+00 0eGsygTp906u18L0Oimnem - 240000 t
api 2026-11-21 09:00:00+00 3n3Ppam7vgaVa1iaRUc9Lp - 180000 t
EOF
expect_file want.plays got.plays
expect_eq "episode" "episode spotify:episode:3KUKIjACVZd7VvkjWcE4rL Show" \
    "$(q "select kind, uri, show_name from raw.other_plays")"
q "select track_id, source from raw.tracks order by 1" >got.tracks
cat >want.tracks <<EOF
0eGsygTp906u18L0Oimnem recently-played
11dFghVXANMlKmJXsNCbNl releases
3n3Ppam7vgaVa1iaRUc9Lp recently-played
4uLU6hMCjMI75M1A2tKUQC saved
6rqhFgbbKwnb9MLmUQDhG6 playlist
EOF
expect_file want.tracks got.tracks
expect_eq "artists" "0TnOYISbd1XYRBk9myaseg" "$(q "select artist_id from raw.artists")"
expect_eq "albums" "4aawyAB9vmqN3uQ7FjRGTy" "$(q "select album_id from raw.albums")"
expect_eq "saved" "4uLU6hMCjMI75M1A2tKUQC 2026-10-01 12:00:00+00" "$(q "select track_id, added_at from raw.saved_tracks")"
expect_eq "playlist" "pl1 0 6rqhFgbbKwnb9MLmUQDhG6,pl1 1 -" \
    "$(q "select playlist_id, position, coalesce(track_id, '-') from raw.playlist_items order by 2" | paste -sd,)"
expect_eq "payload" "linux" "$(q "select payload->'data'->>'platform' from raw.plays where track_id = '7ouMYWpwJ422jRcDASZB7P'")"
# Ledger rows in object order: catalog, playlists, plays (export, api), saved.
expect_eq "ledger" "3 0 64,2 0 64,3 0 64,3 0 64,1 0 64" \
    "$(q "select rows, rejected, length(checksum) from raw.load_ledger order by object" | paste -sd,)"
expect_eq "ledger checksum" "$(sha256sum "home/stage/$(head -n1 names)" | cut -c1-64)" \
    "$(q "select checksum from raw.load_ledger where object = '$(head -n1 names)'")"

# A rerun loads nothing and changes nothing.
q "select count(*) from raw.plays; select count(*) from raw.tracks; select count(*) from raw.load_ledger" >before
expect_status 0 sp-load -v
expect_grep "^sp-load: 0 objects loaded, 5 already loaded, 0 failed$" err
q "select count(*) from raw.plays; select count(*) from raw.tracks; select count(*) from raw.load_ledger" >after
expect_file before after
