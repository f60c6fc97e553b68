#!/usr/bin/env bash
# needs: pg
# A real headless Chromium renders the report: the page logs nothing to the
# console (its Content-Security-Policy turns any script or network load into
# a console error), its DOM has the charts and no script element, and
# screenshots are kept in tests/out/sp-report/ for a person to look at:
# report.png (a year of plays, recommendations, the map) and
# new-listener.png (20 plays).  A control page with a console error proves
# the check sees errors.
. "$SP_ROOT/tests/sp-report/lib.bash"
command -v chromium >/dev/null || skip "chromium is not installed (pipelines/deps.sh installs it)"
shots=$SP_ROOT/tests/out/sp-report
mkdir -p "$shots"

# browse OUT_PREFIX PAGE [ARGS...]: renders PAGE; OUT_PREFIX.err gets the log.
browse() {
	local pre=$1 page=$2 profile
	shift 2
	profile=$(mktemp -d "$PWD/profile.XXXXXX")
	timeout 90 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
	    --disable-background-networking --disable-component-update --disable-sync \
	    --disable-extensions --hide-scrollbars --user-data-dir="$profile" \
	    --enable-logging=stderr --v=0 "$@" "file://$PWD/$page" >"$pre.out" 2>"$pre.err" ||
		{ tail -n 20 "$pre.err" >&2; fail "chromium failed on $page"; }
	rm -rf "$profile"
}

# console_errors LOG: the console lines of a Chromium log.
console_errors() {
	grep ':CONSOLE' "$1"
}

# The control: the check must see a console error and a CSP violation.
printf '%s\n' '<!DOCTYPE html><html><head><meta http-equiv="Content-Security-Policy" content="default-src '"'none'"'"></head>' \
	'<body><p>control</p><img src="http://127.0.0.1:9/x.png"></body></html>' >control.html
browse control control.html --dump-dom
console_errors control.err | grep -q 'violates the following Content Security Policy' ||
	fail "the console check does not see a blocked load"

report_db
sql "select r_artist('a' || i, (array['The Beatles', 'Björk', '<script>alert(1)</script>', 'Nina Simone',
        'Daft Punk', 'Radiohead', 'Aphex Twin', 'Fela Kuti'])[i + 1],
        string_to_array((array['rock|british invasion', 'art pop|electronica', '\"><img src=x>|noise',
        'jazz|soul', 'electronica|house', 'rock|art rock', 'electronica|idm', 'afrobeat|jazz'])[i + 1], '|'))
     from generate_series(0, 7) i;
     select r_track('t' || i, 'Song ' || i || case when i = 3 then ' & <b>more</b>' else '' end,
        array['a' || i % 8]) from generate_series(1, 40) i;
     select r_track('n' || i, 'New release ' || i, array['a' || i % 8], '2026-11-2' || (i % 7 + 1), 200000,
        'releases') from generate_series(1, 12) i;
     select setseed(0.42);
     select r_play('t' || (1 + floor(power(random(), 2) * 40))::int,
        timestamptz '2025-11-27 00:00+00' + d * interval '1 day' + ((17 + k) % 24) * interval '1 hour'
        + floor(random() * 60) * interval '1 minute',
        case when random() < 0.3 then 20000 else 200000 end,
        case when random() < 0.3 then 'fwdbtn' else 'trackdone' end)
     from generate_series(0, 364) d, generate_series(1, 7) k
     where d not between 200 and 209 and random() < 0.5 + 0.4 * sin(d / 30.0);"
models Europe/Paris
run=runs/20261127T060000Z
mkdir -p $run
printf '%s\n' \
	'{"rank":1,"track_id":"n3","score":0.912345,"because":[{"track_id":"t3","similarity":0.93},{"track_id":"t11","similarity":0.88}]}' \
	'{"rank":2,"track_id":"n5","score":0.85,"because":[{"track_id":"t5","similarity":0.85}]}' \
	'{"rank":3,"track_id":"n2","score":0.71,"because":[{"track_id":"t2","similarity":0.8}]}' >$run/recs.ndjson
awk 'BEGIN { srand(7)
	for (i = 1; i <= 40; i++) printf "{\"track_id\":\"t%d\",\"release_date\":\"2020-01-01\",\"heard\":true}|%.4f %.4f\n", i, rand() * 2 - 0.5, rand() * 2 - 1
	for (i = 1; i <= 12; i++) printf "{\"track_id\":\"n%d\",\"release_date\":\"2026-11-2%d\",\"heard\":false}|%.4f %.4f\n", i, i % 7 + 1, rand() * 2 - 1, rand() * 2 - 0.7
	for (i = 1; i <= 400; i++) printf "{\"track_id\":\"o%d\",\"release_date\":\"2010\",\"heard\":false}|%.4f %.4f\n", i, rand() * 3 - 1.5, rand() * 3 - 1.5
}' | mkmat $run/embedded.spm
expect_status 0 sp-report --run $run --now "$NOW" -o report.html

browse dom report.html --dump-dom
if console_errors dom.err >console.txt; then
	cat console.txt >&2
	fail "the report logged to the console"
fi
expect_grep '<h1>Listening report</h1>' dom.out
expect_eq "charts in the DOM" "$(grep -c '<svg class="chart"' report.html)" "$(grep -c '<svg class="chart"' dom.out)"
if grep -q '<script' dom.out; then fail "a script element in the DOM"; fi
expect_grep '&lt;script&gt;alert(1)&lt;/script&gt;' dom.out

browse shot report.html --screenshot="$shots/report.png" --window-size=1200,4600
if console_errors shot.err >console.txt; then cat console.txt >&2; fail "console messages"; fi

# The new listener: 20 plays over the last three days, no run.
sql "delete from raw.plays;
     select r_play('t' || 1 + i % 7, timestamptz '2026-11-24 17:00+00' + i * interval '150 minutes')
     from generate_series(0, 19) i;"
models Europe/Paris
rm -rf runs
expect_status 0 sp-report --now "$NOW" -o new.html
browse new new.html --screenshot="$shots/new-listener.png" --window-size=1200,3000
if console_errors new.err >console.txt; then cat console.txt >&2; fail "console messages"; fi

# Both screenshots are PNG images of the window's size.
for f in report:4600 new-listener:3000; do
	png=$shots/${f%:*}.png
	[ -s "$png" ] || fail "no screenshot $png"
	expect_eq "$png signature" "89504e470d0a1a0a" "$(head -c 8 "$png" | od -An -tx1 | tr -d ' \n')"
	expect_eq "$png size" "1200 ${f#*:}" "$(od -An -tu1 -j16 -N8 "$png" |
		awk '{ print $1 * 16777216 + $2 * 65536 + $3 * 256 + $4, $5 * 16777216 + $6 * 65536 + $7 * 256 + $8 }')"
done
exit 0
