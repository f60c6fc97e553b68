#!/usr/bin/env bash
# pipeline.sh: wires sp's tools into the ingest, load, transform, recommend
# and publish stages; keeps each run's files in $SP_HOME/runs/<time>/.
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# cron's PATH (/usr/bin:/bin on Debian) lacks runuser, which starts the
# embedded PostgreSQL as its user when sp runs as root.
export PATH="$ROOT/bin:$PATH:/usr/sbin:/sbin"
export SP_HOME=${SP_HOME:-$ROOT/var}
# Run directories are used from other directories (make -C): keep it absolute.
case $SP_HOME in /*) ;; *) SP_HOME=$PWD/$SP_HOME ;; esac
export SP_SHARE=${SP_SHARE:-$ROOT}

# Exit statuses: 0 ok, 1 a stage failed on bad data or local I/O, 2 usage,
# 3 upstream (Spotify, PostgreSQL) failure a rerun may fix, 4 another run
# holds the lock.
usage() {
	cat <<'U'
usage: pipeline.sh [-q] COMMAND [ARGS]

  -q, --quiet       no progress: neither the tools' (n/N on a terminal, a
                    summary line otherwise) nor a line for each step begun
                    or done; warnings and failures still (SP_QUIET=1)

Stages (each run keeps its files in $SP_HOME/runs/<time>/, 'latest' links
the newest with recommendations, 'latest-hourly' the newest hourly run;
SP_HOME defaults to var/ in this checkout):
  ingest            fetch recent plays, liked tracks, the playlists in
                    SP_PLAYLISTS and their artists; stage them
  load              load staged objects into PostgreSQL (exactly once)
  transform         build the SQL models and run their data tests
  recommend         fetch the tracks known only from an export, this week's
                    releases of your artists, transform,
                    then features | encode | svd | cosine -> recs.ndjson
                    (pipelines/run.mk: 'make recs' reruns the stale stages)
  publish [--dry-run] [--allow-empty] [RUN]
                    publish a run's recommendations (default: the latest
                    run) as a Spotify playlist, and as RUN/playlist.jspf,
                    .m3u and .csv; no recommendations keep the playlist
                    as it is (exit 1) unless --allow-empty
  run               all of the above, in order
  hourly            ingest and load (what the schedule runs every hour),
                    then prune
  backfill ZIP      import a privacy export (ZIP, folder or file) and load it
  resolve           search the tracks of account-data plays (names only),
                    then transform ('recommend' does this first too)
  status            last runs, the requests the last fetching run used,
                    row counts, unloaded objects, token expiry, then the
                    problems, one a line (exit 1; 3 when PostgreSQL or
                    Spotify failed)
  prune             remove runs that do not recommend (hourly, backfill,
                    ...) older than SP_KEEP_DAYS days (default 14; 0 keeps
                    all); runs that recommend are kept
  report [-o FILE]  an HTML report of listening and recommendations
                    (default: RUN/report.html of the latest run, else
                    $SP_HOME/report.html before any run)
  schedule [--install] [--systemd]
                    print (or install) the hourly and weekly schedule,
                    quiet (-q): the log keeps warnings and failures
  demo              every stage end to end on a simulated Spotify account
  backtest          the release-radar backtest on real playlists
  community [-o DIR] NAME=RUN_DIR NAME=RUN_DIR ...
                    community mode: recommend for several listeners'
                    runs at once (a household), each list using the
                    others' signals (pipelines/community.mk); writes
                    DIR/lists/NAME.ndjson (default DIR:
                    $SP_HOME/community/<time>)
  deps              install the Debian packages sp needs (as root)
  test              the test suite (make check)

With no database configured (SP_DATABASE_URL, or PGHOST), a private
PostgreSQL server runs under $SP_HOME/pg while a command needs it.
Settings (environment, else NAME=value lines in $SP_HOME/sp.conf):
SP_CLIENT_ID (your Spotify app's id, for sp-auth login), SP_PLAYLISTS,
SP_PLAYLIST_NAME, SP_DAYS (the window of new releases, default 7
days), SP_NOW, SP_AS_OF, SP_TZ, SP_DRY_RUN, SP_QUIET,
SP_ALLOW_EMPTY, SP_KEEP_DAYS, SP_DATABASE_URL (its password goes to psql
as PGPASSWORD), SP_SEARCH_MAX (track searches a run for account-data
plays; default 200), SP_REQUEST_BUDGET (API requests a run's fetches make
together, default 1500; the run's count is RUN/budget), SP_LOCK_WAIT
(seconds to wait for another run's lock; default 0: refuse at once).
Exit status: 0 ok; 1 a step failed on bad data or local I/O; 2 usage;
3 Spotify or PostgreSQL failed (a rerun may fix it); 4 another run holds
the lock.  Progress goes to stderr, each step's log to RUN/logs/.
U
}

say() { printf 'pipeline: %s\n' "$*" >&2; }
die() { local st=$1; shift; say "$*"; exit "$st"; }
# inform MESSAGE: progress, which -q (SP_QUIET=1) leaves out.
inform() { [ "${SP_QUIET:-0}" = 1 ] || say "$*"; }

# The tools, built on first use (a new user who imports an export before
# anything else, README "Your own listening", has not run make) and again
# after an update of the checkout (a source newer than the oldest tool).
# One build at a time.  A tool missing stops the command when make fails
# (deps.sh names missing packages first); after an update the old tools
# run, with a warning, so that an hourly run keeps collecting plays.
ensure_tools() {
	local c tools=() missing=0 oldest out
	for c in "$ROOT"/bin/sp-*.c; do
		[ -e "$c" ] || continue
		tools+=("bin/$(basename "${c%.c}")")
		[ -x "${c%.c}" ] || missing=$((missing + 1))
	done
	[ ${#tools[@]} -gt 0 ] || return 0
	if [ "$missing" -gt 0 ]; then
		inform "building the tools first (make; $missing missing)"
		"$ROOT/pipelines/deps.sh" >/dev/null ||
		    die 1 "the packages sp needs are missing: run $ROOT/pipelines/deps.sh as root (or 'make deps'), then make"
	else
		oldest=$(cd "$ROOT" && ls -1tr "${tools[@]}" | head -n 1)
		[ -n "$(find "$ROOT/bin" "$ROOT/libcommon" -maxdepth 1 \( -name '*.c' -o -name '*.h' \) \
		    -newer "$ROOT/$oldest" -print -quit 2>/dev/null)" ] || return 0
		inform "the sources are newer than the tools: rebuilding them (make)"
	fi
	if out=$(flock "$ROOT/.build-lock" make -k -s -j"$(nproc 2>/dev/null || echo 2)" -C "$ROOT" \
	    "${tools[@]}" 2>&1); then
		# Up to date, whether or not make relinked each one (a source
		# one tool does not use): not checked again.
		(cd "$ROOT" && touch "${tools[@]}") 2>/dev/null
		return 0
	fi
	printf '%s\n' "$out" | tail -n 5 >&2
	[ "$missing" -gt 0 ] && die 1 "make failed in $ROOT: run make there to see why"
	say "warning: make failed in $ROOT; running the tools as they were built (run make there to see why)"
}

# What an older sp wrote before the umask above (runs, staged batches and
# reports at 0644 and 0755), or the user did (echo SP_TZ=... >>sp.conf),
# is made the user's alone too, once, with a word.  The embedded
# PostgreSQL's directory is the server's to keep, and SP_HOME itself may
# keep others' search bit (pg.sh gives it, as root, so that the server's
# user reaches its directory): not their read or write.
private_home() {
	local f
	[ -d "$SP_HOME" ] || return 0
	f=$(find "$SP_HOME" -maxdepth 0 -perm /066 -print)
	[ -n "$f" ] || f=$(find "$SP_HOME" -mindepth 1 -path "$SP_HOME/pg" -prune -o \
	    ! -type l -perm /077 -print -quit 2>/dev/null)
	[ -n "$f" ] || return 0
	if { chmod go-rw "$SP_HOME" &&
	    find "$SP_HOME" -mindepth 1 -path "$SP_HOME/pg" -prune -o ! -type l -perm /077 \
	    -exec chmod go-rwx {} +; } 2>/dev/null; then
		inform "made the files of $SP_HOME readable by you alone (some were readable by others)"
	else
		say "warning: could not make every file of $SP_HOME private (chmod go-rwx)"
	fi
}

# The one settings file, $SP_HOME/sp.conf: NAME=value lines (SP_PLAYLIST_NAME,
# SP_TZ, SP_CLIENT_ID, SP_DATABASE_URL, PGHOST, ..., and XDG_CONFIG_HOME
# where the token lives, as the demo's does), read, never run, with
# the rules of sp_conf_line in libcommon/config.h, so the tools read it as
# this script does.  The environment wins over the file.
read_settings() {
	local f=$1 line n=0 name value
	local q1="^([A-Z][A-Z0-9_]*)='([^']*)'\$"
	local q2='^([A-Z][A-Z0-9_]*)="([^"$`\\]*)"$'
	local bare="^([A-Z][A-Z0-9_]*)=([^[:space:]'\"\`\$\\\\;&|<>()~]*)\$"
	# A value with blanks and nothing else a shell would read: only quotes missing.
	local blank="^[A-Z][A-Z0-9_]*=[^'\"\`\$\\\\;&|<>()~]*[[:space:]][^'\"\`\$\\\\;&|<>()~]*\$"
	local -A mine=()
	[ -f "$f" ] || return 0
	while IFS= read -r line || [ -n "$line" ]; do
		n=$((n + 1))
		line=${line#"${line%%[![:space:]]*}"}
		line=${line%"${line##*[![:space:]]}"}
		case $line in '' | '#'*) continue ;; esac
		[[ $line =~ ^export[[:space:]]+(.*)$ ]] && line=${BASH_REMATCH[1]}
		if ! [[ $line =~ $q1 || $line =~ $q2 || $line =~ $bare ]]; then
			if [[ $line =~ $blank ]]; then
				say "$f:$n: not a setting: a value with blanks needs quotes (${line%%=*}='${line#*=}'); ignored"
			else
				say "$f:$n: not a setting (NAME=value, nothing a shell would expand); ignored"
			fi
			continue
		fi
		name=${BASH_REMATCH[1]} value=${BASH_REMATCH[2]}
		case $name in
		SP_* | PG* | XDG_CONFIG_HOME | XDG_STATE_HOME | XDG_CACHE_HOME) ;;
		*) say "$f:$n: $name is not an sp setting (SP_..., PG... or XDG_..._HOME); ignored"; continue ;;
		esac
		[ -n "${!name:-}" ] && [ -z "${mine[$name]:-}" ] && continue
		mine[$name]=1
		export "$name=$value"
	done <"$f"
}
read_settings "$SP_HOME/sp.conf"

# quiet_settings: SP_QUIET (-q) 1 turns the tools' progress off
# (SP_PROGRESS, libcommon/progress.h) and their -v reports, and the lines
# of each step begun and done.
VERBOSE=(-v)
quiet_settings() {
	case ${SP_QUIET:-0} in
	0 | '') ;;
	1) export SP_PROGRESS=off; VERBOSE=() ;;
	*) die 2 "SP_QUIET: not 0 or 1: '$SP_QUIET'" ;;
	esac
}

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

# new_run COMMAND: the run's directory, with the command that made it
# (RUN/command), its day (RUN/now: SP_NOW, else today in UTC) and its
# window of new releases (RUN/days: SP_DAYS, else 7), which the release
# sweep and every rerun of its stages (make recs) use.  runs/latest-hourly follows
# the hourly runs; runs/latest moves only when a run has produced
# recommendations (set_latest).
RUN_DIR=
new_run() {
	local ts
	ts=$(date -u +%Y%m%dT%H%M%SZ)
	RUN_DIR=$SP_HOME/runs/$ts
	local n=1
	while [ -e "$RUN_DIR" ]; do RUN_DIR=$SP_HOME/runs/$ts.$n; n=$((n + 1)); done
	mkdir -p "$RUN_DIR/logs" || die 1 "cannot create $RUN_DIR"
	printf '%s\n' "$1" >"$RUN_DIR/command"
	printf '%s\n' "${SP_NOW:-$(date -u +%F)}" >"$RUN_DIR/now"
	printf '%s\n' "${SP_DAYS:-7}" >"$RUN_DIR/days"
	# Every fetch of the run takes its requests from one budget (sp-fetch(1)).
	export SP_RUN_BUDGET=$RUN_DIR/budget
	[ "$1" = hourly ] && ln -sfn "$(basename "$RUN_DIR")" "$SP_HOME/runs/latest-hourly"
	inform "run directory $RUN_DIR"
}

set_latest() {
	ln -sfn "$(basename "$RUN_DIR")" "$SP_HOME/runs/latest"
}

# An older sp moved runs/latest to every run (backfill, hourly): status,
# report and publish would find no recommendations there.  It is moved
# back to the newest run that has them, once, with a word.
fix_latest() {
	local l=$SP_HOME/runs/latest r
	[ -L "$l" ] && [ -d "$l" ] && [ ! -e "$l/recs.ndjson" ] || return 0
	r=$(cd "$SP_HOME/runs" && ls -1d -- */recs.ndjson 2>/dev/null | sort | tail -n 1)
	r=${r%/recs.ndjson}
	if [ -n "$r" ] && [ ! -L "$SP_HOME/runs/$r" ]; then
		ln -sfn "$r" "$l" && say "runs/latest pointed at a run without recommendations (an older sp moved it to every run): it is $r again"
	else
		rm -f -- "$l" && say "runs/latest pointed at a run without recommendations (an older sp moved it to every run): removed, as no run has any"
	fi
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
		# A mistyped URL ("postgresql:/u:pw@host/db") would reach libpq
		# as key=value settings, whose error repeats it, password and all.
		case ${SP_DATABASE_URL:-} in
		postgres://* | postgresql://* | *=*) ;;
		?*) die 1 "SP_DATABASE_URL is neither a URL (postgresql://USER:PASSWORD@HOST:PORT/DB) nor key=value settings (host=... dbname=...): check its beginning" ;;
		esac
		return 0
	fi
	. "$ROOT/pipelines/lib/pg.sh"
	if sp_pg_running "$SP_HOME/pg"; then
		export PGHOST=$SP_HOME/pg PGPORT=${SP_PG_PORT:-5432} PGUSER=sp
	else
		inform "starting the embedded PostgreSQL in $SP_HOME/pg"
		# The server outlives a killed run: it must not hold the run's
		# lock (fd 9), or no run could start again until it stops.
		sp_pg_start "$SP_HOME/pg" 9>&- || die 3 "the embedded PostgreSQL did not start"
		EMBEDDED_PG=$SP_HOME/pg
	fi
	export PGDATABASE=sp
	if ! psql -d postgres -Atqc "select 1 from pg_database where datname = 'sp'" | grep -q 1; then
		createdb sp || die 3 "createdb sp failed"
	fi
}

stop_db() {
	if [ -n "$EMBEDDED_PG" ]; then
		# Not holding the lock (fd 9) either: a killed run's last subshell may
		# still be stopping the server when the next run starts.
		sp_pg_stop "$EMBEDDED_PG" 9>&-
		EMBEDDED_PG=
	fi
}

# db_url_env: DB_URL is SP_DATABASE_URL without its password, which goes
# to PGPASSWORD: a command line is visible to every local user (ps), the
# environment only to its owner.  Handles the URI form (the password in
# the user info or as ?password=, percent-encoded) and the key=value form
# (password=secret or password='a \'quoted\' secret').
DB_URL=
db_url_env() {
	local u=${SP_DATABASE_URL:-} pw= body auth rest q re
	DB_URL=$u
	[ -n "$u" ] || return 0
	case $u in
	postgres://* | postgresql://*)
		body=${u#*://}
		auth=${body%%[/?]*}
		rest=${body#"$auth"}
		case $auth in
		*@*)
			local ui=${auth%@*}
			case $ui in *:*) pw=${ui#*:}; auth=${ui%%:*}@${auth##*@} ;; esac
			;;
		esac
		case $rest in
		*'?'*)
			q=${rest#*\?}
			rest=${rest%%\?*}
			local kv out=
			while [ -n "$q" ]; do
				kv=${q%%&*}
				case $q in *'&'*) q=${q#*&} ;; *) q= ;; esac
				case $kv in
				password=*) pw=${kv#password=} ;;
				*) out=${out:+$out&}$kv ;;
				esac
			done
			[ -n "$out" ] && rest="$rest?$out"
			;;
		esac
		DB_URL=${u%%://*}://$auth$rest
		pw=${pw//\\/\\\\}
		printf -v pw '%b' "${pw//%/\\x}"
		;;
	*)
		re='(^|[[:space:]])password[[:space:]]*=[[:space:]]*('"'"'([^'"'"'\\]|\\.)*'"'"'|[^[:space:]]*)'
		if [[ $u =~ $re ]]; then
			pw=${BASH_REMATCH[2]}
			DB_URL=${u/"${BASH_REMATCH[0]}"/${BASH_REMATCH[1]}}
			case $pw in
			"'"*)
				pw=${pw#\'}
				pw=${pw%\'}
				pw=$(printf '%s' "$pw" | sed "s/\\\\\(.\)/\\1/g")
				;;
			esac
		fi
		;;
	esac
	[ -n "$pw" ] && export PGPASSWORD=$pw
	return 0
}

# db_psql ARGS: psql on the pipeline's database, no password in its argv.
# query NAME: the rows of pipelines/queries/NAME.sql, rendered as the
# models are (ref(), source()), so that sp-model catches a broken name.
query() {
	local sql
	sql=$(sp-model compile "$ROOT/pipelines/queries/$1.sql") || return
	printf '%s\n' "$sql" | db_psql -Atq -f -
}

db_psql() {
	if [ -n "${SP_DATABASE_URL:-}" ]; then
		db_url_env
		psql -X -v ON_ERROR_STOP=1 "$DB_URL" "$@"
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
	[ "${SP_QUIET:-0}" = 1 ] || say "$name ..."
	if [ -n "$RUN_DIR" ]; then
		# The log is whole once tee has ended: waited for, since callers
		# read its last lines.  On a terminal the tools draw their
		# progress line on it, though their stderr is this pipe; the
		# log keeps the summaries only.
		local lfd tp prog=${SP_PROGRESS:-}
		if [ -t 2 ] && [ -z "$prog" ]; then
			prog=tty
			exec {lfd}> >(tee /dev/fd/2 | sed -u 's/.*\r//; s/\x1b\[K//g' >>"$RUN_DIR/logs/$name.log")
		else
			exec {lfd}> >(tee -a "$RUN_DIR/logs/$name.log" >&2)
		fi
		tp=$!
		SP_PROGRESS=$prog "$@" 2>&"$lfd" {lfd}>&-
		st=$?
		exec {lfd}>&-
		wait "$tp" 2>/dev/null
	else
		"$@"
		st=$?
	fi
	if [ "$st" = 0 ]; then
		[ "${SP_QUIET:-0}" = 1 ] || say "$name done in $(($(date +%s) - t0)) s"
	else
		say "$name failed (exit $st)${RUN_DIR:+; log: $RUN_DIR/logs/$name.log}"
		# The first failure of the run, for status.
		[ -n "$RUN_DIR" ] && [ ! -e "$RUN_DIR/failed-step" ] && printf '%s\n' "$name" >"$RUN_DIR/failed-step"
	fi
	return "$st"
}

# step_refused NAME MESSAGE: a step that cannot run, said, logged in
# logs/NAME.log as the step's failure for status.  The caller returns 1.
step_refused() {
	say "$2"
	if [ -n "$RUN_DIR" ]; then
		printf 'pipeline: %s\n' "$2" >>"$RUN_DIR/logs/$1.log"
		[ -e "$RUN_DIR/failed-step" ] || printf '%s\n' "$1" >"$RUN_DIR/failed-step"
	fi
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
	local st name=${3:-stage-$1}
	[ -s "$2" ] || { inform "$name: nothing to stage"; return 0; }
	step "$name" sp-stage "$1" "$2" >>"$RUN_DIR/staged.txt"
	st=$?
	# Rejected records (exit 1, the valid ones staged) are reported and
	# kept in the rejects file; they never stop the rest of the run.
	if [ "$st" = 1 ] && tail -n 3 "$RUN_DIR/logs/$name.log" | grep -q ' records rejected; see '; then
		say "$name: $(tail -n 3 "$RUN_DIR/logs/$name.log" | sed -n 's/^sp-stage: \(.* records rejected\);.*/\1/p' | tail -n 1); the others are staged"
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
# What a fetch got before failing is staged too (fetch_stage).  The plays
# first: once sp-fetch has them, its cursor has moved past them, so a run
# killed (or a store full) before they are staged would lose them for
# good; RUN/ingest/plays.pending marks them until they are, and the next
# ingest stages what an earlier run left so.  A playlist or the liked
# tracks failing (a playlist deleted, a scope missing) is reported and the
# rest goes on: the first failure is the status.
INGEST_PLAYS=
cmd_ingest() {
	local d=$RUN_DIR/ingest pl st=0 f
	mkdir -p "$d"
	for f in "$SP_HOME"/runs/*/ingest/plays.pending; do
		[ -e "$f" ] || continue
		if stage plays "${f%.pending}.ndjson" stage-leftover-plays; then
			rm -f -- "$f"
			say "staged the plays that $(basename "$(dirname "$(dirname "$f")")") fetched but did not stage"
		else
			st=1
		fi
	done
	: >"$d/plays.pending"
	step fetch-plays sp-fetch recently-played >"$d/plays.ndjson"
	f=$?
	stage plays "$d/plays.ndjson" || return
	rm -f -- "$d/plays.pending"
	# Nothing more is asked of Spotify when it failed on the plays.
	[ "$f" = 0 ] || return "$f"
	INGEST_PLAYS=ok
	check_gap "$d/plays.ndjson"
	fetch_stage saved fetch-saved "$d/saved.ndjson" sp-fetch saved || { f=$?; [ "$st" = 0 ] && st=$f; }
	for pl in ${SP_PLAYLISTS:-}; do
		fetch_stage playlists "fetch-playlist-$pl" "$d/playlist-$pl.ndjson" sp-fetch playlist "$pl" && continue
		f=$?
		[ "$st" = 0 ] && st=$f
		grep -q 'HTTP 404' "$RUN_DIR/logs/fetch-playlist-$pl.log" 2>/dev/null &&
		    say "playlist $pl: Spotify does not know it (deleted?): remove it from SP_PLAYLISTS"
	done
	# A short write (a full disk) must not pass for a short input.
	local seen=("$d/plays.ndjson" "$d/saved.ndjson")
	for f in "$d"/playlist-*.ndjson; do [ -e "$f" ] && seen+=("$f"); done
	cat -- "${seen[@]}" >"$d/seen.ndjson" || { say "cannot write $d/seen.ndjson"; return 1; }
	fetch_stage artists fetch-artists "$d/artists.ndjson" sp-fetch artists <"$d/seen.ndjson" ||
	    { f=$?; [ "$st" = 0 ] && st=$f; }
	return "$st"
}

# check_gap PLAYS: a full page of 50 recent plays whose oldest is newer
# than the newest play loaded means the plays in between are lost
# (Spotify keeps 50): RUN/gap says so, for status.  Needs the database;
# without one (ingest alone) nothing is checked.
check_gap() {
	local oldest newest
	grep -q 'returned a full page' "$RUN_DIR/logs/fetch-plays.log" 2>/dev/null || return 0
	oldest=$(jq -r 'select(.kind == "play") | .data.played_at' "$1" | sort | head -n 1)
	[ -n "$oldest" ] || return 0
	newest=$(db_psql -Atq -c "select to_char(max(played_at) at time zone 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') from raw.plays" 2>/dev/null) ||
	    return 0
	[ -n "$newest" ] || return 0
	if [ "$(date -u -d "$oldest" +%s)" -gt "$(date -u -d "$newest" +%s)" ]; then
		oldest=$(date -u -d "$oldest" +%Y-%m-%dT%H:%M:%SZ)
		printf 'plays between %s and %s may be missing: recently-played returned a full page of 50\n' \
		    "$newest" "$oldest" >"$RUN_DIR/gap"
		say "$(cat "$RUN_DIR/gap")"
		# status lists it for a week, whatever runs after.
		printf '%s\t%s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$(cat "$RUN_DIR/gap")" >>"$SP_HOME/gaps.log"
	fi
	return 0
}

cmd_load() {
	step load sp-load "${VERBOSE[@]}"
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

# resolve: an account-data play names its track only by track and artist
# name.  The name pairs the models left pending (not found in the plays
# with ids, not searched yet), the most played first, are searched, at
# most SP_SEARCH_MAX a run; the answers go to raw.track_searches (the
# cache: a pair is never searched twice) with the tracks found and their
# artists, and the next transform gives the plays their track ids.
cmd_resolve() {
	local d=$RUN_DIR/resolve n
	n=$(query resolutions-built) ||
	    { say "could not read the account-data plays"; return 3; }
	[ "$n" = t ] || return 0
	mkdir -p "$d"
	query resolve-pairs >"$d/pairs.ndjson" ||
	    { say "could not read the account-data plays"; return 3; }
	[ -s "$d/pairs.ndjson" ] || return 0
	n=$(wc -l <"$d/pairs.ndjson")
	inform "resolve: searching the tracks of $(( n < ${SP_SEARCH_MAX:-200} ? n : ${SP_SEARCH_MAX:-200} )) of $n account-data name pairs"
	fetch_stage searches search-tracks "$d/searches.ndjson" \
	    sp-fetch --max-searches "${SP_SEARCH_MAX:-200}" search-tracks <"$d/pairs.ndjson" || return
	fetch_stage artists fetch-search-artists "$d/artists.ndjson" sp-fetch artists <"$d/searches.ndjson" || return
	step load-searches sp-load "${VERBOSE[@]}"
}

# candidates: new releases of the artists in the listening history (those
# of played, liked and playlist tracks), plus search tag:new, staged and
# loaded so the models see them.
cmd_candidates() {
	local d=$RUN_DIR/candidates loaded
	loaded=$(db_psql -Atq -c "select to_regclass('raw.plays') is not null") ||
	    { say "could not read the database"; return 3; }
	if [ "$loaded" != t ]; then
		step_refused candidates "nothing loaded yet: first 'pipeline.sh backfill ZIP' (the export Spotify sent you) or 'pipeline.sh hourly' (your recent plays)"
		return 1
	fi
	cmd_resolve || return
	mkdir -p "$d"
	# Tracks known only by URI (privacy-export plays) and their artists,
	# so that the models see their names, artists and genres.
	query unknown-tracks >"$d/unknown-tracks.txt" || { say "could not read the plays' tracks"; return 3; }
	if [ -s "$d/unknown-tracks.txt" ]; then
		inform "candidates: fetching $(grep -c . "$d/unknown-tracks.txt") tracks known only from plays"
		fetch_stage tracks fetch-tracks "$d/tracks.ndjson" sp-fetch tracks <"$d/unknown-tracks.txt" || return
		fetch_stage artists fetch-track-artists "$d/track-artists.ndjson" sp-fetch artists <"$d/tracks.ndjson" || return
		step load-tracks sp-load "${VERBOSE[@]}" || return
	fi
	# Most played first (sp-fetch resumes a sweep the budget cut short).
	query history-artists >"$d/artist-ids.txt" ||
	    { say "could not read the artists of the history"; return 3; }
	inform "candidates: sweeping the releases of $(grep -c . "$d/artist-ids.txt") artists"
	fetch_stage catalog fetch-releases "$d/releases.ndjson" sp-fetch releases --days "$(cat "$RUN_DIR/days")" \
	    ${SP_NOW:+--now "$SP_NOW"} <"$d/artist-ids.txt" || return
	step load-releases sp-load "${VERBOSE[@]}"
}

# run_mk TARGET: pipelines/run.mk's TARGET in the run.  A stage that fails
# leaves its message in its own log, and make's status is 2 whatever the
# stage's: the message is repeated here, and the status is 1 (the stages
# read and write only the run's files).
run_mk() {
	local stage
	make --no-print-directory -f "$ROOT/pipelines/run.mk" -C "$RUN_DIR" ROOT="$ROOT" "$@" && return 0
	stage=$(tail -n 1 "$RUN_DIR/logs/stages.log" 2>/dev/null)
	[ -n "$stage" ] && last_message "$RUN_DIR/logs/$stage.log" >&2
	return 1
}

# recommend: the run's intermediate files are built by pipelines/run.mk,
# so 'make -C RUN -f pipelines/run.mk' (make recs) reruns only what is stale.
cmd_recommend() {
	local a=() msg
	[ -n "${SP_AS_OF:-}" ] && a+=(--as-of "$SP_AS_OF")
	step features sp-features "${a[@]}" >"$RUN_DIR/features.ndjson" || return
	inform "features: $(wc -l <"$RUN_DIR/features.ndjson") tracks"
	if [ ! -s "$RUN_DIR/features.ndjson" ]; then
		msg="no track to recommend from: Spotify has described none of the history's tracks"
		msg+=" and no release of the week (an account-data export's plays get theirs from"
		msg+=" pipeline.sh resolve)"
		step_refused features "$msg"
		return 1
	fi
	# NOW: the run's own day (RUN/now), which run.mk reads.
	step_quiet recommend run_mk recs.ndjson || return
	set_latest
	inform "recommend: $(wc -l <"$RUN_DIR/recs.ndjson") recommendations in $RUN_DIR/recs.ndjson"
}

# publish [--dry-run] [RUN]: the playlist of a run (default the latest),
# also written as RUN/playlist.{jspf,m3u,csv}; the listing (each track with
# its reason) is RUN/playlist.txt and stdout.
# publish_args ARGS: checked before the lock; sets PUB_RUN, PUB_DRY and
# PUB_EMPTY (--allow-empty, or SP_ALLOW_EMPTY=1: publish an empty list).
PUB_RUN= PUB_DRY=${SP_DRY_RUN:-} PUB_EMPTY=${SP_ALLOW_EMPTY:-}
[ "$PUB_EMPTY" = 0 ] && PUB_EMPTY=
publish_args() {
	local a
	for a in "$@"; do
		case $a in
		--dry-run) PUB_DRY=1 ;;
		--allow-empty) PUB_EMPTY=1 ;;
		-*) usage >&2; exit 2 ;;
		*) [ -z "$PUB_RUN" ] || { usage >&2; exit 2; }; PUB_RUN=$a ;;
		esac
	done
}

cmd_publish() {
	local run=${PUB_RUN:-$SP_HOME/runs/latest} dry=$PUB_DRY method
	[ -f "$run/recs.ndjson" ] || die 1 "$run/recs.ndjson: no recommendations to publish"
	run=$(cd "$run" && pwd -P)
	[ -n "$RUN_DIR" ] || { RUN_DIR=$run; mkdir -p "$RUN_DIR/logs"; }
	method=$(make -s --no-print-directory -f "$ROOT/pipelines/run.mk" -C "$run" ROOT="$ROOT" method 2>/dev/null) ||
	    method=cosine
	local opts=(--out "$run/playlist" --method "$method")
	[ -f "$run/features.ndjson" ] && opts+=(--tracks "$run/features.ndjson")
	[ -n "${SP_PLAYLIST_NAME:-}" ] && opts+=(--name "$SP_PLAYLIST_NAME")
	[ -n "$dry" ] && opts+=(--dry-run)
	[ -n "$PUB_EMPTY" ] && opts+=(--allow-empty)
	step publish sp-publish "${opts[@]}" "$run/recs.ndjson" >"$run/playlist.txt" || return
	cat "$run/playlist.txt"
}

# backfill_args ARGS: checked before the lock, the database and the run.
backfill_args() {
	if [ $# = 0 ] || [ -z "$1" ]; then
		say "backfill: which export? (the my_spotify_data.zip Spotify sent you, its folder, or one of its JSON files)"
		echo "usage: pipeline.sh [-q] backfill ZIP|DIR|FILE" >&2; exit 2
	fi
	[ $# = 1 ] || { say "backfill: one export at a time"; echo "usage: pipeline.sh [-q] backfill ZIP|DIR|FILE" >&2; exit 2; }
	[ -e "$1" ] || die 1 "$1: no such file or directory"
	[ -r "$1" ] || die 1 "$1: not readable"
}

cmd_backfill() {
	local src=$1
	step import sp-import "${VERBOSE[@]}" "$src" >"$RUN_DIR/backfill.ndjson" || return
	inform "import: $(wc -l <"$RUN_DIR/backfill.ndjson") records"
	stage plays "$RUN_DIR/backfill.ndjson" || return
	cmd_load
}

# status: what is there and what is wrong.  Each problem (database
# unreachable, token missing or refused, the last hourly or weekly run
# failed, the latest command failed, plays missing in a gap, staged
# objects not loaded) is a line under "problems:"; the exit status is
# then 3 when the database or Spotify failed, else 1.
STATUS_PROBLEMS=() STATUS_UPSTREAM=
problem() {
	STATUS_PROBLEMS+=("$1")
	[ -n "${2:-}" ] && STATUS_UPSTREAM=1
	return 0
}

# last_run CMD...: the last runs.log line of one of the commands.
# published_since TIME: a pipeline.sh publish succeeded after TIME.
published_since() {
	awk -F '\t' -v t="$1" '$2 == "publish" && $3 == 0 && $1 > t { f = 1 } END { exit !f }' \
	    "$SP_HOME/runs.log" 2>/dev/null
}

last_run() {
	local re
	re=$(printf '%s|' "$@")
	awk -F '\t' -v re="^(${re%|})\$" '$2 ~ re { l = $0 } END { if (l != "") print l }' "$SP_HOME/runs.log" 2>/dev/null
}

# last_message LOG: the last message (not a hint) of a tool or of this
# script in a step's log.
last_message() {
	grep '^\(sp-[a-z]*\|pipeline\): ' "$1" 2>/dev/null | grep -v ': hint: ' | tail -n 1
}

# why_failed RUN: "STEP (exit N): the step's last tool message".
why_failed() {
	local run=$1 st=$2 step msg=
	step=$(cat "$run/failed-step" 2>/dev/null)
	[ -n "$step" ] && msg=$(last_message "$run/logs/$step.log")
	printf '%s(exit %s)%s' "${step:+in $step }" "$st" "${msg:+: $msg}"
}

# budget_status: the request budget of the last run that fetched: a line
# "requests: N of M used", and a problem when it ran out, with what the
# fetches left for the next run.
budget_status() {
	local line t cmd run used total left
	line=$(last_run hourly run ingest recommend resolve)
	[ -n "$line" ] || return 0
	IFS=$'\t' read -r t cmd _ run <<<"$line"
	[ -s "$run/budget" ] || return 0
	read -r used _ total <"$run/budget"
	case $used$total in *[!0-9]* | '') echo "requests: unreadable count in $run/budget"; echo; return 0 ;; esac
	if [ "$total" = 0 ]; then
		echo "requests: $used used, no budget, by the last fetching run ($cmd at $t)"
	else
		echo "requests: $used of $total used by the last fetching run ($cmd at $t)"
	fi
	echo
	[ "$total" -gt 0 ] && [ "$used" -ge "$total" ] || return 0
	left=$(cat "$run"/logs/*.log 2>/dev/null | sed -n -e 's/^sp-fetch: \(.* left\) for the next run$/\1/p' \
	    -e 's/^sp-fetch: \(.* left\); the next run goes on from there$/\1/p' \
	    -e 's/^sp-fetch: \(.*\): stopped by the request budget.*/\1: not fetched/p' | paste -sd';' | sed 's/;/; /g')
	problem "the request budget of $total ran out in the last fetching run ($cmd at $t)${left:+; left for the next run: $left}"
}

cmd_status() {
	local f=$SP_HOME/runs.log line run t st cmd latest=$SP_HOME/runs/latest err
	echo "SP_HOME $SP_HOME"
	echo
	echo "last runs (time, command, exit status, run directory):"
	if [ -s "$f" ]; then tail -n 8 "$f" | sed 's/^/  /'; else echo "  none yet"; fi
	# After the demo: its world is elsewhere.
	if [ ! -s "$f" ] && [ -s "$ROOT/var/demo/runs.log" ] && [ "$SP_HOME" != "$ROOT/var/demo" ]; then
		echo "  (the demo's runs are in $ROOT/var/demo: SP_HOME=$ROOT/var/demo $ROOT/pipeline.sh status)"
	fi
	echo
	if [ -f "$latest/recs.ndjson" ]; then
		run=$(cd "$latest" && pwd -P)
		echo "latest recommendations: $(wc -l <"$latest/recs.ndjson") in $run"
		[ -s "$latest/playlist.txt" ] && sed -n '1s/^/  /p' "$latest/playlist.txt"
		[ -e "$latest/playlist.txt" ] && [ "$latest/playlist.txt" -ot "$latest/recs.ndjson" ] &&
		    echo "  stale: playlist.* are older than recs.ndjson (pipeline.sh publish)"
		echo
	fi
	# The weekly run and the hourly one: failed last time?
	line=$(last_run run)
	if [ -n "$line" ]; then
		IFS=$'\t' read -r t _ st run <<<"$line"
		if [ "$st" = 0 ]; then
			:
		elif [ -s "$run/playlist.txt" ] && ! grep -q 'refused every one' "$run/logs/publish.log" 2>/dev/null; then
			problem "the last weekly run ($t) published its playlist, but failed $(why_failed "$run" "$st")"
		elif [ -e "$run/recs.ndjson" ] && [ ! -s "$run/recs.ndjson" ] &&
		    [ "$(cat "$run/failed-step" 2>/dev/null)" = publish ]; then
			# A week without releases of the listener's artists: not a
			# fault, and last week's playlist stays (sp-publish).
			echo "the last weekly run ($t) found no new release to recommend; last week's playlist was kept"
			echo
		elif published_since "$t"; then
			echo "the last weekly run ($t) failed $(why_failed "$run" "$st"); a later pipeline.sh publish succeeded"
			echo
		else
			problem "the last weekly run ($t) failed $(why_failed "$run" "$st"); the published playlist was kept"
		fi
	fi
	line=$(last_run hourly)
	if [ -n "$line" ]; then
		IFS=$'\t' read -r t _ st run <<<"$line"
		[ "$st" != 0 ] && problem "the last hourly run ($t) failed $(why_failed "$run" "$st")"
	fi
	# Plays lost in a gap (Spotify keeps the last 50) in the last week:
	# an export of the extended history has them.
	if [ -s "$SP_HOME/gaps.log" ]; then
		local since
		since=$(date -u -d '7 days ago' +%Y-%m-%dT%H:%M:%SZ)
		while IFS=$'\t' read -r t line; do
			[[ $t < $since ]] || problem "$line (found $t; pipeline.sh backfill of a new export fills it)"
		done <"$SP_HOME/gaps.log"
	fi
	# Any other command (recommend, publish, backfill, ...) that failed
	# and is the latest: nothing has run since to set it right.
	line=$(tail -n 1 "$f" 2>/dev/null)
	if [ -n "$line" ]; then
		IFS=$'\t' read -r t cmd st run <<<"$line"
		case $cmd in run | hourly) ;; *)
			[ "$st" != 0 ] && problem "the last command, pipeline.sh $cmd ($t), failed $(why_failed "$run" "$st")" ;;
		esac
	fi
	budget_status
	echo "database:"
	if ! err=$(db_psql -Atq -c 'select 1' 2>&1 >/dev/null); then
		err=$(printf '%s\n' "$err" | head -n 1)
		echo "  unreachable: $err"
		problem "database unreachable: $err" upstream
	elif [ "$(db_psql -Atq -c "select to_regclass('raw.plays') is not null" 2>/dev/null)" != t ]; then
		echo "  nothing loaded yet"
	else
		query status-counts 2>/dev/null || echo "  (the row counts failed)"
		query status-resolutions 2>/dev/null
	fi
	echo
	echo "staged but not loaded:"
	# sp-load's own answer: the same rule as a load, for any store.
	local pending np
	if pending=$(sp-load --pending 2>/dev/null); then
		if [ -n "$pending" ]; then
			printf '%s\n' "$pending" | sed 's/^/  /'
			# While a run holds the lock, staged objects are on their way.
			if [ ! -e "$SP_HOME/pipeline.lock" ] || (exec 8<"$SP_HOME/pipeline.lock" && flock -n 8); then
				np=$(printf '%s\n' "$pending" | grep -c .)
				problem "$np staged object$([ "$np" = 1 ] || echo s) not loaded (pipeline.sh load loads them)"
			fi
		else
			echo "  none"
		fi
	else
		echo "  (sp-load --pending failed)"
	fi
	echo
	[ -s "$SP_HOME/state/upstream-failure" ] && { echo "last upstream failure:"; sed 's/^/  /' "$SP_HOME/state/upstream-failure"; echo; }
	echo "token:"
	# A demo's home after the demo: its simulated Spotify is gone with it.
	if [ "${SP_DEMO:-}" = 1 ] && [ -z "${SP_API_BASE:-}" ]; then
		echo "  the demo's simulated account: its Spotify ran only during the demo (not asked)"
		sp-auth status --offline 2>&1 | sed 's/^/  /'
		[ "${PIPESTATUS[0]}" = 0 ] || problem "token: the demo's tokens are missing (run the demo again)"
		status_end
		return
	fi
	err=$(sp-auth status 2>&1)
	st=$?
	printf '%s\n' "$err" | sed 's/^/  /'
	if [ "$st" != 0 ]; then
		# 4: the refresh token expires within 14 days; 5: it has.
		err=$(printf '%s\n' "$err" | grep '^sp-auth: ' | grep -v ': hint: ' | head -n 1)
		case $st in
		3) problem "token: ${err#sp-auth: }" upstream ;;
		4) problem "token: ${err#sp-auth: } (sp-auth login renews it)" ;;
		*) problem "token: ${err#sp-auth: }" ;;
		esac
	fi
	status_end
}

# status_end: the problems found, and status's exit status.
status_end() {
	[ ${#STATUS_PROBLEMS[@]} = 0 ] && return 0
	echo
	echo "problems:"
	printf '  %s\n' "${STATUS_PROBLEMS[@]}"
	[ -n "$STATUS_UPSTREAM" ] && return 3
	return 1
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
	sp-report "${args[@]}" || return
	say "report: $out"
}

# cron_word S: S quoted for sh, with cron's % escaped.
cron_word() {
	local q="'${1//\'/\'\\\'\'}'"
	printf '%s\n' "${q//%/\\%}"
}

# sd_word S [exec]: S as one quoted word of a systemd unit: \ and " escaped,
# % (a specifier) doubled, and for ExecStart $ (a variable) doubled.
sd_word() {
	local w=${1//\\/\\\\}
	w=${w//\"/\\\"}
	w=${w//%/%%}
	[ "${2:-}" = exec ] && w=${w//\$/\$\$}
	printf '"%s"\n' "$w"
}

# prune: the retention rule.  A run that recommends (run, recommend, or
# any run holding recs.ndjson) is kept for good; any other (hourly, ingest,
# load, backfill, transform) for SP_KEEP_DAYS days (default 14; 0 keeps
# every run); a run that runs/latest or runs/latest-hourly names is kept.
cmd_prune() {
	local days=${SP_KEEP_DAYS:-14} cut d name kind removed=0 kept=0 keep
	[[ $days =~ ^[0-9]+$ ]] || die 2 "SP_KEEP_DAYS: not a number of days: '$days'"
	if [ "$days" = 0 ]; then
		inform "prune: SP_KEEP_DAYS=0 keeps every run"
		return 0
	fi
	cut=$(date -u -d "@$(($(date +%s) - days * 86400))" +%Y%m%dT%H%M%SZ)
	keep=" $(readlink "$SP_HOME/runs/latest" 2>/dev/null) $(readlink "$SP_HOME/runs/latest-hourly" 2>/dev/null) "
	for d in "$SP_HOME"/runs/*; do
		name=${d##*/}
		[ -d "$d" ] && [ ! -L "$d" ] || continue
		[[ $name =~ ^[0-9]{8}T[0-9]{6}Z(\.[0-9]+)?$ ]] || continue
		kind=
		[ -e "$d/command" ] && read -r kind <"$d/command"
		if [ -e "$d/recs.ndjson" ] || [ "$kind" = run ] || [ "$kind" = recommend ] ||
		    [[ $keep == *" $name "* ]] || [[ ! ${name%%.*} < $cut ]]; then
			kept=$((kept + 1))
			continue
		fi
		rm -rf -- "$d" || die 1 "cannot remove $d"
		removed=$((removed + 1))
	done
	inform "prune: removed $removed runs older than $days days; kept $kept"
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
	# Installed before logging in, every run would fail until then: say so.
	if [ "$mode" = install ] && command -v sp-auth >/dev/null; then
		sp-auth status --offline >/dev/null 2>&1
		case $? in
		0 | 4) ;;
		5) say "warning: the Spotify login has expired: the scheduled runs fail until 'sp-auth login'" ;;
		*) say "warning: not logged in to Spotify: the scheduled runs fail until 'sp-auth login' (SP_CLIENT_ID: your app's client id)" ;;
		esac
	fi
	if [ "$kind" = cron ]; then
		# Each path quoted for sh ('\'' for a quote), then % escaped
		# for cron, which makes an unescaped % a newline.
		local lines h m l
		h=$(cron_word "$SP_HOME") m=$(cron_word "$me") l=$(cron_word "$log")
		lines=$(cat <<C
# sp: hourly ingest and load; weekly recommendations on Friday (sp-pipeline)
17 * * * * SP_HOME=$h $m -q hourly >>$l 2>&1 # sp-pipeline
40 7 * * 5 SP_HOME=$h SP_LOCK_WAIT=1800 $m -q run >>$l 2>&1 # sp-pipeline
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
Environment=$(sd_word "SP_HOME=$SP_HOME")
ExecStart=$(sd_word "$me" exec) -q hourly"
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
Environment=$(sd_word "SP_HOME=$SP_HOME")
Environment=SP_LOCK_WAIT=1800
ExecStart=$(sd_word "$me" exec) -q run"
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
	while [ $# -gt 0 ]; do
		case $1 in
		-q | --quiet) SP_QUIET=1; shift ;;
		*) break ;;
		esac
	done
	quiet_settings
	local cmd=${1:-}
	[ $# -gt 0 ] && shift
	case $cmd in
	-h | --help | help) usage; exit 0 ;;
	deps) exec "$ROOT/pipelines/deps.sh" ;;
	test) exec make -C "$ROOT" check ;;
	schedule) cmd_schedule "$@"; exit ;;
	demo) exec "$ROOT/pipelines/demo.sh" "$@" ;;
	backtest) exec "$ROOT/pipelines/backtest/run.sh" "$@" ;;
	# The household's histories are private too (umask: see below).
	community) umask 077; exec "$ROOT/pipelines/community.sh" "$@" ;;
	ingest | load | transform | recommend | publish | run | hourly | backfill | status | report | prune | resolve) ;;
	"") usage >&2; exit 2 ;;
	*) say "unknown command '$cmd'"; usage >&2; exit 2 ;;
	esac
	ensure_tools
	# A listening history is private: what these commands write (runs,
	# staged batches, reports, the embedded database) is the user's alone.
	umask 077
	private_home
	fix_latest
	trap 'stop_db' EXIT
	# status and report only read: they run beside a run, without the lock.
	if [ "$cmd" = status ]; then
		with_db
		cmd_status
		exit
	fi
	if [ "$cmd" = report ]; then
		with_db
		cmd_report "$@"
		exit
	fi
	# Arguments are checked first: a command refused makes no run
	# directory and starts no database.
	case $cmd in
	backfill) backfill_args "$@" ;;
	publish) publish_args "$@" ;;
	prune) [ $# = 0 ] || { usage >&2; exit 2; } ;;
	esac
	if [ -n "${SP_DAYS:-}" ] && ! [[ $SP_DAYS =~ ^[1-9][0-9]{0,3}$ ]]; then
		die 2 "SP_DAYS: not a number of days from 1 to 9999: '$SP_DAYS'"
	fi
	lock
	if [ "$cmd" = prune ]; then
		cmd_prune
		exit
	fi
	local st=0 lst
	case $cmd in
	ingest) new_run "$cmd"; cmd_ingest; st=$? ;;
	load) with_db; new_run "$cmd"; cmd_load; st=$? ;;
	transform) with_db; new_run "$cmd"; cmd_transform; st=$? ;;
	recommend) with_db; new_run "$cmd"; cmd_candidates && cmd_transform && cmd_recommend; st=$? ;;
	publish) cmd_publish; st=$? ;;
	backfill) with_db; new_run "$cmd"; cmd_backfill "$1" && cmd_transform; st=$? ;;
	hourly)
		# What was staged is loaded whatever failed in the fetches.
		with_db; new_run "$cmd"; cmd_ingest; st=$?
		cmd_load || { lst=$?; [ "$st" != 0 ] || st=$lst; }
		# The login's end, said in the quiet hourly log before it comes.
		sp-auth status --offline >/dev/null 2>"$RUN_DIR/logs/token.log"
		case $? in 4 | 5) grep -v ': hint: ' "$RUN_DIR/logs/token.log" >&2 ;; esac
		cmd_prune
		;;
	resolve) with_db; new_run "$cmd"; cmd_resolve && cmd_transform; st=$? ;;
	run)
		with_db; new_run "$cmd"
		PUB_RUN=$RUN_DIR
		# A fetch that failed after the plays (a playlist deleted, liked
		# tracks refused) does not cost the week its playlist: the run goes
		# on, and its status is that failure's.
		cmd_ingest; st=$?
		if [ "$st" = 0 ] || [ "$INGEST_PLAYS" = ok ]; then
			cmd_load && cmd_candidates && cmd_transform && cmd_recommend && cmd_publish ||
			    st=$?
		else
			cmd_load
		fi
		# The week's report beside its recommendations (none, in a week
		# without releases); its failure is logged but does not fail the
		# run.
		[ -e "$RUN_DIR/recs.ndjson" ] && { step report sp-report --run "$RUN_DIR" -o "$RUN_DIR/report.html" ||
		    say "the report failed; the run itself did not"; }
		;;
	esac
	finish_run "$cmd" "$st"
	exit "$st"
}

main "$@"
