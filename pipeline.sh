#!/usr/bin/env bash
# pipeline.sh: wires sp's tools into the ingest, load, transform, recommend
# and publish stages; keeps each run's files in $SP_HOME/runs/<time>/.
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
export PATH="$ROOT/bin:$PATH"
export SP_HOME=${SP_HOME:-$ROOT/var}
export SP_SHARE=${SP_SHARE:-$ROOT}

# Exit statuses: 0 ok, 1 a stage failed on bad data or local I/O, 2 usage,
# 3 upstream (Spotify, PostgreSQL) failure a rerun may fix, 4 another run
# holds the lock.
usage() {
	cat <<'U'
usage: pipeline.sh COMMAND [ARGS]

Stages (each run keeps its files in $SP_HOME/runs/<time>/, 'latest' links
the newest; SP_HOME defaults to var/ in this checkout):
  ingest            fetch recent plays, liked tracks and artists; stage them
  load              load staged objects into PostgreSQL (exactly once)
  transform         build the SQL models and run their data tests
  recommend         features | encode | svd | cosine -> recs.ndjson
  publish [RUN]     publish a run's recommendations as a Spotify playlist
  run               all of the above, in order
  backfill ZIP      import a privacy export (ZIP, folder or file) and load it
  status            last runs, row counts, unloaded objects, token expiry
  schedule [--install] [--systemd]
                    print (or install) the hourly and weekly schedule
  demo              every stage end to end on a simulated Spotify account
  backtest          the release-radar backtest on real playlists
  report            an HTML report of listening and recommendations
  deps              install the Debian packages sp needs (as root)
  test              the test suite (make check)

With no database configured (SP_DATABASE_URL, or PGHOST), a private
PostgreSQL server runs under $SP_HOME/pg while a command needs it.
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
	flock -n 9 || die 4 "another run holds $SP_HOME/pipeline.lock; not starting a second one"
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

# step NAME CMD...: runs one step with its stderr in the run's logs and on
# the terminal, timing it.  Returns the command's status.
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

# ---- stages ------------------------------------------------------------------

# ingest: recent plays, liked tracks, the listener's own playlists (ids in
# SP_PLAYLISTS) and the artists they mention, each staged as one batch.
cmd_ingest() {
	local d=$RUN_DIR/ingest pl
	mkdir -p "$d"
	step fetch-plays sp-fetch recently-played >"$d/plays.ndjson" || return
	step stage-plays sp-stage plays <"$d/plays.ndjson" >>"$d/staged.txt" || return
	step fetch-saved sp-fetch saved >"$d/saved.ndjson" || return
	step stage-saved sp-stage saved <"$d/saved.ndjson" >>"$d/staged.txt" || return
	for pl in ${SP_PLAYLISTS:-}; do
		step "fetch-playlist-$pl" sp-fetch playlist "$pl" >"$d/playlist-$pl.ndjson" || return
		step "stage-playlist-$pl" sp-stage playlist-items <"$d/playlist-$pl.ndjson" >>"$d/staged.txt" || return
	done
	cat "$d"/plays.ndjson "$d"/saved.ndjson "$d"/playlist-*.ndjson 2>/dev/null >"$d/seen.ndjson"
	step fetch-artists sp-fetch artists <"$d/seen.ndjson" >"$d/artists.ndjson" || return
	step stage-artists sp-stage artists <"$d/artists.ndjson" >>"$d/staged.txt"
}

cmd_load() {
	step load sp-load
}

cmd_transform() {
	step models sp-model run ${SP_AS_OF:+--var as_of=$SP_AS_OF} ${SP_TZ:+--var tz=$SP_TZ} || return
	step model-tests sp-model test ${SP_AS_OF:+--var as_of=$SP_AS_OF} ${SP_TZ:+--var tz=$SP_TZ}
}

# candidates: new releases of the artists in the listening history, staged
# and loaded so the models see them.
cmd_candidates() {
	local d=$RUN_DIR/candidates
	mkdir -p "$d"
	psql -Atqc "select distinct a->>'id' from raw.tracks t, jsonb_array_elements(t.payload->'artists') a where t.source <> 'releases'" \
	    | jq -Rc 'select(length > 0) | {id: .}' >"$d/artist-ids.ndjson" || return 3
	step fetch-releases sp-fetch releases ${SP_NOW:+--now "$SP_NOW"} <"$d/artist-ids.ndjson" >"$d/releases.ndjson" || return
	step stage-releases sp-stage releases <"$d/releases.ndjson" >"$d/staged.txt" || return
	step load-releases sp-load
}

# recommend: the run's intermediate files are built by pipelines/run.mk,
# so 'make -C RUN -f pipelines/run.mk' reruns only what is stale.
cmd_recommend() {
	step features sp-features ${SP_AS_OF:+--as-of "$SP_AS_OF"} >"$RUN_DIR/features.ndjson" || return
	step recommend make --no-print-directory -f "$ROOT/pipelines/run.mk" -C "$RUN_DIR" \
	    ROOT="$ROOT" ${SP_NOW:+NOW=$SP_NOW} recs.ndjson
}

cmd_publish() {
	local run=${1:-$SP_HOME/runs/latest}
	[ -f "$run/recs.ndjson" ] || die 1 "$run/recs.ndjson: no recommendations to publish"
	step publish sp-publish --out "$run/playlist" ${SP_PLAYLIST_NAME:+--name "$SP_PLAYLIST_NAME"} \
	    ${SP_DRY_RUN:+--dry-run} "$run/recs.ndjson"
}

cmd_backfill() {
	local src=${1:-}
	[ -n "$src" ] || { usage >&2; exit 2; }
	[ -e "$src" ] || die 1 "$src: no such file or directory"
	step import sp-import "$src" >"$RUN_DIR/backfill.ndjson" || return
	step stage-export sp-stage plays <"$RUN_DIR/backfill.ndjson" >"$RUN_DIR/staged.txt" || return
	cmd_load
}

cmd_status() {
	local f=$SP_HOME/runs.log
	echo "SP_HOME $SP_HOME"
	echo
	echo "last runs (time, command, exit status, run directory):"
	if [ -s "$f" ]; then tail -n 8 "$f" | sed 's/^/  /'; else echo "  none yet"; fi
	echo
	echo "database:"
	psql -Atq -F ' ' -c "select '  ' || rpad(t, 22) || n from (
	    select 'plays' t, count(*) n from raw.plays where dup_of is null
	    union all select 'plays (duplicates)', count(*) from raw.plays where dup_of is not null
	    union all select 'tracks', count(*) from raw.tracks
	    union all select 'artists', count(*) from raw.artists
	    union all select 'objects loaded', count(*) from raw.load_ledger
	    union all select 'rejected rows', count(*) from raw.rejects) x" 2>/dev/null ||
	    echo "  not loaded yet"
	echo
	echo "staged but not loaded:"
	sp-load --pending 2>/dev/null | sed 's/^/  /' || echo "  (sp-load --pending failed)"
	echo
	echo "token:"
	sp-auth status 2>&1 | sed 's/^/  /'
}

# schedule: ingest and load hourly; candidates, recommend and publish
# weekly on Friday morning, when new releases are out.
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
40 7 * * 5 SP_HOME='$SP_HOME' '$me' run >>'$log' 2>&1 # sp-pipeline
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
	if [ "$cmd" = status ]; then
		with_db
		cmd_status
		exit 0
	fi
	lock
	local st=0
	case $cmd in
	report) with_db; new_run; step report sp-report --run "$SP_HOME/runs/latest" -o "$RUN_DIR/report.html"; st=$? ;;
	ingest) new_run; cmd_ingest; st=$? ;;
	load) with_db; new_run; cmd_load; st=$? ;;
	transform) with_db; new_run; cmd_transform; st=$? ;;
	recommend) with_db; new_run; cmd_candidates && cmd_transform && cmd_recommend; st=$? ;;
	publish) new_run; cmd_publish "$@"; st=$? ;;
	backfill) with_db; new_run; cmd_backfill "$@" && cmd_transform; st=$? ;;
	hourly) with_db; new_run; cmd_ingest && cmd_load; st=$? ;;
	run)
		with_db; new_run
		cmd_ingest && cmd_load && cmd_candidates && cmd_transform && cmd_recommend &&
		    cmd_publish "$RUN_DIR"
		st=$?
		;;
	esac
	finish_run "$cmd" "$st"
	exit "$st"
}

main "$@"
