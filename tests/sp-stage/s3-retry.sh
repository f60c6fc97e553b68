# The S3 store follows the one retry policy of every HTTP client
# (libcommon/http.h): a 503 SlowDown is retried, its Retry-After honoured;
# SP_HTTP_ATTEMPTS bounds the attempts and SP_RETRY_AFTER_MAX the wait
# (then exit 3 with the server's error).
. "$SP_ROOT/tests/lib/lib.sh"
. "$SP_ROOT/tests/lib/stage.sh"
export SP_HOME=$PWD/home
pids=
trap 'kill $pids 2>/dev/null' EXIT
export AWS_ACCESS_KEY_ID=AKIDEXAMPLE AWS_SECRET_ACCESS_KEY=secret-example AWS_REGION=eu-west-1
api_play 3n3Ppam7vgaVa1iaRUc9Lp 2026-11-20T08:00:00.000Z >in.ndjson
name=$(sp-stage --store local plays in.ndjson 2>/dev/null)

# serve N ARGS: a SigV4 S3 server (log sN.log) with ARGS.
serve() {
	python3 "$SP_ROOT/tests/s3/sigv4-server.py" --port-file "s$1.port" --key AKIDEXAMPLE \
	    --secret secret-example --region eu-west-1 "${@:2}" 2>"s$1.log" &
	pids="$pids $!"
	for i in $(seq 100); do [ -s "s$1.port" ] && break; sleep 0.05; done
	[ -s "s$1.port" ] || fail "server $1 did not start"
	SP_S3_ENDPOINT=http://127.0.0.1:$(cat "s$1.port")
	export SP_S3_ENDPOINT
}
requests() { awk '{ print $1, $3 }' "s$1.log" | paste -sd,; }

# Two 503s with Retry-After: 1, then the object is written: at least the
# two seconds asked for were waited.
serve 1 --fail 2 --retry-after 1
start=$(date +%s%N)
expect_status 0 sp-stage --store s3://sp plays in.ndjson
ms=$(( ($(date +%s%N) - start) / 1000000 ))
expect_eq 'requests' 'HEAD 503,HEAD 503,HEAD 404,PUT 200' "$(requests 1)"
[ "$ms" -ge 2000 ] || fail "Retry-After not honoured: done in $ms ms"

# Attempts bounded: two attempts, both 503, exit 3 with the server's error.
serve 2 --fail 5
SP_HTTP_ATTEMPTS=2 SP_HTTP_BACKOFF_MS=1 expect_status 3 sp-stage --store s3://sp plays in.ndjson
expect_err "sp-stage: s3://sp: HEAD $name: HTTP 503"
expect_eq 'two attempts' 'HEAD 503,HEAD 503' "$(requests 2)"

# A Retry-After over the cap is not waited for.
serve 3 --fail 5 --retry-after 30
SP_RETRY_AFTER_MAX=2 expect_status 3 sp-stage --store s3://sp plays in.ndjson
expect_eq 'one attempt' 'HEAD 503' "$(requests 3)"

# A server that is not there: every attempt fails to connect, then exit 3.
SP_S3_ENDPOINT=http://127.0.0.1:$(free_port) SP_HTTP_ATTEMPTS=3 SP_HTTP_BACKOFF_MS=1 \
    expect_status 3 sp-stage --store s3://sp plays in.ndjson
expect_grep "^sp-stage: s3://sp: HEAD $name: .* (attempts: 3)$" err
