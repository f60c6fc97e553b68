# pipeline.sh community -o DIR: a DIR that is one of the listeners' runs
# (even through a link or with a final '/'), or that holds files community
# did not make, is refused (2) before anything is written: the run's
# features.ndjson, history and recommendations stay as they were.  A new
# or empty DIR, or an earlier community's, is written.
. "$SP_ROOT/tests/lib/lib.sh"
export SP_HOME=$PWD/home SP_NOW=2026-11-30

. "$SP_ROOT/tests/pipeline/community.bash"
mkdir -p runs/ann runs/bob other
{ row a1 X 2025-01-01 true; row n1 Y 2026-11-28 false; } >runs/ann/features.ndjson
{ row b1 Y 2025-01-05 true; row n2 X 2026-11-27 false; } >runs/bob/features.ndjson
echo '{"user":"me","rank":1,"track_id":"n1"}' >runs/ann/recs.ndjson
ln -s ann runs/latest
cp runs/ann/features.ndjson other/features.ndjson
cp -r runs saved

for o in runs/latest runs/ann/ "$PWD/runs/bob"; do
	expect_status 2 "$SP_ROOT/pipeline.sh" community -o "$o" ann=runs/latest bob=runs/bob
	who=ann
	[ "$o" = "$PWD/runs/bob" ] && who=bob
	expect_err "pipeline: community: -o $o: is $who's run (RUN_DIR); community would replace its files: give another directory"
done
expect_status 2 "$SP_ROOT/pipeline.sh" community -o other ann=runs/ann bob=runs/bob
expect_err "pipeline: community: -o other: holds files community did not make (no listeners.tsv): give a new or empty directory"
diff -r saved runs >diff.out || { cat diff.out >&2; fail "a listener's run was changed"; }
expect_eq "other" "features.ndjson" "$(ls other)"

# A new directory, an empty one, and a rerun into an earlier community's.
mkdir empty
for o in new empty new; do
	expect_status 0 "$SP_ROOT/pipeline.sh" community -o "$o" ann=runs/latest bob=runs/bob
	[ -s "$o/lists/ann.ndjson" ] || fail "-o $o: no list for ann"
done
diff -r saved runs >diff.out || { cat diff.out >&2; fail "a listener's run was changed"; }
