# A command refused on its arguments makes no run directory and starts no
# database; 'make recs' with no run says so; 'prune' keeps every run that
# recommends, the others for SP_KEEP_DAYS days, and whatever a link names.
. "$SP_ROOT/tests/lib/lib.sh"
unset PGHOST PGPORT PGUSER PGDATABASE SP_DATABASE_URL
export SP_HOME=$PWD/home
# The runs made here are private, as pipeline.sh makes them.
umask 077

expect_status 2 "$SP_ROOT/pipeline.sh" backfill
expect_grep '^usage: pipeline.sh \[-q\] backfill ZIP|DIR|FILE$' err
expect_eq "usage lines" 2 "$(wc -l <err)"
expect_grep '^pipeline: backfill: which export? (the my_spotify_data.zip Spotify sent you' err
expect_status 2 "$SP_ROOT/pipeline.sh" backfill a.zip b.zip
expect_grep '^pipeline: backfill: one export at a time$' err
expect_status 1 "$SP_ROOT/pipeline.sh" backfill no-such.zip
expect_err "pipeline: no-such.zip: no such file or directory"
expect_status 2 "$SP_ROOT/pipeline.sh" publish --bogus
expect_status 2 "$SP_ROOT/pipeline.sh" prune extra
[ ! -e home/runs ] || fail "a refused command made a run directory: $(ls home/runs)"
[ ! -e home/pg ] || fail "a refused command started PostgreSQL"
[ ! -e home/runs.log ] || fail "a refused command was logged as a run"

expect_status 2 make -s --no-print-directory -C "$SP_ROOT" recs RUN="$SP_HOME/runs/latest"
expect_grep "^make recs: $SP_HOME/runs/latest: no run with recommendations yet" err
# A run that does not recommend (an hourly one) has nothing to rerun.
mkdir -p home/runs/20261127T061700Z
expect_status 2 make -s --no-print-directory -C "$SP_ROOT" recs RUN="$SP_HOME/runs/20261127T061700Z"
expect_grep "^run.mk: $SP_HOME/runs/20261127T061700Z: no features.ndjson: not a run that recommends" err
rm -r home/runs

# prune: runs of every kind, 40, 20 and 1 days old.
seq=0
mk() {	# mk DAYS-AGO KIND [FILE]: makes a run directory, named in R
	local d
	seq=$((seq + 1))
	R=$(date -u -d "$1 days ago" +%Y%m%dT%H%M%SZ).$seq
	d=home/runs/$R
	mkdir -p "$d"
	[ "$2" = old ] || printf '%s\n' "$2" >"$d/command"
	[ -z "${3:-}" ] || : >"$d/$3"
}
keep=() gone=()
for age in 40 20 1; do
	mk "$age" run; keep+=("$R")
	mk "$age" recommend; keep+=("$R")
	mk "$age" transform recs.ndjson; keep+=("$R")
	for k in hourly backfill ingest old; do
		mk "$age" "$k"
		if [ "$age" = 1 ]; then keep+=("$R"); else gone+=("$R"); fi
	done
done
# The latest hourly run is kept whatever its age.
mk 41 hourly && keep+=("$R") && ln -s "$R" home/runs/latest-hourly
mkdir -p home/runs/notes && keep+=(notes)
expect_status 0 "$SP_ROOT/pipeline.sh" prune
expect_err "pipeline: prune: removed ${#gone[@]} runs older than 14 days; kept $((${#keep[@]} - 1))"
for r in "${keep[@]}"; do [ -d "home/runs/$r" ] || fail "prune removed $r"; done
for r in "${gone[@]}"; do [ ! -e "home/runs/$r" ] || fail "prune kept $r"; done
[ -L home/runs/latest-hourly ] || fail "prune removed the link"
# SP_KEEP_DAYS=30: the 20-day-old runs would have stayed; 0 keeps all.
mk 35 hourly; gone=("$R")
mk 25 hourly; keep=("$R")
SP_KEEP_DAYS=30 expect_status 0 "$SP_ROOT/pipeline.sh" prune
[ -d "home/runs/${keep[0]}" ] && [ ! -e "home/runs/${gone[0]}" ] || fail "SP_KEEP_DAYS=30 not applied"
mk 400 hourly; x=$R
SP_KEEP_DAYS=0 expect_status 0 "$SP_ROOT/pipeline.sh" prune
[ -d "home/runs/$x" ] || fail "SP_KEEP_DAYS=0 removed a run"
SP_KEEP_DAYS=x expect_status 2 "$SP_ROOT/pipeline.sh" prune
expect_err "pipeline: SP_KEEP_DAYS: not a number of days: 'x'"
