# sp-stage: staging the same records twice names the same object, writes it
# once and prints its name both times; other records make another object.
. "$SP_ROOT/tests/lib/lib.sh"
. "$SP_ROOT/tests/lib/stage.sh"
export SP_HOME=$PWD/home

api_play 3n3Ppam7vgaVa1iaRUc9Lp 2026-11-20T08:00:00.123Z >in.ndjson
api_play 0eGsygTp906u18L0Oimnem 2026-11-20T08:04:00.000Z >>in.ndjson
expect_status 0 sp-stage plays in.ndjson
first=$(cat out)
[ -f "home/stage/$first" ] || fail "object $first not written"
cp "home/stage/$first" first.gz
expect_status 0 sp-stage plays <in.ndjson
expect_eq "second name" "$first" "$(cat out)"
cmp -s first.gz "home/stage/$first" || fail "the object was rewritten"
expect_eq "objects" 1 "$(find home/stage -type f | wc -l)"
case $first in plays/dt=2026-11-20/230000-????????????????.ndjson.gz) ;;
*) fail "object name '$first': not dt=DAY/HHMMSS-HASH of the latest fetched_at" ;; esac
# The same records give the same bytes (no time in the gzip header).
gzip -l "home/stage/$first" >/dev/null || fail "not gzip"
expect_eq "header mtime" "00000000" "$(od -An -tx1 -j4 -N4 "home/stage/$first" | tr -d ' ')"

api_play 0eGsygTp906u18L0Oimnem 2026-11-20T08:04:00.000Z >other.ndjson
expect_status 0 sp-stage plays other.ndjson
[ "$(cat out)" != "$first" ] || fail "different records, same name"
expect_eq "objects" 2 "$(find home/stage -type f | wc -l)"
expect_eq "no temporary files" "" "$(find home -name '.*' -type f)"
