#!/usr/bin/env bash
# pipelines/community.sh: pipeline.sh community: community mode, one
# recommender over several listeners' runs (see pipelines/community.mk).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
export PATH=$ROOT/bin:$PATH LC_ALL=C TZ=UTC
SP_HOME=${SP_HOME:-$ROOT/var}

usage() {
	cat <<'EOF2'
usage: pipeline.sh community [-o DIR] NAME=RUN_DIR NAME=RUN_DIR ...
Recommends for several listeners at once (a household, a club), each
list using the others' signals: who played which artists and tracks.
RUN_DIR is a listener's run directory holding its features.ndjson
(from 'pipeline.sh recommend' or 'run'; its own recommendations are not
read); NAME (letters, digits, '.', '_', '-', first a letter or digit)
names the listener in the output.  Writes DIR/recs.ndjson, every
listener's top 25 ("user": NAME), and DIR/lists/NAME.ndjson, each
listener's own list, with the names of its tracks and reasons (default
DIR: $SP_HOME/community/<time>; a DIR given must be new, empty or an
earlier community's, never a listener's run).  NOW is SP_NOW, else the
runs' own day (RUN_DIR/now; the newest when they differ), else today.
Reruns: make -f pipelines/community.mk -C DIR ROOT=<checkout>.
Exit status: 0 ok; 1 a run without features or a failed stage; 2 usage.
EOF2
	exit "$1"
}
die() { local st=$1; shift; printf 'pipeline: community: %s\n' "$*" >&2; exit "$st"; }
warn() { printf 'pipeline: community: %s\n' "$*" >&2; }

out=
while getopts "ho:" opt; do
	case $opt in
	h) usage 0 ;;
	o) out=$OPTARG ;;
	*) usage 2 >&2 ;;
	esac
done
shift $((OPTIND - 1))
[ $# -ge 2 ] || { printf 'pipeline: community: at least two listeners (NAME=RUN_DIR); for one, pipeline.sh recommend\n' >&2; usage 2 >&2; }

# Everything is checked before anything is written.
if [ -n "${SP_NOW:-}" ]; then
	date -u -d "$SP_NOW" +%F >/dev/null 2>&1 || die 2 "SP_NOW: not a date: '$SP_NOW'"
fi
if [ -n "${SP_DAYS:-}" ] && ! [[ $SP_DAYS =~ ^[1-9][0-9]{0,3}$ ]]; then
	die 2 "SP_DAYS: not a number of days from 1 to 9999: '$SP_DAYS'"
fi

# The listeners: names, runs (real paths) and the runs' days.
declare -A seen=() owner=()
names=() tsv= days= window=7
for a in "$@"; do
	[[ $a =~ ^([A-Za-z0-9][A-Za-z0-9._-]{0,63})=(.+)$ ]] ||
	    die 2 "'$a': expected NAME=RUN_DIR, NAME of letters, digits, '.', '_' or '-' (at most 64, first a letter or digit)"
	name=${BASH_REMATCH[1]} dir=${BASH_REMATCH[2]}
	[ -z "${seen[$name]:-}" ] || die 2 "listener '$name' named twice"
	seen[$name]=1
	names+=("$name")
	[ -e "$dir" ] || die 1 "$name: $dir: no such directory"
	[ -d "$dir" ] || die 1 "$name: $dir: not a directory"
	[ -f "$dir/features.ndjson" ] ||
	    die 1 "$name: $dir: no features.ndjson (a run of 'pipeline.sh recommend' or 'run')"
	real=$(realpath -e "$dir") || die 1 "$name: $dir: cannot resolve its path"
	[[ $real != *[$'\t\n']* ]] || die 2 "$name: $dir: a tab or newline in its path"
	if [ -n "${owner[$real]:-}" ]; then
		warn "warning: $name: $dir is ${owner[$real]}'s run too: the same listening counted twice"
	else
		owner[$real]=$name
	fi
	tsv+="$name	$real"$'\n'
	if [ -z "${SP_NOW:-}" ] && [ -f "$dir/now" ]; then
		day=$(head -n 1 "$dir/now")
		iso=$([ -n "$day" ] && date -u -d "$day" +%F 2>/dev/null) || die 1 "$name: $dir/now: not a date: '$day'"
		days+="$iso $name"$'\n'
	fi
	# The window: the widest of the runs' (RUN_DIR/days, SP_DAYS then).
	if [ -f "$dir/days" ] && read -r w <"$dir/days" && [[ $w =~ ^[1-9][0-9]{0,3}$ ]] && [ "$w" -gt "$window" ]; then
		window=$w
	fi
done
[ -z "${SP_DAYS:-}" ] || window=$SP_DAYS

# NOW: SP_NOW, else the runs' own day (the newest; run.mk reuses each
# run's), so that the window is the one the runs fetched, else today.
if [ -n "${SP_NOW:-}" ]; then
	now=$(date -u -d "$SP_NOW" +%F) now_from=SP_NOW
elif [ -n "$days" ]; then
	now=$(printf '%s' "$days" | sort -r | head -n 1 | cut -d ' ' -f 1) now_from="the runs' day"
	if [ "$(printf '%s' "$days" | cut -d ' ' -f 1 | sort -u | wc -l)" -gt 1 ]; then
		list=
		while read -r day name; do list+="${list:+, }$name $day"; done <<<"${days%$'\n'}"
		warn "warning: the runs' days differ ($list); NOW is the newest, $now (SP_NOW sets another)"
	fi
else
	now=$(date -u +%F) now_from=today
fi

# The output directory: new, empty, or an earlier community's (its
# listeners.tsv); never a listener's run, whose features.ndjson,
# history.ndjson and recs.ndjson community would replace.
if [ -z "$out" ]; then
	base=$SP_HOME/community/$(date -u +%Y%m%dT%H%M%SZ)
	out=$base n=1
	while [ -e "$out" ]; do out=$base.$n; n=$((n + 1)); done
else
	real=$(realpath -m -- "$out") || die 2 "-o $out: cannot resolve its path"
	[ -z "${owner[$real]:-}" ] ||
	    die 2 "-o $out: is ${owner[$real]}'s run (RUN_DIR); community would replace its files: give another directory"
	if [ -e "$out" ]; then
		[ -d "$out" ] || die 2 "-o $out: not a directory"
		if [ ! -f "$out/listeners.tsv" ] && [ -n "$(ls -A -- "$out")" ]; then
			die 2 "-o $out: holds files community did not make (no listeners.tsv): give a new or empty directory"
		fi
	fi
fi

mkdir -p "$out" || die 1 "cannot create $out"
printf '%s' "$tsv" | cmp -s - "$out/listeners.tsv" || printf '%s' "$tsv" >"$out/listeners.tsv"
mkdir -p "$out/logs" "$out/lists" || die 1 "cannot create $out/logs"
printf '%s\n' "$now" | cmp -s - "$out/now" || printf '%s\n' "$now" >"$out/now"
printf '%s\n' "$window" | cmp -s - "$out/days" || printf '%s\n' "$window" >"$out/days"
printf 'pipeline: community: %d listeners in %s\n' $# "$out" >&2

make -s --no-print-directory -f "$ROOT/pipelines/community.mk" -C "$out" ROOT="$ROOT" recs.ndjson ||
    die 1 "a stage failed (see $out/logs)"
# The lists of listeners no longer named (an earlier run's) go.
for f in "$out"/lists/*.ndjson; do
	[ -e "$f" ] || continue
	name=$(basename "$f" .ndjson)
	[ -n "${seen[$name]:-}" ] || rm -f -- "$f"
done
hint=
for name in "${names[@]}"; do
	list=$out/lists/$name.ndjson
	jq -c --arg u "$name" 'select(.user == $u)' "$out/recs.ndjson" >"$list"
	n=$(wc -l <"$list")
	printf 'pipeline: community: %s: %d recommendations in %s\n' "$name" "$n" "$list" >&2
	[ "$n" -eq 0 ] || continue
	# Why: sp-cosine's word on the whole window, or on this listener.
	why=$(grep -h -F -e 'nothing to recommend' -e "sp-cosine: user '$name': " \
	    "$out/logs/cosine.log" 2>/dev/null | head -n 3 | sed 's/^sp-cosine: //') || true
	[ -n "$why" ] || why="every candidate of the window is in its history or exclusions (see $out/logs/cosine.log)"
	while IFS= read -r line; do warn "$name: $line"; done <<<"$why"
	case $why in *"no candidates"*) hint=1 ;; esac
done
[ -z "$hint" ] || warn "hint: NOW is $now ($now_from); SP_NOW=YYYY-MM-DD sets the window's last day"
