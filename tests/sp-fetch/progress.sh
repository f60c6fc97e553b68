# Progress of a long fetch: on a terminal one line "fetch artists n/N"
# rewritten in place (\r, erase to the end), then the summary in its
# place; otherwise the summary line alone; -q nothing.
. "$SP_ROOT/tests/lib/lib.sh"
. "$SP_ROOT/tests/lib/sim.sh"
start_sim --kind --plays 60
sim_tokens
sp-fetch -q recently-played >plays.ndjson 2>/dev/null || fail "recently-played failed"
n=$(jq -r '[.data.track.artists[].id, .data.track.album.artists[].id] | .[]' plays.ndjson | sort -u | wc -l)
[ "$n" -gt 5 ] || fail "only $n artists"

expect_status 0 sp-fetch artists <plays.ndjson
expect_eq "summary" "sp-fetch: artists: $n of $n done (0 from the cache)" "$(cat err)"
expect_status 0 sp-fetch artists <plays.ndjson
expect_eq "summary, cached" "sp-fetch: artists: $n of $n done ($n from the cache)" "$(cat err)"
expect_status 0 sp-fetch -q artists <plays.ndjson
expect_eq "-q" "" "$(cat err)"
expect_eq "-q output" "$n" "$(wc -l <out)"

# A terminal (script(1) gives the command one).
command -v script >/dev/null || skip "script (util-linux) is not installed"
script -qec "sp-fetch --cache '$PWD/c2' artists <plays.ndjson >tty.out" typescript >/dev/null ||
    fail "sp-fetch on a terminal failed"
expect_eq "tty output" "$n" "$(wc -l <tty.out)"
esc=$(printf '\033')
cr=$(printf '\r')
grep -q "^${cr}sp-fetch: fetch artists 0/$n${esc}\[K" typescript ||
    { od -c typescript | head; fail "no first progress line on the terminal"; }
grep -q "${cr}${esc}\[Ksp-fetch: artists: $n of $n done (0 from the cache)${cr}\$" typescript ||
    { od -c typescript | tail; fail "the summary does not replace the progress line"; }
# The live line is never a line of its own (nothing but the summary ends
# with a newline);
# with -q, script(1) of util-linux 2.38 still writes its own first and last
# lines (Script started/done) into the file.
expect_eq "terminal lines" 1 "$(grep -v '^Script ' typescript | grep -c .)"
exit 0
