# needs: pg
# sp-load on a database loaded before migration 004 (the sp-load of then:
# migrations 001-003 only, plays without the fetched_at and file columns,
# through SP_SHARE): the migration keeps every row, and afterwards a play
# already loaded is still not loaded twice, an API play is matched with an
# export play loaded before the migration, and the new rows carry
# fetched_at and file while the old ones keep null there.
. "$SP_ROOT/tests/lib/lib.sh"
. "$SP_ROOT/tests/lib/stage.sh"
need_pg
export SP_HOME=$PWD/home

# The share tree of before 004.
mkdir -p old
cp -r "$SP_ROOT/schemas" old/ || fail "copy schemas"
rm old/schemas/migrations/00[4-9]_*.sql
python3 - old/schemas <<'EOF' || fail "old load.json"
import json, re, sys
d = sys.argv[1]
m = json.load(open(d + '/load.json'))
m['tables']['plays']['columns'] = [c for c in m['tables']['plays']['columns'] if c not in ('fetched_at', 'file')]
for r in m['records']:
    for row in r['rows']:
        if row['into'] == 'plays':
            row['values'].pop('fetched_at', None)
            row['values'].pop('file', None)
json.dump(m, open(d + '/load.json', 'w'))
p = d + '/load/plays.merge.sql'
open(p, 'w').write(re.sub(r'fetched_at, file, ', '', open(p).read()))
EOF

{
	export_play 3n3Ppam7vgaVa1iaRUc9Lp 2026-11-20T07:58:00Z 170000
	export_play 6rqhFgbbKwnb9MLmUQDhG6 2026-11-20T10:00:00Z 100000
} | sp-stage plays >/dev/null || fail stage
SP_SHARE=$PWD/old expect_status 0 sp-load
expect_eq "before: migrations" "1 2 3" \
    "$(psql -X -At -c 'select version from raw.schema_migrations order by 1' | paste -sd' ')"
psql -X -At -c "select play_id, source, played_at, track_id, payload from raw.plays order by play_id" >before

{
	# The same listen as the first export play, and a play loaded already.
	api_play 3n3Ppam7vgaVa1iaRUc9Lp 2026-11-20T08:00:00.000Z 180000
	export_play 6rqhFgbbKwnb9MLmUQDhG6 2026-11-20T10:00:00Z 100000
	export_play 7rqhFgbbKwnb9MLmUQDhG6 2026-11-20T11:00:00Z 100000
} | sp-stage plays >/dev/null || fail stage
expect_status 0 sp-load
expect_eq "after: migrations" "1 2 3 4 5" \
    "$(psql -X -At -c 'select version from raw.schema_migrations order by 1' | paste -sd' ')"
psql -X -At -c "select play_id, source, played_at, track_id, payload from raw.plays where play_id <= 2 order by play_id" >kept
expect_file before kept
psql -X -At -F' ' -c "select p.source, p.played_at, p.fetched_at is not null, coalesce(p.file, '-'),
        coalesce(c.source || ' ' || c.played_at::text, '-')
    from raw.plays p left join raw.plays c on c.play_id = p.dup_of order by p.played_at, p.source" >got
cat >want <<EOF
export 2026-11-20 07:58:00+00 f - api 2026-11-20 08:00:00+00
api 2026-11-20 08:00:00+00 t - -
export 2026-11-20 10:00:00+00 f - -
export 2026-11-20 11:00:00+00 t Streaming_History_Audio_2026.json -
EOF
expect_file want got
