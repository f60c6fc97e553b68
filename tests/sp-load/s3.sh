# needs: pg
# sp-load from an S3 store (s3rver on loopback): objects are listed, read
# and loaded once; the S3 server going away is exit 3.
. "$SP_ROOT/tests/lib/lib.sh"
. "$SP_ROOT/tests/lib/stage.sh"
need_pg
export SP_HOME=$PWD/home
start_s3
export SP_STAGE_URL=s3://sp/team

for d in 20 21 22; do
	api_play 3n3Ppam7vgaVa1iaRUc9Lp "2026-11-${d}T08:00:00.000Z" | sp-stage plays >/dev/null || fail stage
done
# A rejects file of sp-stage: loaded into raw.rejects, not an error of sp-load.
echo '{"kind":"play"}' | sp-stage plays 2>/dev/null
expect_status 0 sp-load -v
expect_grep "^sp-load: 4 objects loaded, 0 already loaded, 0 failed$" err
expect_eq "plays" 3 "$(psql -X -At -c 'select count(*) from raw.plays')"
expect_eq "rejects" 1 "$(psql -X -At -c 'select count(*) from raw.rejects')"
expect_status 0 sp-load -v plays
expect_grep "^sp-load: 0 objects loaded, 4 already loaded, 0 failed$" err
kill "$S3_PID"
wait "$S3_PID" 2>/dev/null
expect_status 3 sp-load
expect_grep "^sp-load: s3://sp/team: GET" err
