# pipeline.sh community: its arguments.  A RUN_DIR that does not exist is
# named as such; the same run under two names is warned of; a NAME that
# is not a plain file name ('.', '..', a leading '-' or '.') is refused;
# a bad SP_NOW is refused before DIR is created; a rerun with fewer
# listeners removes the lists of those no longer named; the usage says
# that a run's features.ndjson is all that is read.
. "$SP_ROOT/tests/lib/lib.sh"
export SP_HOME=$PWD/home SP_NOW=2026-11-30

. "$SP_ROOT/tests/pipeline/community.bash"
mkdir -p runs/ann runs/bob runs/cat
{ row a1 X 2025-01-01 true; row n1 Y 2026-11-28 false; } >runs/ann/features.ndjson
{ row b1 Y 2025-01-05 true; row n2 X 2026-11-27 false; } >runs/bob/features.ndjson
{ row c1 Y 2025-01-09 true; row n2 X 2026-11-27 false; } >runs/cat/features.ndjson

expect_status 1 "$SP_ROOT/pipeline.sh" community -o hh ann=runs/ann dan=runs/dan
expect_err "pipeline: community: dan: runs/dan: no such directory"
bad="expected NAME=RUN_DIR, NAME of letters, digits, '.', '_' or '-' (at most 64, first a letter or digit)"
for n in . .. .ann -ann; do
	expect_status 2 "$SP_ROOT/pipeline.sh" community -o hh ann=runs/ann "$n=runs/bob"
	expect_err "pipeline: community: '$n=runs/bob': $bad"
done
SP_NOW=garbage expect_status 2 "$SP_ROOT/pipeline.sh" community -o hh ann=runs/ann bob=runs/bob
expect_err "pipeline: community: SP_NOW: not a date: 'garbage'"
[ ! -e hh ] || fail "hh created for a refused SP_NOW"

# The same run twice: a warning, then the lists.
expect_status 0 "$SP_ROOT/pipeline.sh" community -o hh ann=runs/ann bob=runs/bob cat=runs/cat ann2=runs/ann/
expect_err "pipeline: community: warning: ann2: runs/ann/ is ann's run too: the same listening counted twice"
expect_eq "lists" "ann.ndjson ann2.ndjson bob.ndjson cat.ndjson" "$(ls hh/lists | paste -sd ' ')"
# A rerun without cat and ann2.
expect_status 0 "$SP_ROOT/pipeline.sh" community -o hh ann=runs/ann bob=runs/bob
expect_eq "lists" "ann.ndjson bob.ndjson" "$(ls hh/lists | paste -sd ' ')"

expect_status 0 "$SP_ROOT/pipeline.sh" community -h
tr '\n' ' ' <out >usage
expect_grep "RUN_DIR is a listener's run directory holding its features.ndjson" usage
expect_grep "its own recommendations are not read" usage
grep -q 'with recommendations' usage && fail "the usage says a RUN_DIR needs recommendations"
true
