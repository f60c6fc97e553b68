#!/usr/bin/env bash
# pipeline.sh: wires sp's tools into the ingest, load, transform, recommend
# and publish stages; keeps each run's files in $SP_HOME/runs/<time>/.
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
export PATH="$ROOT/bin:$PATH"
export SP_HOME=${SP_HOME:-$ROOT/var}
# Run directories are used from other directories (make -C): keep it absolute.
case $SP_HOME in /*) ;; *) SP_HOME=$PWD/$SP_HOME ;; esac
export SP_SHARE=${SP_SHARE:-$ROOT}

# Exit statuses: 0 ok, 1 a stage failed on bad data or local I/O, 2 usage,
# 3 upstream (Spotify, PostgreSQL) failure a rerun may fix, 4 another run
# holds the lock.
usage() {
	cat <<'U'
usage: pipeline.sh COMMAND [ARGS]

Stages (each run keeps its files in $SP_HOME/runs/<time>/, 'latest' links
the newest; SP_HOME defaults to var/ in this checkout):
  ingest            fetch recent plays, liked tracks, the playlists in
                    SP_PLAYLISTS and their artists; stage them
  load              load staged objects into PostgreSQL (exactly once)
  transform         build the SQL models and run their data tests
  recommend         fetch the tracks known only from an export, this week's
                    releases of your artists, transform,
                    then features | encode | svd | cosine -> recs.ndjson
                    (pipelines/run.mk: 'make recs' reruns the stale stages)
  publish [--dry-run] [RUN]
                    publish a run's recommendations (default: the latest
                    run) as a Spotify playlist, and as RUN/playlist.jspf,
                    .m3u and .csv
  run               all of the above, in order
  hourly            ingest and load (what the schedule runs every hour)
  backfill ZIP      import a privacy export (ZIP, folder or file) and load it
  status            last runs, row counts, unloaded objects, token expiry
  report [-o FILE]  an HTML report of listening and recommendations
                    (default: RUN/report.html of the latest run)
  schedule [--install] [--systemd]
                    print (or install) the hourly and weekly schedule
  demo              every stage end to end on a simulated Spotify account
  backtest          the release-radar backtest on real playlists
  deps              install the Debian packages sp needs (as root)
  test              the test suite (make check)

With no database configured (SP_DATABASE_URL, or PGHOST), a private
PostgreSQL server runs under $SP_HOME/pg while a command needs it.
Settings (environment or $SP_HOME/sp.conf): SP_PLAYLISTS, SP_PLAYLIST_NAME,
SP_DAYS, SP_NOW, SP_AS_OF, SP_TZ, SP_DRY_RUN, SP_DATABASE_URL, SP_LOCK_WAIT
(seconds to wait for another run's lock; default 0: refuse at once).
Exit status: 0 ok; 1 a step failed on bad data or local I/O; 2 usage;
3 Spotify or PostgreSQL failed (a rerun may fix it); 4 another run holds
the lock.  Progress goes to stderr, each step's log to RUN/logs/.
U
}

say() { printf 'pipeline: %s\n' "$*" >&2; }
die() { local st=$1; shift; say "$*"; exit "$st"; }

# The optional settings file: KEY=value lines (SP_PLAYLIST_NAME, SP_TZ,
# SP_CLIENT_ID, SP_DATABASE_URL, SP_PLAYLISTS, ...).
if [ -f "$SP_HOME/sp.conf" ]; then
	# shellcheck disable=SC1091
	. "$SP_HOME/sp.conf"
fi

# ---- locking, run directories, the database -------------------------------

lock() {
	mkdir -p "$SP_HOME" || die 1 "cannot create $SP_HOME"
	exec 9>"$SP_HOME/pipeline.lock"
	# SP_LOCK_WAIT=N waits up to N seconds for the other run (the weekly
	# run must not be lost to an hourly one still going).
	if [ "${SP_LOCK_WAIT:-0}" -gt 0 ] 2>/dev/null; then
		flock -w "$SP_LOCK_WAIT" 9
	else
		flock -n 9
	fi || die 4 "another run holds $SP_HOME/pipeline.lock; not starting a second one"
}

RUN_DIR=
new_run() {
	local ts
	ts=$(date -u +%Y%m%dT%H%M%SZ)
	RUN_DIR=$SP_HOME/runs/$ts
	local n=1
	while [ -e "$RUN_DIR" ]; do RUN_DIR=$SP_HOME/runs/$ts.$n; n=$((n + 1)); done
	mkdir -p "$RUN_DIR/logs" || die 1 "cannot create $RUN_DIR"
	ln -sfn "$(basename "$RUN_DIR")" "$SP_HOME/runs/latest"
	say "run directory $RUN_DIR"
}

# Records the outcome of a command in the run and in $SP_HOME/runs.log.
finish_run() {
	local cmd=$1 st=$2
	printf '%s\t%s\t%s\t%s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$cmd" "$st" \
	    "${RUN_DIR:--}" >>"$SP_HOME/runs.log"
	[ -n "$RUN_DIR" ] && printf '%s\n' "$st" >"$RUN_DIR/exit-status"
}

# with_db: uses the configured database, or else the embedded one, which
# is started here and stopped at exit unless it was already running (a
# concurrent 'status' must not stop the server under a run).
EMBEDDED_PG=
with_db() {
	if [ -z "${SP_EMBEDDED:-}" ] && { [ -n "${SP_DATABASE_URL:-}" ] || [ -n "${PGHOST:-}" ]; }; then
		return 0
	fi
	. "$ROOT/pipelines/lib/pg.sh"
	if sp_pg_running "$SP_HOME/pg"; then
		export PGHOST=$SP_HOME/pg PGPORT=${SP_PG_PORT:-5432} PGUSER=sp
	else
		say "starting the embedded PostgreSQL in $SP_HOME/pg"
		sp_pg_start "$SP_HOME/pg" || die 3 "the embedded PostgreSQL did not start"
		EMBEDDED_PG=$SP_HOME/pg
	fi
	export PGDATABASE=sp
	if ! psql -d postgres -Atqc "select 1 from pg_database where datname = 'sp'" | grep -q 1; then
		createdb sp || die 3 "createdb sp failed"
	fi
}

stop_db() {
	if [ -n "$EMBEDDED_PG" ]; then
		sp_pg_stop "$EMBEDDED_PG"
		EMBEDDED_PG=
	fi
}

# db_psql ARGS: psql on the pipeline's database.
db_psql() {
	if [ -n "${SP_DATABASE_URL:-}" ]; then
		psql -X -v ON_ERROR_STOP=1 "$SP_DATABASE_URL" "$@"
	else
		psql -X -v ON_ERROR_STOP=1 "$@"
	fi
}

# step NAME CMD...: runs one step with its stderr in the run's log
# logs/NAME.log and on the terminal, timing it.  Returns the command's
# status.  The command's stdout is the caller's to redirect.
step() {
	local name=$1 st t0
	shift
	t0=$(date +%s)
	say "$name ..."
	if [ -n "$RUN_DIR" ]; then
		"$@" 2> >(tee -a "$RUN_DIR/logs/$name.log" >&2)
	else
		"$@"
	fi
	st=$?
	wait 2>/dev/null
	if [ "$st" = 0 ]; then
		say "$name done in $(($(date +%s) - t0)) s"
	else
		say "$name failed (exit $st)${RUN_DIR:+; log: $RUN_DIR/logs/$name.log}"
	fi
	return "$st"
}

# step_quiet NAME CMD...: step, with the command's stdout in the log too
# (for tools whose stdout is a report, not data).
step_quiet() {
	local name=$1
	shift
	step "$name" _to_log "$name" "$@"
}
_to_log() {
	local name=$1
	shift
	if [ -n "$RUN_DIR" ]; then
		"$@" >>"$RUN_DIR/logs/$name.log"
	else
		"$@" >&2
	fi
}

# stage DATASET FILE: stages FILE when it holds records; the object's
# name is added to the run's staged.txt.
stage() {
	local st
	[ -s "$2" ] || { say "stage-$1: nothing to stage"; return 0; }
	step "stage-$1" sp-stage "$1" "$2" >>"$RUN_DIR/staged.txt"
	st=$?
	# Rejected records (exit 1, the valid ones staged) are reported and
	# kept in the rejects file; they never stop the rest of the run.
	if [ "$st" = 1 ] && tail -n 3 "$RUN_DIR/logs/stage-$1.log" | grep -q ' records rejected; see '; then
		say "stage-$1: $(tail -n 3 "$RUN_DIR/logs/stage-$1.log" | sed -n 's/^sp-stage: \(.* records rejected\);.*/\1/p' | tail -n 1); the others are staged"
		return 0
	fi
	return "$st"
}

# fetch_stage DATASET NAME OUT CMD...: runs a fetch with its output in OUT,
# then stages OUT even when the fetch failed part-way (sp-fetch writes what
# it got before a rate limit, exit 3), so nothing fetched is lost; returns
# the first failure's status.
fetch_stage() {
	local dataset=$1 name=$2 out=$3 st
	shift 3
	step "$name" "$@" >"$out"
	st=$?
	stage "$dataset" "$out" || return
	return "$st"
}

# ---- stages ------------------------------------------------------------------

# ingest: recent plays, liked tracks, the listener's own playlists (ids in
# SP_PLAYLISTS) and the artists they mention, each staged as one batch.
# What a fetch got before failing is staged too (fetch_stage).
cmd_ingest() {
	local d=$RUN_DIR/ingest pl
	mkdir -p "$d"
	fetch_stage plays fetch-plays "$d/plays.ndjson" sp-fetch recently-played || return
	fetch_stage saved fetch-saved "$d/saved.ndjson" sp-fetch saved || return
	for pl in ${SP_PLAYLISTS:-}; do
		fetch_stage playlists "fetch-playlist-$pl" "$d/playlist-$pl.ndjson" \
		    sp-fetch playlist "$pl" || return
	done
	cat "$d"/plays.ndjson "$d"/saved.ndjson "$d"/playlist-*.ndjson 2>/dev/null >"$d/seen.ndjson"
	fetch_stage artists fetch-artists "$d/artists.ndjson" sp-fetch artists <"$d/seen.ndjson"
}

cmd_load() {
	step load sp-load -v
}

MODEL_VARS=()
model_vars() {
	MODEL_VARS=()
	[ -n "${SP_AS_OF:-}" ] && MODEL_VARS+=(--var "as_of=$SP_AS_OF")
	[ -n "${SP_TZ:-}" ] && MODEL_VARS+=(--var "tz=$SP_TZ")
	return 0
}

cmd_transform() {
	model_vars
	step_quiet models sp-model run "${MODEL_VARS[@]}" || return
	step_quiet model-tests sp-model test "${MODEL_VARS[@]}"
}

# candidates: new releases of the artists in the listening history (those
# of played, liked and playlist tracks), plus search tag:new, staged and
# loaded so the models see them.
cmd_candidates() {
	local d=$RUN_DIR/candidates
	mkdir -p "$d"
	# Tracks known only by URI (privacy-export plays) and their artists,
	# so that the models see their names, artists and genres.
	db_psql -Atq -c "select distinct p.track_id from raw.plays p
	    where p.track_id is not null
	      and not exists (select 1 from raw.tracks t where t.track_id = p.track_id) order by 1" \
	    >"$d/unknown-tracks.txt" || { say "could not read the plays' tracks"; return 3; }
	if [ -s "$d/unknown-tracks.txt" ]; then
		say "candidates: fetching $(grep -c . "$d/unknown-tracks.txt") tracks known only from plays"
		fetch_stage tracks fetch-tracks "$d/tracks.ndjson" sp-fetch tracks <"$d/unknown-tracks.txt" || return
		fetch_stage artists fetch-track-artists "$d/track-artists.ndjson" sp-fetch artists <"$d/tracks.ndjson" || return
		step load-tracks sp-load -v || return
	fi
	# Most played first: a sweep cut short by the request budget has
	# covered the artists that matter most (sp-fetch resumes the rest).
	db_psql -Atq -c "with ids as (select artist_id from raw.artists
	    union select a->>'id' from raw.tracks t, jsonb_array_elements(t.payload->'artists') a
	    where t.source not in ('releases', 'search')),
	    n as (select t.payload->'artists'->0->>'id' artist_id, count(*) plays
	    from raw.plays p join raw.tracks t using (track_id) group by 1)
	    select i.artist_id from ids i left join n using (artist_id)
	    order by coalesce(n.plays, 0) desc, 1" >"$d/artist-ids.txt" ||
	    { say "could not read the artists of the history"; return 3; }
	say "candidates: sweeping the releases of $(grep -c . "$d/artist-ids.txt") artists"
	fetch_stage catalog fetch-releases "$d/releases.ndjson" sp-fetch releases --days "${SP_DAYS:-7}" \
	    ${SP_NOW:+--now "$SP_NOW"} <"$d/artist-ids.txt" || return
	step load-releases sp-load -v
}

# recommend: the run's intermediate files are built by pipelines/run.mk,
# so 'make -C RUN -f pipelines/run.mk' (make recs) reruns only what is stale.
cmd_recommend() {
	local a=()
	[ -n "${SP_AS_OF:-}" ] && a+=(--as-of "$SP_AS_OF")
	step features sp-features "${a[@]}" >"$RUN_DIR/features.ndjson" || return
	say "features: $(wc -l <"$RUN_DIR/features.ndjson") tracks"
	step_quiet recommend make --no-print-directory -f "$ROOT/pipelines/run.mk" -C "$RUN_DIR" \
	    ROOT="$ROOT" ${SP_NOW:+NOW=$SP_NOW} recs.ndjson || return
	say "recommend: $(wc -l <"$RUN_DIR/recs.ndjson") recommendations in $RUN_DIR/recs.ndjson"
}

# publish [--dry-run] [RUN]: the playlist of a run (default the latest),
# also written as RUN/playlist.{jspf,m3u,csv}; the listing (each track with
# its reason) is RUN/playlist.txt and stdout.
cmd_publish() {
	local run= dry=${SP_DRY_RUN:-} a method
	for a in "$@"; do
		case $a in
		--dry-run) dry=1 ;;
		-*) usage >&2; exit 2 ;;
		*) run=$a ;;
		esac
	done
	run=${run:-$SP_HOME/runs/latest}
	[ -f "$run/recs.ndjson" ] || die 1 "$run/recs.ndjson: no recommendations to publish"
	run=$(cd "$run" && pwd -P)
	[ -n "$RUN_DIR" ] || { RUN_DIR=$run; mkdir -p "$RUN_DIR/logs"; }
	method=$(make -s --no-print-directory -f "$ROOT/pipelines/run.mk" -C "$run" ROOT="$ROOT" method 2>/dev/null) ||
	    method=cosine
	local opts=(--out "$run/playlist" --method "$method")
	[ -f "$run/features.ndjson" ] && opts+=(--tracks "$run/features.ndjson")
	[ -n "${SP_PLAYLIST_NAME:-}" ] && opts+=(--name "$SP_PLAYLIST_NAME")
	[ -n "$dry" ] && opts+=(--dry-run)
	step publish sp-publish "${opts[@]}" "$run/recs.ndjson" >"$run/playlist.txt" || return
	cat "$run/playlist.txt"
}

cmd_backfill() {
	local src=${1:-}
	[ -n "$src" ] || { usage >&2; exit 2; }
	[ -e "$src" ] || die 1 "$src: no such file or directory"
	step import sp-import -v "$src" >"$RUN_DIR/backfill.ndjson" || return
	say "import: $(wc -l <"$RUN_DIR/backfill.ndjson") plays"
	stage plays "$RUN_DIR/backfill.ndjson" || return
	cmd_load
}

cmd_status() {
	local f=$SP_HOME/runs.log
	echo "SP_HOME $SP_HOME"
	echo
	echo "last runs (time, command, exit status, run directory):"
	if [ -s "$f" ]; then tail -n 8 "$f" | sed 's/^/  /'; else echo "  none yet"; fi
	echo
	if [ -f "$SP_HOME/runs/latest/recs.ndjson" ]; then
		echo "latest recommendations: $(wc -l <"$SP_HOME/runs/latest/recs.ndjson") in $(cd "$SP_HOME/runs/latest" && pwd -P)"
		[ -s "$SP_HOME/runs/latest/playlist.txt" ] && sed -n '1s/^/  /p' "$SP_HOME/runs/latest/playlist.txt"
		echo
	fi
	echo "database:"
	db_psql -Atq -c "select '  ' || rpad(t, 22) || n from (
	    select 1 k, 'plays' t, count(*) n from raw.plays where dup_of is null
	    union all select 2, 'plays (duplicates)', count(*) from raw.plays where dup_of is not null
	    union all select 3, 'tracks', count(*) from raw.tracks
	    union all select 4, 'artists', count(*) from raw.artists
	    union all select 5, 'objects loaded', count(*) from raw.load_ledger
	    union all select 6, 'rejected rows', count(*) from raw.rejects) x order by k" 2>/dev/null ||
	    echo "  nothing loaded yet"
	echo
	echo "staged but not loaded:"
	# sp-load's own answer: the same rule as a load, for any store.
	if sp-load --pending >"$SP_HOME/.pending" 2>/dev/null; then
		if [ -s "$SP_HOME/.pending" ]; then sed 's/^/  /' "$SP_HOME/.pending"; else echo "  none"; fi
	else
		echo "  (sp-load --pending failed)"
	fi
	rm -f "$SP_HOME/.pending"
	echo
	[ -s "$SP_HOME/state/upstream-failure" ] && { echo "last upstream failure:"; sed 's/^/  /' "$SP_HOME/state/upstream-failure"; echo; }
	echo "token:"
	sp-auth status 2>&1 | sed 's/^/  /'
	return 0
}

# schedule: ingest and load hourly; candidates, recommend and publish
# weekly on Friday morning, when new releases are out.
# report [-o FILE]: sp-report over the database and the latest run.
cmd_report() {
	local out= run=$SP_HOME/runs/latest
	while [ $# -gt 0 ]; do
		case $1 in
		-o) [ $# -ge 2 ] || { usage >&2; exit 2; }; out=$2; shift 2 ;;
		*) usage >&2; exit 2 ;;
		esac
	done
	if [ -z "$out" ]; then
		if [ -d "$run" ]; then out=$run/report.html; else out=$SP_HOME/report.html; fi
	fi
	local args=(-o "$out")
	[ -d "$run" ] && args+=(--run "$run")
	[ -n "${SP_TZ:-}" ] && args+=(--tz "$SP_TZ")
	sp-report "${args[@]}" || return
	say "report: $out"
}

cmd_schedule() {
	local mode=print kind=cron a
	for a in "$@"; do
		case $a in
		--install) mode=install ;;
		--systemd) kind=systemd ;;
		*) usage >&2; exit 2 ;;
		esac
	done
	local me=$ROOT/pipeline.sh log=$SP_HOME/cron.log
	if [ "$kind" = cron ]; then
		local lines
		lines=$(cat <<C
# sp: hourly ingest and load; weekly recommendations on Friday (sp-pipeline)
17 * * * * SP_HOME='$SP_HOME' '$me' hourly >>'$log' 2>&1 # sp-pipeline
40 7 * * 5 SP_HOME='$SP_HOME' SP_LOCK_WAIT=1800 '$me' run >>'$log' 2>&1 # sp-pipeline
C
)
		if [ "$mode" = print ]; then
			printf '%s\n' "$lines"
			return 0
		fi
		command -v crontab >/dev/null || die 1 "crontab not found; install cron, or use --systemd"
		{ crontab -l 2>/dev/null | grep -v 'sp-pipeline'; printf '%s\n' "$lines"; } | crontab - ||
		    die 1 "crontab failed"
		say "installed into your crontab (crontab -l to see it)"
		return 0
	fi
	local unit_dir=${XDG_CONFIG_HOME:-$HOME/.config}/systemd/user
	local svc_h svc_w tim_h tim_w
	svc_h="[Unit]
Description=sp: hourly ingest and load

[Service]
Type=oneshot
Environment=SP_HOME=$SP_HOME
ExecStart=$me hourly"
	tim_h="[Unit]
Description=sp: hourly ingest and load

[Timer]
OnCalendar=*-*-* *:17:00
Persistent=true

[Install]
WantedBy=timers.target"
	svc_w="[Unit]
Description=sp: weekly recommendations

[Service]
Type=oneshot
Environment=SP_HOME=$SP_HOME
Environment=SP_LOCK_WAIT=1800
ExecStart=$me run"
	tim_w="[Unit]
Description=sp: weekly recommendations on Friday

[Timer]
OnCalendar=Fri *-*-* 07:40:00
Persistent=true

[Install]
WantedBy=timers.target"
	if [ "$mode" = print ]; then
		printf '# %s\n%s\n\n' "$unit_dir/sp-hourly.service" "$svc_h" "$unit_dir/sp-hourly.timer" "$tim_h" \
		    "$unit_dir/sp-weekly.service" "$svc_w" "$unit_dir/sp-weekly.timer" "$tim_w"
		return 0
	fi
	mkdir -p "$unit_dir" || die 1 "cannot create $unit_dir"
	printf '%s\n' "$svc_h" >"$unit_dir/sp-hourly.service"
	printf '%s\n' "$tim_h" >"$unit_dir/sp-hourly.timer"
	printf '%s\n' "$svc_w" >"$unit_dir/sp-weekly.service"
	printf '%s\n' "$tim_w" >"$unit_dir/sp-weekly.timer"
	systemctl --user daemon-reload && systemctl --user enable --now sp-hourly.timer sp-weekly.timer ||
	    die 1 "systemctl --user failed; the units are in $unit_dir"
}

# ---- main ----------------------------------------------------------------------

main() {
	local cmd=${1:-}
	[ $# -gt 0 ] && shift
	case $cmd in
	-h | --help | help) usage; exit 0 ;;
	deps) exec "$ROOT/pipelines/deps.sh" ;;
	test) exec make -C "$ROOT" check ;;
	schedule) cmd_schedule "$@"; exit ;;
	demo) exec "$ROOT/pipelines/demo.sh" "$@" ;;
	backtest) exec "$ROOT/pipelines/backtest/run.sh" "$@" ;;
	ingest | load | transform | recommend | publish | run | hourly | backfill | status | report) ;;
	"") usage >&2; exit 2 ;;
	*) say "unknown command '$cmd'"; usage >&2; exit 2 ;;
	esac
	trap 'stop_db' EXIT
	# status and report only read: they run beside a run, without the lock.
	if [ "$cmd" = status ]; then
		with_db
		cmd_status
		exit 0
	fi
	if [ "$cmd" = report ]; then
		with_db
		cmd_report "$@"
		exit
	fi
	lock
	local st=0
	case $cmd in
	ingest) new_run; cmd_ingest; st=$? ;;
	load) with_db; new_run; cmd_load; st=$? ;;
	transform) with_db; new_run; cmd_transform; st=$? ;;
	recommend) with_db; new_run; cmd_candidates && cmd_transform && cmd_recommend; st=$? ;;
	publish) cmd_publish "$@"; st=$? ;;
	backfill) with_db; new_run; cmd_backfill "$@" && cmd_transform; st=$? ;;
	hourly) with_db; new_run; cmd_ingest && cmd_load; st=$? ;;
	run)
		with_db; new_run
		cmd_ingest && cmd_load && cmd_candidates && cmd_transform && cmd_recommend &&
		    cmd_publish "$RUN_DIR"
		st=$?
		# The week's report beside its recommendations; its failure is
		# logged but does not fail the run.
		[ "$st" = 0 ] && { step report sp-report --run "$RUN_DIR" -o "$RUN_DIR/report.html" ||
		    say "the report failed; the run itself succeeded"; }
		;;
	esac
	finish_run "$cmd" "$st"
	exit "$st"
}

main "$@"
