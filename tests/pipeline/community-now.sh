# pipeline.sh community: NOW is the runs' own day (RUN_DIR/now), the
# newest with a warning naming each when they differ, and SP_NOW
# overrides it; the window is the widest of the runs' (RUN_DIR/days, 7
# without), SP_DAYS overriding it.  A listener with no recommendation is told why on stderr:
# no candidate in the window (with a hint naming NOW), or every candidate
# already heard.
. "$SP_ROOT/tests/lib/lib.sh"
export SP_HOME=$PWD/home
unset SP_NOW

. "$SP_ROOT/tests/pipeline/community.bash"
ROW_PLAYED=2024-06-01T10:00:00
# Runs of a week long past: today's window holds none of their releases.
mkdir -p runs/ann runs/bob runs/cat
{ row a1 X 2023-01-01 true; row a2 Y 2023-02-01 true; row n1 Y 2024-06-28 false
  row n2 X 2024-06-27 false; } >runs/ann/features.ndjson
{ row b1 Y 2023-01-05 true; row b2 Z 2023-02-05 true; row n1 Y 2024-06-28 false; } >runs/bob/features.ndjson
# cat has heard both of the week's releases already.
{ row c1 X 2023-01-09 true; row n1 Y 2024-06-28 true; row n2 X 2024-06-27 true; } >runs/cat/features.ndjson
echo 2024-06-30 >runs/ann/now
echo 2024-06-30 >runs/bob/now
echo 2024-06-23 >runs/cat/now

# The runs' day.
expect_status 0 "$SP_ROOT/pipeline.sh" community -o hh ann=runs/ann bob=runs/bob
expect_eq "now" 2024-06-30 "$(cat hh/now)"
expect_eq "ann" "n1 n2" "$(jq -r .track_id hh/lists/ann.ndjson | sort | paste -sd ' ')"
expect_eq "bob" "n1 n2" "$(jq -r .track_id hh/lists/bob.ndjson | sort | paste -sd ' ')"
grep -q warning err && { cat err >&2; fail "a warning though the runs' days agree"; }

# Days that differ: the newest, with a warning; cat has heard everything.
expect_status 0 "$SP_ROOT/pipeline.sh" community -o hh ann=runs/ann bob=runs/bob cat=runs/cat
expect_err "pipeline: community: warning: the runs' days differ (ann 2024-06-30, bob 2024-06-30, cat 2024-06-23); NOW is the newest, 2024-06-30 (SP_NOW sets another)"
expect_eq "now" 2024-06-30 "$(cat hh/now)"
expect_eq "cat" 0 "$(wc -l <hh/lists/cat.ndjson)"
expect_grep "^pipeline: community: cat: every candidate of the window is in its history or exclusions (see hh/logs/cosine.log)\$" err

# SP_NOW overrides the runs' day; a window without releases says so.
SP_NOW=2024-06-29 expect_status 0 "$SP_ROOT/pipeline.sh" community -o hh ann=runs/ann bob=runs/bob cat=runs/cat
expect_eq "now" 2024-06-29 "$(cat hh/now)"
grep -q warning err && { cat err >&2; fail "a warning on the runs' days under SP_NOW"; }
SP_NOW=2020-01-01 expect_status 0 "$SP_ROOT/pipeline.sh" community -o hh ann=runs/ann bob=runs/bob
cat >want <<'EOF2'
pipeline: community: 2 listeners in hh
pipeline: community: ann: 0 recommendations in hh/lists/ann.ndjson
pipeline: community: ann: embedded.spm: no candidates: no row released from 2019-12-26 to 2020-01-01; nothing to recommend
pipeline: community: bob: 0 recommendations in hh/lists/bob.ndjson
pipeline: community: bob: embedded.spm: no candidates: no row released from 2019-12-26 to 2020-01-01; nothing to recommend
pipeline: community: hint: NOW is 2020-01-01 (SP_NOW); SP_NOW=YYYY-MM-DD sets the window's last day
EOF2
expect_file want err

# The window: 7 days without RUN_DIR/days; the runs' widest; SP_DAYS.
expect_eq "days" 7 "$(cat hh/days)"
echo 3 >runs/ann/days
echo 30 >runs/bob/days
expect_status 0 "$SP_ROOT/pipeline.sh" community -o hh ann=runs/ann bob=runs/bob
expect_eq "days" 30 "$(cat hh/days)"
grep -q -e '--days 30' hh/.flags/cosine || fail "the cosine flags: $(cat hh/.flags/cosine)"
SP_DAYS=3 expect_status 0 "$SP_ROOT/pipeline.sh" community -o hh ann=runs/ann bob=runs/bob
expect_eq "days" 3 "$(cat hh/days)"
# The three days to 06-30 hold n1 (06-28), not n2 (06-27).
expect_eq "ann, three days" "n1" "$(jq -r .track_id hh/lists/ann.ndjson | paste -sd ' ')"
SP_DAYS=x expect_status 2 "$SP_ROOT/pipeline.sh" community -o hh ann=runs/ann bob=runs/bob
expect_err "pipeline: community: SP_DAYS: not a number of days from 1 to 9999: 'x'"
