# needs: pg
# sp-stage and sp-load sign every S3 request with AWS SigV4 (libcurl's
# CURLOPT_AWS_SIGV4) as AWS checks it: a server that recomputes each
# signature (tests/s3/sigv4-server.py; s3rver does not check V4) accepts
# HEAD, PUT, list and GET, object names with '=' included, and refuses a
# wrong secret (exit 3, its error named).
. "$SP_ROOT/tests/lib/lib.sh"
. "$SP_ROOT/tests/lib/stage.sh"
need_pg
export SP_HOME=$PWD/home
python3 "$SP_ROOT/tests/s3/sigv4-server.py" --port-file port --key AKIDEXAMPLE \
    --secret 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' --region eu-west-1 2>server.log &
srv=$!
trap 'kill $srv 2>/dev/null' EXIT
for i in $(seq 100); do [ -s port ] && break; sleep 0.1; done
[ -s port ] || fail "the server did not start"
export SP_S3_ENDPOINT=http://127.0.0.1:$(cat port) AWS_ACCESS_KEY_ID=AKIDEXAMPLE
export AWS_SECRET_ACCESS_KEY='wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' AWS_REGION=eu-west-1
export SP_STAGE_URL=s3://bucket/some/prefix

{
	api_play 3n3Ppam7vgaVa1iaRUc9Lp 2026-11-20T08:00:00.000Z
	echo '{"kind":"play"}'
} >in.ndjson
expect_status 1 sp-stage plays in.ndjson
name=$(cat out)
expect_status 0 sp-load -v
expect_grep "^sp-load: 2 objects loaded, 0 already loaded, 0 failed$" err
expect_eq "plays" 1 "$(psql -X -At -c 'select count(*) from raw.plays')"
expect_eq "requests" "HEAD 404,PUT 200,PUT 200,GET 200,GET 200,GET 200" \
    "$(awk '{ print $1, $3 }' server.log | paste -sd,)"
expect_grep "^PUT /bucket/some/prefix/plays/dt%3D2026-11-20/" server.log

AWS_SECRET_ACCESS_KEY=wrong expect_status 3 sp-stage plays in.ndjson
expect_grep "^sp-stage: s3://bucket/some/prefix: HEAD some/prefix/$name: HTTP 403$" err
AWS_SECRET_ACCESS_KEY=wrong expect_status 3 sp-load
expect_grep "^sp-load: s3://bucket/some/prefix: GET ?list-type=2: HTTP 403 SignatureDoesNotMatch: " err
