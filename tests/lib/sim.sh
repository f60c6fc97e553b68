# tests/lib/sim.sh: start, drive and stop the simulated Spotify Web API
# (tests/spotify-sim/server.py) from a shell test case or a demo script.
# Source it after tests/lib/lib.sh (it uses fail).  Functions:
#
#   start_sim [SERVER-ARGS...]  starts the simulator on a free loopback port
#                   (server.py --port 0) with a fresh access and refresh token
#                   and waits (at most 10 s, or SIM_START_SECONDS) until it answers.  Sets and
#                   exports SIM_PID, SIM_PORT, SIM_URL (http://127.0.0.1:PORT),
#                   SIM_TOKEN, SIM_REFRESH, and points the tools at it:
#                   SP_API_BASE=$SIM_URL/v1, SP_ACCOUNTS_BASE=$SIM_URL,
#                   SP_CLIENT_ID=sim-client, XDG_CONFIG_HOME/XDG_STATE_HOME/
#                   XDG_CACHE_HOME under $PWD (unless already set), tiny
#                   retry delays (SP_HTTP_BACKOFF_MS=1).  Registers stop_sim
#                   on EXIT.  The server's stderr goes to ./sim.err.
#                   SERVER-ARGS: see server.py's header (--seed, --plays N,
#                   --enable-batch, --faults JSON, --state FILE, ...).
#                   The simulator is the realistic one (rate window, local
#                   files, real catalogue sizes) unless the case asks for
#                   --kind; its latency is SIM_LATENCY_MS (default 1 ms, so
#                   the suite stays fast) unless --latency-ms is given.
#   stop_sim        stops it (SIGTERM, then SIGKILL after 5 s).
#   sim_url         prints SIM_URL.
#   sim_ctl METHOD PATH [JSON]   calls a control endpoint (PATH under /_sim/,
#                   e.g. "faults", "log", "plays", "config") and prints the
#                   answer; fails the case if the call fails.
#   sim_fault JSON  adds fault rules (an object or a list of objects).
#   sim_log         prints the request log (NDJSON: method, path, query,
#                   status, fault).
#   sim_count METHOD GLOB        prints how many logged requests match, e.g.
#                   sim_count GET '/artists/*'.
#   sim_tokens      writes $XDG_CONFIG_HOME/sp/tokens.json (mode 0600) with
#                   SIM_TOKEN and SIM_REFRESH, as if 'sp-auth login' had run.

SIM_SERVER=${SIM_SERVER:-$SP_ROOT/tests/spotify-sim/server.py}

start_sim() {
	local i
	SIM_TOKEN=AT-sim-$$-$RANDOM$RANDOM
	SIM_REFRESH=RT-sim-$$-$RANDOM$RANDOM
	rm -f sim.port
	python3 "$SIM_SERVER" --port 0 --port-file sim.port \
	    --token "$SIM_TOKEN" --refresh-token "$SIM_REFRESH" \
	    --latency-ms "${SIM_LATENCY_MS:-1}" "$@" 2>sim.err &
	SIM_PID=$!
	trap stop_sim EXIT
	for i in $(seq 1 $(( ${SIM_START_SECONDS:-10} * 20 ))); do
		[ -s sim.port ] && break
		kill -0 "$SIM_PID" 2>/dev/null || { cat sim.err >&2; fail "the simulator did not start"; }
		sleep 0.05
	done
	[ -s sim.port ] || fail "the simulator did not start within ${SIM_START_SECONDS:-10} s"
	SIM_PORT=$(cat sim.port)
	SIM_URL=http://127.0.0.1:$SIM_PORT
	export SIM_PID SIM_PORT SIM_URL SIM_TOKEN SIM_REFRESH
	export SP_API_BASE=$SIM_URL/v1 SP_ACCOUNTS_BASE=$SIM_URL SP_CLIENT_ID=sim-client
	export XDG_CONFIG_HOME=${XDG_CONFIG_HOME:-$PWD/config}
	export XDG_STATE_HOME=${XDG_STATE_HOME:-$PWD/state}
	export XDG_CACHE_HOME=${XDG_CACHE_HOME:-$PWD/cache}
	export SP_HTTP_BACKOFF_MS=${SP_HTTP_BACKOFF_MS:-1}
}

stop_sim() {
	local i
	[ -n "${SIM_PID:-}" ] || return 0
	kill "$SIM_PID" 2>/dev/null
	for i in $(seq 1 100); do
		kill -0 "$SIM_PID" 2>/dev/null || break
		sleep 0.05
	done
	kill -9 "$SIM_PID" 2>/dev/null
	wait "$SIM_PID" 2>/dev/null
	SIM_PID=
}

sim_url() {
	printf '%s\n' "$SIM_URL"
}

sim_ctl() {
	local method=$1 path=$2
	if [ $# -ge 3 ]; then
		curl -sS --fail-with-body -X "$method" -H 'Content-Type: application/json' \
		    --data-binary "$3" "$SIM_URL/_sim/$path" || fail "sim_ctl $method $path failed"
	else
		curl -sS --fail-with-body -X "$method" "$SIM_URL/_sim/$path" || fail "sim_ctl $method $path failed"
	fi
}

sim_fault() {
	sim_ctl POST faults "$1" >/dev/null
}

sim_log() {
	sim_ctl GET log
}

sim_count() {
	sim_log | python3 -c '
import fnmatch, json, sys
m, g = sys.argv[1], sys.argv[2]
print(sum(1 for l in sys.stdin if l.strip() and (lambda e: e["method"] == m and fnmatch.fnmatchcase(e["path"], g))(json.loads(l))))
' "$1" "$2"
}

sim_tokens() {
	local now
	now=$(date +%s)
	mkdir -p "$XDG_CONFIG_HOME/sp"
	(umask 077 && printf '{"access_token":"%s","refresh_token":"%s","token_type":"Bearer","scope":"%s","expires_at":%s,"consented_at":%s,"client_id":"%s"}\n' \
	    "$SIM_TOKEN" "$SIM_REFRESH" \
	    "user-read-recently-played user-library-read playlist-read-private playlist-modify-private playlist-modify-public" \
	    $((now + 3600)) "$now" "$SP_CLIENT_ID" >"$XDG_CONFIG_HOME/sp/tokens.json")
}
