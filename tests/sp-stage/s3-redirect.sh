# S3 requests are signed for the configured endpoint only: a 307 redirect
# (as S3 answers for a bucket in another region) is an upstream failure
# (exit 3) naming where it pointed, and never followed, so neither the
# signed request nor the object reaches the other listener.
. "$SP_ROOT/tests/lib/lib.sh"
. "$SP_ROOT/tests/lib/stage.sh"
export SP_HOME=$PWD/home
pids=
trap 'kill $pids 2>/dev/null' EXIT
wait_port() { for i in $(seq 100); do [ -s "$1" ] && return; sleep 0.05; done; fail "$1: not started"; }
python3 "$SP_ROOT/tests/lib/catch.py" --port-file catch.port --log catch.log &
pids="$pids $!"
wait_port catch.port
away=http://127.0.0.1:$(cat catch.port)
export AWS_ACCESS_KEY_ID=AKIDEXAMPLE AWS_SECRET_ACCESS_KEY=secret-example AWS_REGION=eu-west-1
api_play 3n3Ppam7vgaVa1iaRUc9Lp 2026-11-20T08:00:00.000Z >in.ndjson

# serve [ARGS]: a SigV4 S3 server redirecting to the listener.
serve() {
	rm -f "s3.port$1"
	python3 "$SP_ROOT/tests/s3/sigv4-server.py" --port-file "s3.port$1" --key AKIDEXAMPLE \
	    --secret secret-example --region eu-west-1 --redirect "$away" "${@:2}" 2>"s3$1.log" &
	pids="$pids $!"
	wait_port "s3.port$1"
	SP_S3_ENDPOINT=http://127.0.0.1:$(cat "s3.port$1")
	export SP_S3_ENDPOINT
}

name=$(sp-stage --store local plays in.ndjson 2>/dev/null)
[ -n "$name" ] || fail "no local name"
esc=$(printf '%s' "$name" | sed 's/=/%3D/')

# Every request redirected: the first one (HEAD) fails.
serve 1
expect_status 3 sp-stage --store s3://sp/team plays in.ndjson
expect_err "sp-stage: s3://sp/team: HEAD team/$name: HTTP 307: a redirect to $away/sp/team/$esc is not followed (requests are signed for SP_S3_ENDPOINT $SP_S3_ENDPOINT only)"
expect_eq 'HEAD asked once' "HEAD /sp/team/$esc 307" "$(cat s31.log)"

# Only the PUT redirected: the object, signed, is not sent again elsewhere.
serve 2 --redirect-method PUT
expect_status 3 sp-stage --store s3://sp/team plays in.ndjson
expect_err "sp-stage: s3://sp/team: PUT team/$name: HTTP 307 TemporaryRedirect: a redirect to $away/sp/team/$esc is not followed (requests are signed for SP_S3_ENDPOINT $SP_S3_ENDPOINT only)"
expect_eq 'requests' "HEAD 404,PUT 307" "$(awk '{ print $1, $3 }' s32.log | paste -sd,)"

expect_eq 'nothing reached the other listener' '' "$(cat catch.log)"
