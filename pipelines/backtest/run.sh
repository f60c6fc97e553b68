#!/usr/bin/env bash
# pipelines/backtest/run.sh: the release-radar backtest on real playlists
# (issue 6), through the real tools: PostgreSQL (COPY + SQL) prepares each
# cutoff, then sp-encode | sp-svd | sp-cosine [| sp-rerank] | sp-eval.
#
# Each playlist of spotify_songs.csv stands for one listener.  For a cutoff
# T and a window of W days, the history is the playlist's tracks released
# before T, the candidates every catalogue track released in [T, T+W), the
# truth the playlist's candidates; playlists with at least 5 history tracks
# and 1 truth track are scored.  Only pre-T information enters a feature
# (see cutoff.sql).
#
# Methods (settings in pipelines/backtest/methods.conf):
#   random       every candidate in a seeded random order
#   popularity   candidates by track_popularity
#   same-artist  by how many history tracks share the candidate's artist,
#                popularity breaking ties (the Release-Radar-style anchor)
#   existing     the system we replace: min-max + one-hot of artist, genre,
#                key and mode; SVD k=100 cut at 95% variance; max cosine
#   live         what one listener's sp runs (pipeline.sh recommend): per
#                listener, the features its own sp would have (live.sql)
#                through pipelines/run.mk with pipelines/recommend.mk's
#                settings, so the backtest measures the live pipeline
#   community    (also "best") the method for many listeners in one
#                database: cross-listener signals (see README.md here)
#
# Prints one markdown table per cutoff and a summary of NDCG@25; -o keeps
# the work directory (the per-cutoff files and results.ndjson).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
HERE=$ROOT/pipelines/backtest
export PATH=$ROOT/bin:$PATH LC_ALL=C TZ=UTC

usage() {
	cat <<EOF
usage: pipelines/backtest/run.sh [-c CUTOFFS] [-w DAYS] [-m METHODS] [-o DIR] [-j JOBS] [-q]
  -c CUTOFFS  space- or comma-separated dates (default: $DEFAULT_CUTOFFS)
  -w DAYS     the window after each cutoff (default 30)
  -m METHODS  methods to run (default: $DEFAULT_METHODS)
  -o DIR      keep the work files in DIR (default: a temporary directory);
              a rerun into DIR redoes only the live listeners whose
              features changed
  -j JOBS     listeners run at once by the live method (default: the cores)
  -q          no per-cutoff tables, only the summary
Data: \$SP_DATA/tidytuesday-spotify-songs/spotify_songs.csv
(SP_DATA defaults to ../shared/data next to the checkout).
EOF
	exit "$1"
}

DEFAULT_CUTOFFS="2019-03-01 2019-05-01 2019-07-01 2019-09-01 2019-10-01 2019-11-01 2019-12-01"
cutoffs=$DEFAULT_CUTOFFS
window=30
DEFAULT_METHODS="random popularity same-artist existing live community"
methods=$DEFAULT_METHODS
outdir=
quiet=0
jobs=$(nproc 2>/dev/null || echo 2)
while getopts "c:hj:m:o:qw:" opt; do
	case $opt in
	c) cutoffs=${OPTARG//,/ } ;;
	h) usage 0 ;;
	j) jobs=$OPTARG ;;
	m) methods=${OPTARG//,/ } ;;
	o) outdir=$OPTARG ;;
	q) quiet=1 ;;
	w) window=$OPTARG ;;
	*) usage 2 >&2 ;;
	esac
done
shift $((OPTIND - 1))
[ $# -eq 0 ] || usage 2 >&2
# One space between words, for the tables' split(" ").
# shellcheck disable=SC2086
cutoffs=$(echo $cutoffs)
# shellcheck disable=SC2086
methods=$(echo $methods)
[ -n "$cutoffs" ] || { echo "backtest: -c: no cutoff" >&2; exit 2; }
case $window in '' | *[!0-9]* | 0) echo "backtest: -w: expected a positive number of days" >&2; exit 2 ;; esac
case $jobs in '' | *[!0-9]* | 0) echo "backtest: -j: expected a positive number" >&2; exit 2 ;; esac
for m in $methods; do
	case $m in
	random | popularity | same-artist | existing | live | community | best) ;;
	*) echo "backtest: -m: unknown method '$m'" >&2; exit 2 ;;
	esac
done
live=0
case " $methods " in *" live "*) live=1 ;; esac
for t in $cutoffs; do
	date -u -d "$t" +%F >/dev/null 2>&1 || { echo "backtest: -c: not a date: '$t'" >&2; exit 2; }
done

SP_DATA=${SP_DATA:-$(cd "$ROOT/.." && pwd)/shared/data}
CSV=$SP_DATA/tidytuesday-spotify-songs/spotify_songs.csv
if [ ! -r "$CSV" ]; then
	echo "backtest: $CSV: not found (set SP_DATA)" >&2
	exit 1
fi

# The settings: "NAME = value" lines, as make reads them.
conf() {
	sed -n "s/^$1[[:space:]]*=[[:space:]]*//p" "$2" | tail -n 1
}
METHODS_CONF=$HERE/methods.conf
TAU=$(conf TAU_DAYS "$METHODS_CONF")
EXISTING_SPEC=$ROOT/$(conf EXISTING_SPEC "$METHODS_CONF")
EXISTING_SVD=$(conf EXISTING_SVD "$METHODS_CONF")
EXISTING_COSINE=$(conf EXISTING_COSINE "$METHODS_CONF")
COMMUNITY_SPEC=$ROOT/$(conf COMMUNITY_SPEC "$METHODS_CONF")
COMMUNITY_SVD=$(conf COMMUNITY_SVD "$METHODS_CONF")
COMMUNITY_COSINE=$(conf COMMUNITY_COSINE "$METHODS_CONF")
COMMUNITY_RERANK=$(conf COMMUNITY_RERANK "$METHODS_CONF")
COMMUNITY_BLEND_COSINE=$(conf COMMUNITY_BLEND_COSINE "$METHODS_CONF")
COMMUNITY_BLEND_WEIGHT=$(conf COMMUNITY_BLEND_WEIGHT "$METHODS_CONF")
RANDOM_SEED=$(conf RANDOM_SEED "$METHODS_CONF")

start=$(date +%s.%N)
if [ -n "$outdir" ]; then
	mkdir -p "$outdir"
	work=$(cd "$outdir" && pwd)
else
	work=$(mktemp -d "${TMPDIR:-/tmp}/sp-backtest.XXXXXX")
fi
chmod 755 "$work"

# A private PostgreSQL server for the data preparation, stopped on exit.
. "$ROOT/pipelines/lib/pg.sh"
cleanup() {
	sp_pg_stop "$work/pg" || true
	rm -rf "$work/pg"
	[ -n "$outdir" ] || rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
SP_PG_FSYNC=off sp_pg_start "$work/pg" >/dev/null
export PGDATABASE=postgres
psql -X -q -v ON_ERROR_STOP=1 -f "$HERE/load.sql" <"$CSV"

# live_run DIR NOW: the live method.  Each listener's features (from
# live.sql) go through pipelines/run.mk, as 'pipeline.sh recommend' runs
# them, with the window of the backtest (NOW, DAYS); the settings are
# those of pipelines/recommend.mk.  Writes every listener's list, its
# "user" the playlist.
live_run() {
	local d=$1 now=$2 p
	# Each listener's directory is kept across reruns (-o DIR): its
	# features are replaced only when they changed, so that make reuses
	# the files that are still up to date and a rerun redoes only what
	# a change concerns.
	rm -rf "$d/live.new"
	mkdir -p "$d/live" "$d/live.new"
	awk -F '\t' -v dir="$d/live.new" '$1 != last {
		if (last != "") close(f)
		last = $1; f = dir "/" $1
	} { print $2 > f }' "$d/live.tsv"
	for p in $(cd "$d/live" && ls); do
		[ -e "$d/live.new/$p" ] || rm -rf "${d:?}/live/$p"
	done
	for p in $(cd "$d/live.new" && ls); do
		mkdir -p "$d/live/$p"
		cmp -s "$d/live.new/$p" "$d/live/$p/features.ndjson" ||
		    mv "$d/live.new/$p" "$d/live/$p/features.ndjson"
	done
	rm -rf "$d/live.new"
	# A listener whose pipeline fails gets no list (and scores 0).
	(cd "$d/live" && ls) | xargs -P "$jobs" -I{} \
	    make -s --no-print-directory -f "$ROOT/pipelines/run.mk" -C "$d/live/{}" \
	    ROOT="$ROOT" NOW="$now" DAYS="$window" recs.ndjson >&2 || true
	for p in $(cd "$d/live" && ls); do
		if [ -f "$d/live/$p/recs.ndjson" ]; then
			sed "s/^{\"user\":\"me\",/{\"user\":\"$p\",/" "$d/live/$p/recs.ndjson"
		else
			echo "backtest: live: $p: the pipeline failed (see $d/live/$p/logs)" >&2
		fi
	done
}

: >"$work/results.ndjson"
for t in $cutoffs; do
	d=$work/$t
	mkdir -p "$d"
	chmod 755 "$d"
	now=$(date -u -d "$t + $((window - 1)) days" +%F)
	sql=(-f "$HERE/cutoff.sql")
	[ "$live" = 0 ] || sql+=(-f "$HERE/live.sql")
	psql -X -q -v ON_ERROR_STOP=1 -v T="$t" -v W="$window" -v TAU="$TAU" \
	    -v DIR="$d" "${sql[@]}"

	# The existing method's embedding also measures every method's
	# diversity, so that the figures compare.
	# shellcheck disable=SC2086
	sp-encode -s "$EXISTING_SPEC" "$d/features.ndjson" |
	    sp-svd $EXISTING_SVD >"$d/existing.spm" 2>"$d/svd-existing.log"
	sp-mat labels "$d/existing.spm" >"$d/labels.ndjson"
	# Every candidate for every listener, for the baselines to order.
	sp-cosine --history "$d/history.ndjson" --now "$now" --days "$window" \
	    --score centroid -n 1000000 --because 0 "$d/existing.spm" >"$d/all.ndjson"

	for m in $methods; do
		rr="sp-rerank -H $d/history.ndjson -l $d/labels.ndjson"
		case $m in
		random)
			$rr --content 0 --random "$RANDOM_SEED" "$d/all.ndjson" ;;
		popularity)
			$rr --content 0 --popularity 1 "$d/all.ndjson" ;;
		same-artist)
			# Counts, not recency weights; popularity (at most 1e-4)
			# only breaks ties: a count step, 1 / history length, is
			# far larger.
			$rr --content 0 --unweighted --artist 1 --popularity 0.0001 "$d/all.ndjson" ;;
		existing)
			# shellcheck disable=SC2086
			sp-cosine --history "$d/history.ndjson" --now "$now" \
			    --days "$window" $EXISTING_COSINE "$d/existing.spm" ;;
		live)
			live_run "$d" "$now" ;;
		best | community)
			# Two scorings of one embedding, blended by sp-rerank,
			# whose labels carry every credited artist and the name.
			# shellcheck disable=SC2086
			sp-encode -s "$COMMUNITY_SPEC" "$d/features.ndjson" |
			    sp-svd $COMMUNITY_SVD >"$d/community.spm" 2>"$d/svd-community.log"
			# shellcheck disable=SC2086
			sp-cosine --history "$d/history.ndjson" --now "$now" \
			    --days "$window" $COMMUNITY_BLEND_COSINE -n 1000000 --because 0 \
			    "$d/community.spm" >"$d/community-blend.ndjson"
			# shellcheck disable=SC2086
			sp-cosine --history "$d/history.ndjson" --now "$now" \
			    --days "$window" $COMMUNITY_COSINE -n 1000000 "$d/community.spm" |
			    sp-rerank -H "$d/history.ndjson" -l "$d/credits.ndjson" $COMMUNITY_RERANK \
			    --blend "$COMMUNITY_BLEND_WEIGHT:$d/community-blend.ndjson" ;;
		*)
			echo "backtest: unknown method '$m'" >&2
			exit 2 ;;
		esac >"$d/recs-$m.ndjson"
		sp-eval -t "$d/truth.ndjson" --candidates "$d/candidates.ndjson" \
		    --embedding "$d/existing.spm" --history "$d/history.ndjson" \
		    --labels "$d/credits.ndjson" --json --name "$m" "$d/recs-$m.ndjson" |
		    jq -c --arg t "$t" '{cutoff: $t} + .' >>"$work/results.ndjson"
	done
done

# The tables.
# Three decimals, fixed (the figures are all in [0, 1]).
fmt='def f: if . == null then "-" else (. * 1000 | round) as $n |
    "\($n / 1000 | floor).\(1000 + $n % 1000 | tostring | .[1:])" end;'
if [ "$quiet" = 0 ]; then
	for t in $cutoffs; do
		jq -r --arg t "$t" "$fmt"'
		    select(.cutoff == $t) |
		    "| \(.name) | \(.ndcg | f) | \(.hr | f) | \(.recall | f) | \(.coverage | f) | \(.diversity | f) | \(.artist_top_share | f) |"' \
		    "$work/results.ndjson" >"$work/table.$t"
		users=$(jq -r --arg t "$t" 'select(.cutoff == $t) | .users' "$work/results.ndjson" | head -n 1)
		echo "T = $t, W = $window days: $users listeners, $(wc -l <"$work/$t/candidates.ndjson") candidates"
		echo
		echo "| method | NDCG@25 | HR@25 | recall@25 | coverage | diversity | top-artist share |"
		echo "|---|---|---|---|---|---|---|"
		cat "$work/table.$t"
		echo
		rm -f "$work/table.$t"
	done
fi
echo "NDCG@25 (W = $window days)"
echo
jq -s -r --arg cut "$cutoffs" "$fmt"'
    ($cut | split(" ")) as $ts |
    "| method | " + ($ts | join(" | ")) + " | mean |",
    "|---|" + ($ts | map("---|") | join("")) + "---|",
    (group_by(.name) | sort_by(.[0] | .name as $n |
        ["random", "popularity", "same-artist", "existing", "live", "community", "best"] | index($n) // 99)[] |
     . as $rows |
     "| \($rows[0].name) | " +
     ($ts | map(. as $t | ($rows[] | select(.cutoff == $t) | .ndcg | f)) | join(" | ")) +
     " | \($rows | map(.ndcg) | add / length | f) |")' "$work/results.ndjson"
echo
awk -v n="$(echo "$cutoffs" | wc -w)" -v s="$start" -v e="$(date +%s.%N)" \
    'BEGIN { printf "backtest: %d cutoffs in %.1f s\n", n, e - s }'
