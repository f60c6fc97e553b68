# needs: pg
# sp-load: an export loaded after the API plays: each export play of the
# same track within the track's duration of an API play points at it
# (dup_of); the API row stays canonical and both rows stay.
. "$SP_ROOT/tests/lib/lib.sh"
. "$SP_ROOT/tests/lib/stage.sh"
need_pg
export SP_HOME=$PWD/home

{
	api_play 3n3Ppam7vgaVa1iaRUc9Lp 2026-11-20T08:00:00.000Z 180000
	api_play 0eGsygTp906u18L0Oimnem 2026-11-20T09:00:00.000Z 100000
} | sp-stage plays >/dev/null || fail stage
sp-load || fail "load api"
{
	# 2:50 after the API time: within the 3:00 duration, the same listen.
	export_play 3n3Ppam7vgaVa1iaRUc9Lp 2026-11-20T08:02:50Z 170000
	# 1:41 after: beyond the 1:40 duration, another listen.
	export_play 0eGsygTp906u18L0Oimnem 2026-11-20T09:01:41Z 100000
	# Same time, other track.
	export_play 7ouMYWpwJ422jRcDASZB7P 2026-11-20T08:02:50Z 170000
} | sp-stage plays >/dev/null || fail stage
sp-load || fail "load export"
psql -X -At -F' ' -c "select p.source, p.track_id, coalesce(c.source, '-'), coalesce(c.played_at::text, '-')
    from raw.plays p left join raw.plays c on c.play_id = p.dup_of order by p.played_at, p.source, p.track_id" >got
cat >want <<EOF
api 3n3Ppam7vgaVa1iaRUc9Lp - -
export 3n3Ppam7vgaVa1iaRUc9Lp api 2026-11-20 08:00:00+00
export 7ouMYWpwJ422jRcDASZB7P - -
api 0eGsygTp906u18L0Oimnem - -
export 0eGsygTp906u18L0Oimnem - -
EOF
expect_file want got
