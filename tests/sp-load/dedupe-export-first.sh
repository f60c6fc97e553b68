# needs: pg
# sp-load: API plays loaded after an export that already holds the same
# listens: the export rows are pointed at the new API rows, also when the
# export has no track id (names match) and when the export time is before
# the API time.
. "$SP_ROOT/tests/lib/lib.sh"
. "$SP_ROOT/tests/lib/stage.sh"
need_pg
export SP_HOME=$PWD/home

{
	export_play 3n3Ppam7vgaVa1iaRUc9Lp 2026-11-20T07:58:00Z 170000
	export_play "" 2026-11-20T09:03:00Z 100000
	export_play 6rqhFgbbKwnb9MLmUQDhG6 2026-11-20T10:00:00Z 100000
} | sp-stage plays >/dev/null || fail stage
sp-load || fail "load export"
expect_eq "no dups yet" 0 "$(psql -X -At -c 'select count(dup_of) from raw.plays')"
{
	api_play 3n3Ppam7vgaVa1iaRUc9Lp 2026-11-20T08:00:00.000Z 180000
	# The nameless export play above is "Track " with artist "Artist ".
	api_play "" 2026-11-20T09:01:00.000Z 200000 | sed 's/"id":""/"id":"1aaaaaaaaaaaaaaaaaaaaa"/'
} | sp-stage plays >/dev/null || fail stage
sp-load || fail "load api"
psql -X -At -F' ' -c "select p.source, p.played_at, coalesce(c.source || ' ' || c.played_at::text, '-')
    from raw.plays p left join raw.plays c on c.play_id = p.dup_of order by p.played_at, p.source" >got
cat >want <<EOF
export 2026-11-20 07:58:00+00 api 2026-11-20 08:00:00+00
api 2026-11-20 08:00:00+00 -
api 2026-11-20 09:01:00+00 -
export 2026-11-20 09:03:00+00 api 2026-11-20 09:01:00+00
export 2026-11-20 10:00:00+00 -
EOF
expect_file want got
