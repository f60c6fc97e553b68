#!/usr/bin/env bash
# tests/bench/backfill.sh: the load step of a first backfill: akshetP's
# account-data export (../shared/data/listening-histories/akshetP-*,
# 9,711 plays, names only, no track ids) imported and staged, then loaded
# with sp-load into an empty database on a private PostgreSQL server
# (pipelines/lib/pg.sh).  Target: the load under 2 s (issue 11; it took
# 17-27 s when raw.dedupe_plays ran on a table without statistics).
# Printed beside its floor, measured in the same run: psql's binary COPY
# of the same rows into the emptied raw.plays.
# Environment: SP_DATA (default ../shared/data), BENCH_DIR (default
# tests/out/bench-backfill).  Exit status: 0 when the target is met (or
# the data is absent: skipped, said so), 1 otherwise.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BIN=$ROOT/bin
SP_DATA=${SP_DATA:-$(cd "$ROOT/.." && pwd)/shared/data}
WORK=${BENCH_DIR:-$ROOT/tests/out/bench-backfill}
TARGET=2
export LC_ALL=C TZ=UTC
src=$(ls -d "$SP_DATA"/listening-histories/akshetP-* 2>/dev/null | head -n 1)
if [ -z "$src" ]; then
	echo "backfill: SKIP: akshetP's export not found under $SP_DATA/listening-histories"
	exit 0
fi
rm -rf "$WORK/home" "$WORK/rows.bin"
mkdir -p "$WORK" || exit 1
export SP_HOME=$WORK/home
"$BIN/sp-import" -q "$src" >"$WORK/plays.ndjson" || { echo "bench: sp-import failed" >&2; exit 1; }
n=$(wc -l <"$WORK/plays.ndjson")
"$BIN/sp-stage" plays "$WORK/plays.ndjson" >/dev/null || { echo "bench: sp-stage failed" >&2; exit 1; }

. "$ROOT/pipelines/lib/pg.sh"
PGDIR=$WORK/pg
SP_PG_PORT=${SP_PG_PORT:-5434} sp_pg_start "$PGDIR" || exit 1
trap 'sp_pg_stop "$PGDIR"' EXIT
export PGDATABASE=bench_backfill
dropdb --if-exists "$PGDATABASE" 2>/dev/null
createdb "$PGDATABASE" || exit 1
# The schema first (an empty object set: migrations only), so that the
# timed load is the load of the rows.
mkdir -p "$WORK/empty" && SP_HOME=$WORK/empty "$BIN/sp-load" -q || exit 1

secs() {	# secs CMD...: prints the wall time of CMD in seconds
	local t0 t1
	t0=$(date +%s%N)
	"$@" >/dev/null || { echo "bench: $* failed" >&2; return 1; }
	t1=$(date +%s%N)
	awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", (b - a) / 1e9 }'
}
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
load=$(secs "$BIN/sp-load") || exit 1
# One record repeats the play before it: loaded once.
got=$(psql -X -At -c 'select count(*) from raw.plays')
[ "$got" -gt $((n - 10)) ] || { echo "bench: raw.plays holds $got rows of $n records" >&2; exit 1; }
cols="source, played_at, track_id, track_name, artist_name, album_name, ms_played, duration_ms, reason_start, reason_end, skipped, shuffle, context_uri, fetched_at, file, payload, object, line"
psql -X -q -c "\\copy (select $cols from raw.plays) to '$WORK/rows.bin' with (format binary)" &&
    psql -X -q -c "truncate raw.plays cascade" || exit 1
floor=$(secs psql -X -q -c "\\copy raw.plays ($cols) from '$WORK/rows.bin' with (format binary)") || exit 1
rm -f "$WORK/rows.bin"
verdict=PASS
awk -v s="$load" -v t="$TARGET" 'BEGIN { exit !(s < t) }' || verdict=MISS
printf 'sp-load   %6s s  %d account-data records (%d rows) into an empty database  (target < %s s) %s\n' "$load" "$n" "$got" "$TARGET" "$verdict"
printf 'psql      %6s s  the same rows, binary COPY (the floor)\n' "$floor"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
[ "$verdict" = PASS ]
