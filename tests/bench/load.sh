#!/usr/bin/env bash
# tests/bench/load.sh: the sp-stage and sp-load benchmark.  Generates N
# synthetic export plays (default 1,000,000; sp-import's record shape, 5,000
# tracks, one play every 3 minutes), stages them with sp-stage into a fresh
# store and loads them with sp-load into a fresh database on a private
# PostgreSQL server (pipelines/lib/pg.sh), then prints each step's wall
# time, plays/s and peak RSS, and PASS or MISS for the targets: sp-load
# >= 200,000 plays/s, and peak RSS of both under 64 MB whatever N (memory
# constant in the input size; run with N=100000 to compare); then an
# hourly load (50 API plays, deduplicated against the export's) into the
# table, under 0.5 s.  Then, for
# reference, the time psql's COPY takes for the same rows into an empty
# raw.plays, in the binary form sp-load sends: the ceiling any loader of
# this schema meets on this machine (CEILING=0 skips it).
# Environment: N, BENCH_DIR (default tests/out/bench-load), SP_PG_FSYNC
# (default on, as a real server).
# Exit status: 0 when the targets are met, 1 otherwise.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BIN=$ROOT/bin
N=${N:-1000000}
WORK=${BENCH_DIR:-$ROOT/tests/out/bench-load}
TARGET_RATE=200000
TARGET_RSS_MB=64
HOURLY_TARGET=0.5
export LC_ALL=C TZ=UTC
TIME=/usr/bin/time
[ -x "$TIME" ] || { echo "bench: $TIME not found (Debian package 'time')" >&2; exit 1; }
for t in sp-stage sp-load; do
	[ -x "$BIN/$t" ] || { echo "bench: $BIN/$t not built" >&2; exit 1; }
done

rm -rf "$WORK/home" "$WORK"/time.*
mkdir -p "$WORK" || exit 1
plays=$WORK/plays-$N.ndjson
if ! [ -s "$plays" ]; then
	echo "bench: generating $N plays"
	awk -v n="$N" 'BEGIN {
		srand(1)
		for (i = 0; i < n; i++) {
			t = 1500000000 + i * 180
			k = i % 5000
			printf "{\"kind\":\"play\",\"source\":\"export\",\"fetched_at\":\"2026-11-01T00:00:00Z\",\"file\":\"Streaming_History_Audio_1.json\",\"data\":{\"ts\":\"%s\",\"ms_played\":%d,\"spotify_track_uri\":\"spotify:track:%022d\",\"master_metadata_track_name\":\"Track %d\",\"master_metadata_album_artist_name\":\"Artist %d\",\"master_metadata_album_album_name\":\"Album %d\",\"reason_start\":\"trackdone\",\"reason_end\":\"%s\",\"skipped\":%s,\"shuffle\":%s,\"offline\":false,\"incognito_mode\":false,\"platform\":\"android\",\"conn_country\":\"DE\"}}\n", strftime("%Y-%m-%dT%H:%M:%SZ", t, 1), 1000 + (i * 7919) % 240000, k, k, k % 700, k % 1500, i % 3 ? "trackdone" : "fwdbtn", i % 3 ? "false" : "true", i % 2 ? "true" : "false"
		}
	}' >"$plays.tmp" && mv "$plays.tmp" "$plays" || exit 1
fi

. "$ROOT/pipelines/lib/pg.sh"
PGDIR=$WORK/pg
SP_PG_PORT=${SP_PG_PORT:-5433} sp_pg_start "$PGDIR" || exit 1
trap 'sp_pg_stop "$PGDIR"' EXIT
export PGDATABASE=bench_load
dropdb --if-exists "$PGDATABASE" 2>/dev/null
createdb "$PGDATABASE" || exit 1
export SP_HOME=$WORK/home

status=0
run() {	# run NAME CMD...: times CMD; sets SECS and RSS_KB
	local name=$1
	shift
	"$TIME" -f '%e %M' -o "$WORK/time.$name" "$@" || { echo "bench: $name failed" >&2; status=1; }
	read -r SECS RSS_KB <"$WORK/time.$name"
}
report() {	# report NAME
	local rate mb verdict=PASS
	rate=$(awk -v n="$N" -v s="$SECS" 'BEGIN { printf "%d", (s > 0 ? n / s : 0) }')
	mb=$(awk -v k="$RSS_KB" 'BEGIN { printf "%.1f", k / 1024 }')
	awk -v k="$RSS_KB" -v t="$TARGET_RSS_MB" 'BEGIN { exit !(k / 1024 < t) }' || verdict=MISS
	if [ "$1" = sp-load ] && [ "$rate" -lt "$TARGET_RATE" ]; then
		verdict=MISS
	fi
	if [ "$1" = psql ]; then
		verdict="(PostgreSQL alone: COPY of the same rows)"	# a reference, no target
	elif [ "$verdict" != PASS ]; then
		status=1
	fi
	printf '%-9s %8s s %9s plays/s  peak RSS %6s MB  %s\n' "$1" "$SECS" "$rate" "$mb" "$verdict"
}

# Other work on the machine slows every step: say how busy it was.
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
run sp-stage "$BIN/sp-stage" plays "$plays" >/dev/null
report sp-stage
run sp-load "$BIN/sp-load"
report sp-load
got=$(psql -X -At -c 'select count(*) from raw.plays')
[ "$got" = "$N" ] || { echo "bench: raw.plays holds $got rows, expected $N" >&2; status=1; }

# An hour of API plays (50) into the table above, amid the export's plays
# so that the cross-source dedupe has work: what the hourly job pays once
# the history is big.  Target: under HOURLY_TARGET seconds, whatever N.
awk 'BEGIN {
	for (i = 0; i < 50; i++) {
		t = 1500000000 + 90000 + i * 180
		k = (500 + i) % 5000
		printf "{\"kind\":\"play\",\"source\":\"recently-played\",\"fetched_at\":\"2026-11-01T00:00:00Z\",\"data\":{\"track\":{\"id\":\"%022d\",\"name\":\"Track %d\",\"duration_ms\":240000,\"artists\":[{\"id\":\"a%d\",\"name\":\"Artist %d\"}],\"album\":{\"id\":\"al%d\",\"name\":\"Album %d\"}},\"played_at\":\"%s\",\"context\":null}}\n", k, k, k % 700, k % 700, k % 1500, k % 1500, strftime("%Y-%m-%dT%H:%M:%S.000Z", t + 60, 1)
	}
}' >"$WORK/hour.ndjson"
"$BIN/sp-stage" plays "$WORK/hour.ndjson" >/dev/null || { echo "bench: staging the hour failed" >&2; status=1; }
run hourly "$BIN/sp-load"
dups=$(psql -X -At -c 'select count(*) from raw.plays where dup_of is not null')
verdict=PASS
awk -v s="$SECS" -v t="$HOURLY_TARGET" 'BEGIN { exit !(s < t) }' || { verdict=MISS; status=1; }
printf '%-9s %8s s  50 API plays into %d, %s matched with export plays  %s\n' hourly "$SECS" "$N" "$dups" "$verdict"
psql -X -q -c "delete from raw.plays where source = 'api'; update raw.plays set dup_of = null where dup_of is not null"

# The ceiling: PostgreSQL alone copying the same rows into an empty
# raw.plays (psql's binary COPY from a file, no parsing or checking on our
# side).
if [ "${CEILING:-1}" = 1 ]; then
	cols="source, played_at, track_id, track_name, artist_name, album_name, ms_played, duration_ms, reason_start, reason_end, skipped, shuffle, context_uri, fetched_at, file, payload, object, line"
	psql -X -q -c "\\copy (select $cols from raw.plays) to '$WORK/rows.bin' with (format binary)" &&
	psql -X -q -c "truncate raw.plays cascade" &&
	run psql psql -X -q -c "\\copy raw.plays ($cols) from '$WORK/rows.bin' with (format binary)" &&
	report psql
	rm -f "$WORK/rows.bin"
fi
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
exit $status
