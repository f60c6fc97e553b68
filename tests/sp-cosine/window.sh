# The split into candidates (now - days < release date <= now, by day) and
# history (heard, released on or before now - days, or undated), with
# partial dates meaning the first day of their year or month.
. "$SP_ROOT/tests/sp-cosine/cosine.bash"

mkmat x.spm <<'ROWS'
{"track_id":"c-now","release_date":"2026-11-27","heard":false}|1 0
{"track_id":"c-first-day","release_date":"2026-11-21","heard":false}|1 1
{"track_id":"c-heard","release_date":"2026-11-24","heard":true}|0 1
{"track_id":"x-day-before","release_date":"2026-11-20","heard":false}|1 2
{"track_id":"h-day-before","release_date":"2026-11-20","heard":true}|2 1
{"track_id":"x-future","release_date":"2026-11-28","heard":true}|1 3
{"track_id":"h-month","release_date":"2026-11","heard":true}|3 1
{"track_id":"h-year","release_date":"2026","heard":true}|1 4
{"track_id":"x-month-unheard","release_date":"2026-11","heard":false}|4 1
{"track_id":"h-undated","release_date":null,"heard":true}|1 5
{"track_id":"x-undated","heard":null}|5 1
{"track_id":"h-no-date-member","heard":true}|1 6
{"track_id":"x-heard-missing","release_date":"2020-01-01"}|6 1
ROWS

cands() { sed 's/.*"rank":[0-9]*,"track_id":"\([^"]*\)".*/\1/' out | sort; }
hist() { grep -o '"because":.*' out | grep -o '"track_id":"[^"]*"' | sed 's/.*:"\(.*\)"/\1/' | sort -u; }

expect_status 0 sp-cosine --now $NOW --because 100 x.spm
printf '%s\n' c-first-day c-heard c-now >expect
cands >got
expect_file expect got
printf '%s\n' h-day-before h-month h-no-date-member h-undated h-year >expect
hist >got
expect_file expect got

# --days 1: only the day itself; 2026-11-26 and before is history.
expect_status 0 sp-cosine --now $NOW --days 1 --because 100 x.spm
printf '%s\n' c-now >expect
cands >got
expect_file expect got
printf '%s\n' c-heard h-day-before h-month h-no-date-member h-undated h-year >expect
hist >got
expect_file expect got

# A partial date is the first day of its period: "2026-11" is 2026-11-01,
# a candidate in the week up to 2026-11-03, "2026" one up to 2026-01-07.
expect_status 0 sp-cosine --now 2026-11-03 --because 100 x.spm
printf '%s\n' h-month x-month-unheard >expect
cands >got
expect_file expect got
expect_status 0 sp-cosine --now 2026-01-07 --because 100 x.spm
printf '%s\n' h-year >expect
cands >got
expect_file expect got
expect_status 0 sp-cosine --now 2026-01-08 --because 100 x.spm
[ ! -s out ] || fail "2026 is not in the week up to 2026-01-08: $(cat out)"
