# needs: pg
# sp-load: a play's payload is the rest of its record (schemas/load.json
# "rest", migrations 003 and 004): the members its columns hold are left
# out, and so are those the load rule's "when" fixes (kind, source); the
# others stay, and so do a null member, a member under an array and a
# member whose column could not hold it.  fetched_at and the export's file
# are columns.  The indexes are those of migration 004: no btree on
# play_id, the unique key time first.
. "$SP_ROOT/tests/lib/lib.sh"
. "$SP_ROOT/tests/lib/stage.sh"
need_pg
export SP_HOME=$PWD/home

mkdir -p home/stage/plays/dt=2026-01-01
{
	export_play 7ouMYWpwJ422jRcDASZB7P 2025-03-01T10:00:00Z 200000
	export_play "" 2025-03-01T11:00:00Z 1000
	api_play 4uLU6hMCjMI75M1A2tKUQC 2025-03-01T12:00:00Z
	# A member twice: the column holds the first, the payload keeps the other.
	printf '%s\n' '{"kind":"play","source":"recently-played","fetched_at":"2025-03-02T23:00:00Z","data":{"track":{"id":"5uLU6hMCjMI75M1A2tKUQC","name":"A","name":"B","duration_ms":1000,"artists":[],"album":{"name":"C","type":"album"}},"played_at":"2025-03-02T12:00:00Z","context":{"uri":"spotify:playlist:x","type":"playlist"}}}'
} >home/stage/plays/dt=2026-01-01/000000-handmade.ndjson
expect_status 0 sp-load
psql -X -At -F'|' -c "select line, track_id, track_name, fetched_at, file, payload::text from raw.plays order by line" >got
psql -X -At -F'|' >want <<'EOF'
select 1, '7ouMYWpwJ422jRcDASZB7P', 'Track 7ouMYWpwJ422jRcDASZB7P',
    '2026-11-01T00:00:00Z'::timestamptz, 'Streaming_History_Audio_2026.json',
    '{"data":{"offline":false,"incognito_mode":false,"platform":"linux","conn_country":"DE"}}'::jsonb::text
union all select 2, '', 'Track ',
    '2026-11-01T00:00:00Z'::timestamptz, 'Streaming_History_Audio_2026.json',
    '{"data":{"spotify_track_uri":null,"offline":false,"incognito_mode":false,"platform":"linux","conn_country":"DE"}}'::jsonb::text
union all select 3, '4uLU6hMCjMI75M1A2tKUQC', 'Track 4uLU6hMCjMI75M1A2tKUQC',
    '2025-03-01T23:00:00Z'::timestamptz, null,
    '{"data":{"track":{"artists":[{"id":"a4uLU6hMCjMI75M1A2tKUQC","name":"Artist 4uLU6hMCjMI75M1A2tKUQC"}],"album":{"id":"al4uLU6hMCjMI75M1A2tKUQC"}},"context":null}}'::jsonb::text
union all select 4, '5uLU6hMCjMI75M1A2tKUQC', 'A',
    '2025-03-02T23:00:00Z'::timestamptz, null,
    '{"data":{"track":{"name":"B","artists":[],"album":{"type":"album"}},"context":{"type":"playlist"}}}'::jsonb::text
EOF
expect_file want got
expect_eq "indexes" "plays_account plays_api plays_dup_of plays_id plays_source_key" \
    "$(psql -X -At -c "select indexname from pg_indexes where schemaname = 'raw' and tablename = 'plays' order by 1" | paste -sd' ')"
