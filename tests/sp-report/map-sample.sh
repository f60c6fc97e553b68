#!/usr/bin/env bash
# needs: pg
# A large embedding is drawn as a fixed sample of 3000 points chosen by a
# hash of the track id, so the same tracks are shown whatever the row
# order; every recommended track is always among them.
. "$SP_ROOT/tests/sp-report/lib.bash"
report_db
models
mkdir -p a b
awk 'BEGIN { for (i = 1; i <= 5000; i++)
	printf "{\"track_id\":\"t%d\",\"release_date\":\"2020\",\"heard\":%s}|%d %d\n", i, i % 3 ? "true" : "false", i % 71, i % 53 }' >rows
mkmat a/embedded.spm <rows
tac rows | mkmat b/embedded.spm
printf '{"rank":%d,"track_id":"t%d","score":0.5,"because":[]}\n' 1 4999 2 17 3 2500 >a/recs.ndjson
cp a/recs.ndjson b/recs.ndjson
expect_status 0 sp-report --run a --now "$NOW" -o a.html
expect_status 0 sp-report --run b --now "$NOW" -o b.html
expect_grep 'Showing a fixed sample of 3000 of the 5000 tracks' a.html
for r in a b; do
	chart embedding $r.html | grep -o '<title>[^<]*</title>' | sort >$r.titles
done
expect_eq "points drawn" 3000 "$(wc -l <a.titles)"
expect_file a.titles b.titles
for t in t4999 t17 t2500; do
	grep -q "<title>$t \[recommended\]</title>" a.titles || fail "recommended $t not drawn"
done
exit 0
