#!/usr/bin/env bash
# pipelines/demo.sh: './pipeline.sh demo': every stage of sp end to end on a
# simulated Spotify account, in its own SP_HOME (var/demo, recreated each
# time), on the embedded PostgreSQL, in well under a minute:
#   1. generate a listener: a catalogue with a week of new releases and a
#      year of plays (tests/spotify-sim/server.py), and the year as a
#      privacy-export ZIP (pipelines/demo/export.py);
#   2. start the simulated Web API on 127.0.0.1 and log in through its
#      authorize endpoint (sp-auth login, the redirect followed by curl);
#   3. pipeline.sh backfill the export, then pipeline.sh run: ingest the
#      recent plays through the API (the last 50 overlap the export: the
#      loader keeps one of each), load, fetch the new releases of the
#      listener's artists, transform, recommend, publish;
#   4. print the published playlist, each track with its reason.
# Environment: SP_DEMO_HOME (default var/demo), SP_DEMO_PLAYS (default 4000),
# SP_DEMO_SEED (default 42), SP_DEMO_GENRES (share of artists with genres;
# 0 = none), SP_DEMO_SETUP=0 (skip deps.sh and make).  Exit status: that of the failing step.
set -uo pipefail
# The demo's home is a listener's home: private, as pipeline.sh keeps one.
umask 077

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
T0=$(date +%s%N)
say() { printf 'demo: [%ss] %s\n' "$(elapsed)" "$*" >&2; }
die() { say "$*"; exit 1; }
elapsed() { printf '%d.%d' $(( ($(date +%s%N) - T0) / 1000000000 )) $(( ($(date +%s%N) - T0) / 100000000 % 10 )); }

# Set-up, quietly: the Debian packages, then the tools (SP_DEMO_SETUP=0
# skips both, for the test suite, which has built them).
if [ "${SP_DEMO_SETUP:-1}" != 0 ]; then
	say "checking the packages and building the tools"
	"$ROOT/pipelines/deps.sh" >/dev/null || die "pipelines/deps.sh failed (run it as root)"
	make -s -j"$(nproc 2>/dev/null || echo 2)" -C "$ROOT" >/dev/null 2>&1 || die "make failed (run make to see why)"
fi

export SP_HOME=${SP_DEMO_HOME:-$ROOT/var/demo}
case $SP_HOME in /*) ;; *) SP_HOME=$PWD/$SP_HOME ;; esac
rm -rf "$SP_HOME"
mkdir -p "$SP_HOME/sim" || die "cannot create $SP_HOME"
# The embedded database, in the demo's own home: whatever server the
# environment names is left alone.
unset PGHOST PGPORT PGUSER PGDATABASE SP_DATABASE_URL SP_STAGE_URL
export XDG_CONFIG_HOME=$SP_HOME/config XDG_STATE_HOME=$SP_HOME/state XDG_CACHE_HOME=$SP_HOME/cache
# The demo's settings file, so that 'SP_HOME=var/demo ./pipeline.sh status'
# afterwards finds its token and state.
# SP_DEMO=1: its account is the simulator's, which lives only as long as
# the demo, so status does not ask Spotify about the token.
cat >"$SP_HOME/sp.conf" <<C
SP_DEMO=1
XDG_CONFIG_HOME='$XDG_CONFIG_HOME'
XDG_STATE_HOME='$XDG_STATE_HOME'
XDG_CACHE_HOME='$XDG_CACHE_HOME'
C
export PATH=$ROOT/bin:$PATH SP_ROOT=$ROOT LC_ALL=C TZ=UTC

# 1. The listener.
now=$(date -u +%Y-%m-%dT%H:%M:%SZ)
# The realistic world (real catalogue sizes, few genres, local files,
# strangers' new albums); SP_DEMO_GENRES=0 takes the genres away entirely.
python3 "$ROOT/tests/spotify-sim/server.py" --print-state --seed "${SP_DEMO_SEED:-42}" \
    --artists 40 --plays "${SP_DEMO_PLAYS:-4000}" --days 365 \
    --new-releases 12 --new-days 7 --saved 40 --now "$now" \
    ${SP_DEMO_GENRES:+--genre-share "$SP_DEMO_GENRES"} >"$SP_HOME/sim/state.json" ||
    die "the simulator could not generate the listener"
python3 "$ROOT/pipelines/demo/export.py" "$SP_HOME/sim/state.json" "$SP_HOME/my_spotify_data.zip" ||
    die "could not write the privacy export"
say "$(jq '.plays | length' "$SP_HOME/sim/state.json") plays over a year, $(jq '.tracks | length' "$SP_HOME/sim/state.json") tracks, $(jq '[.albums[] | select(.release_date >= "'"$(date -u -d '7 days ago' +%F)"'")] | length' "$SP_HOME/sim/state.json") albums out this week"

# 2. The simulated Spotify Web API, and the login.
fail() { die "$*"; }
. "$ROOT/tests/lib/sim.sh"
cd "$SP_HOME/sim" || exit 1
# The real service's rate window and latency, scaled down 30 times so
# the demo stays quick: 250 requests per second, 1 ms a request.
start_sim --state state.json --rate-window 1
cd "$SP_HOME" || exit 1
sp-auth login --no-browser --port 0 --timeout 20 >"$SP_HOME/sim/login.url" 2>"$SP_HOME/sim/login.err" &
login=$!
for _ in $(seq 1 100); do
	[ -s "$SP_HOME/sim/login.url" ] && break
	sleep 0.05
done
url=$(head -n 1 "$SP_HOME/sim/login.url")
[ -n "$url" ] || { cat "$SP_HOME/sim/login.err" >&2; die "sp-auth login printed no URL"; }
# The user "approves": the simulator redirects to sp-auth's loopback listener.
curl -sS -L -o /dev/null "$url" || die "the authorize redirect failed"
wait "$login" || { cat "$SP_HOME/sim/login.err" >&2; die "sp-auth login failed"; }
say "logged in: $(sp-auth status | head -n 1)"

# The listener's own "Inbox" playlist is read as a source of tracks.
inbox=$(jq -r '.playlists[] | select(.name == "Inbox") | .id' "$SP_HOME/sim/state.json")
export SP_PLAYLISTS=$inbox SP_PLAYLIST_NAME="sp demo: new releases for you"

# 3. The pipeline.
say "pipeline.sh backfill: the privacy export"
"$ROOT/pipeline.sh" backfill "$SP_HOME/my_spotify_data.zip" || exit
say "pipeline.sh run: ingest, load, new releases, transform, recommend, publish"
"$ROOT/pipeline.sh" run >"$SP_HOME/playlist.txt" || exit
say "done"
"$ROOT/pipeline.sh" status >"$SP_HOME/status.txt" 2>&1 || true

# 4. The playlist, as published (the simulator's copy) and as written.
run=$(cd "$SP_HOME/runs/latest" && pwd -P)
pid=$(jq -r '.playlists[]' "$SP_HOME/state/publish.json")
n=$(sim_ctl GET state | jq --arg id "$pid" '[.playlists[] | select(.id == $id) | .items[]] | length')
echo
cat "$SP_HOME/playlist.txt"
echo
sed -n '/^database:/,/^$/p' "$SP_HOME/status.txt"
echo "published: $n tracks in playlist $pid on the simulated Spotify"
echo "files:     $run/playlist.jspf, .m3u, .csv"
echo "run:       $run (features.ndjson, encoded.spm, embedded.spm, recs.ndjson, logs/)"
echo "took $(elapsed) s"
echo
echo "The demo's world stays in $SP_HOME; look at it with:"
echo "  SP_HOME=$SP_HOME $ROOT/pipeline.sh status"
echo "  SP_HOME=$SP_HOME $ROOT/pipeline.sh report    (writes $run/report.html)"
echo "(the simulated Spotify has stopped; status says so and does not ask it)"
