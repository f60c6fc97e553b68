# The benchmark's generator (tests/bench/gen-features.c) builds, is
# deterministic, releases 5% of the tracks in the week up to --now, and its
# rows encode with the bench spec.
. "$SP_ROOT/tests/lib/lib.sh"
cc -std=c11 -O2 -Wall -Wextra -Werror -o gen "$SP_ROOT/tests/bench/gen-features.c" -lm ||
	fail "gen-features.c does not build"
./gen -n 2000 --now 2026-11-27 >a.ndjson || fail "gen failed"
./gen -n 2000 --now 2026-11-27 >b.ndjson || fail "gen failed"
cmp a.ndjson b.ndjson || fail "two runs of the generator differ"
expect_eq "rows" 2000 "$(wc -l <a.ndjson)"
expect_eq "recent" 100 "$(grep -c '"release_date":"2026-11-2[1-7]"' a.ndjson)"
expect_eq "recent and heard" 0 "$(grep '"release_date":"2026-11-2[1-7]"' a.ndjson | grep -c '"heard":true')"
sp-encode -s "$SP_ROOT/pipelines/encode-example.json" a.ndjson >m.spm || fail "sp-encode failed"
sp-mat info m.spm >info || fail "sp-mat info failed"
expect_grep '^rows	2000$' info
