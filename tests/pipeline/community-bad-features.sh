# pipeline.sh community: a listener's features.ndjson that jq cannot read
# (a damaged line) stops the build with 1 and a message naming the
# listener and the file, for each file made from the runs' features
# (features.ndjson, history.ndjson, exclude.ndjson): no lists are written.
. "$SP_ROOT/tests/lib/lib.sh"
export SP_HOME=$PWD/home SP_NOW=2026-11-30

. "$SP_ROOT/tests/pipeline/community.bash"
mkdir -p runs/ann runs/bob
{ row a1 X 2025-01-01 true; row n1 Y 2026-11-28 false; } >runs/ann/features.ndjson
{ row b1 Y 2025-01-05 true; row n2 X 2026-11-27 false; } >runs/bob/features.ndjson
cp runs/bob/features.ndjson good.ndjson
echo '{bad json' >>runs/bob/features.ndjson
bob=$PWD/runs/bob/features.ndjson

expect_status 1 "$SP_ROOT/pipeline.sh" community -o hh ann=runs/ann bob=runs/bob
expect_grep "^community.mk: features.ndjson: listener 'bob': $bob: cannot be read (jq's message above)\$" err
expect_eq "last line" "pipeline: community: a stage failed (see hh/logs)" "$(tail -n 1 err)"
[ ! -e hh/features.ndjson ] || fail "hh/features.ndjson made from a damaged file"
[ ! -e hh/recs.ndjson ] || fail "hh/recs.ndjson made from a damaged file"
expect_eq "lists" "" "$(ls hh/lists)"

# The listeners' histories and exclusions, each made on its own (make -C
# DIR, as a rerun does).
cp good.ndjson runs/bob/features.ndjson
expect_status 0 "$SP_ROOT/pipeline.sh" community -o hh ann=runs/ann bob=runs/bob
echo '{bad json' >>runs/bob/features.ndjson
for f in history.ndjson exclude.ndjson; do
	expect_status 2 make -s --no-print-directory -f "$SP_ROOT/pipelines/community.mk" -C hh \
	    ROOT="$SP_ROOT" "$f"
	expect_grep "^community.mk: $f: listener 'bob': $bob: cannot be read (jq's message above)\$" err
	[ -e "hh/$f" ] || fail "hh/$f: the earlier one not kept"
done
