# tests/pipeline/export.bash: a real privacy export, zipped as Spotify
# ships it, backfilled alone and reported (not a case; sourced after lib.sh).
# The expected figures are counted here from the raw JSON (python3), not by
# the tools under test.

export SP_HOME=$PWD/home
export XDG_CONFIG_HOME=$PWD/config XDG_STATE_HOME=$PWD/state XDG_CACHE_HOME=$PWD/cache

# ex_zip ZIP SRCDIR INNER_NAME...: ZIP holds the JSON files of SRCDIR (in
# sorted order) under the names given (paths inside the archive).
ex_zip() {
	local zip=$1 src=$2 f name
	shift 2
	rm -rf zipdir && mkdir zipdir || fail "mkdir zipdir"
	for f in "$src"/*.json; do
		[ $# -gt 0 ] || fail "ex_zip: more files than names in $src"
		name=$1
		shift
		mkdir -p "zipdir/$(dirname "$name")" && cp "$f" "zipdir/$name" || fail "copying $f"
	done
	(cd zipdir && zip -qr "../$zip" .) || fail "zip failed"
}

# ex_expect SRCDIR: writes expect.artists and expect.tracks ("count<TAB>
# lowercased label" of every artist and track, most listened first: plays
# of 30 s or more, as Spotify counts streams),
# expect.span (first and last play day, UTC), expect.plays,
# expect.listens, expect.ntracks (distinct tracks played, however
# briefly) and expect.skips ("artist<TAB>plays<TAB>plays under 30 s"), counted
# from the raw files.  A play is a music record (a track URI, or a track
# name without an episode or audiobook); a record repeated with the same
# time, track and ms_played is one play (Spotify repeats some rows).
ex_expect() {
	python3 - "$1" <<'PY' || fail "counting the export failed"
import collections, glob, json, sys
seen, artists, tracks, names, times = set(), collections.Counter(), collections.Counter(), {}, []
every, listens = set(), 0
plays_of, short_of = collections.Counter(), collections.Counter()
for path in sorted(glob.glob(sys.argv[1] + "/*.json")):
    for r in json.load(open(path, encoding="utf-8")):
        if "endTime" in r:          # account data: names only, minutes
            t, artist, track, key = r["endTime"], r["artistName"], r["trackName"], None
            ms = r["msPlayed"]
        else:
            if r.get("spotify_episode_uri") or r.get("audiobook_uri") or r.get("audiobook_chapter_uri"):
                continue
            t, artist, track = r["ts"], r.get("master_metadata_album_artist_name"), r.get("master_metadata_track_name")
            key, ms = r.get("spotify_track_uri"), r["ms_played"]
            if key is None and track is None:
                continue
        k = (t, key, track, ms)
        if k in seen:
            continue
        seen.add(k)
        times.append(t[:10])
        tk = key or ((artist or "").lower() + "\x1f" + (track or "").lower())
        every.add(tk)
        plays_of[artist] += 1
        short_of[artist] += ms < 30000
        if ms < 30000:
            continue
        listens += 1
        if artist:
            artists[artist.lower()] += 1
        tracks[tk] += 1
        names.setdefault(tk, (track + " \u2014 " + (artist or "")).lower())
with open("expect.artists", "w") as f:
    for a, n in sorted(artists.items(), key=lambda x: (-x[1], x[0])):
        f.write("%d\t%s\n" % (n, a))
with open("expect.tracks", "w") as f:
    for t, n in sorted(tracks.items(), key=lambda x: (-x[1], x[0])):
        f.write("%d\t%s\n" % (n, names[t]))
open("expect.span", "w").write("%s %s\n" % (min(times), max(times)))
open("expect.plays", "w").write("%d\n" % len(seen))
open("expect.ntracks", "w").write("%d\n" % len(every))
open("expect.listens", "w").write("%d\n" % listens)
with open("expect.skips", "w") as f:
    for a, n in plays_of.items():
        f.write("%s\t%d\t%d\n" % (a, n, short_of[a]))
PY
}

# ex_top CHART FILE: the chart's rows as "count<TAB>lowercased label".
ex_top() {
	awk -v id="data-chart=\"$1\"" 'index($0, id) { on = 1 } on { print } on && /<\/svg>/ { exit }' "$2" |
	    grep -o '<rect class="hbar"[^>]*>' |
	    sed 's/.*data-label="\([^"]*\)" data-value="\([0-9]*\)".*/\2\t\1/' |
	    sed "s/&amp;/\&/g; s/&#39;/'/g; s/&quot;/\"/g; s/&lt;/</g; s/&gt;/>/g" |
	    python3 -c 'import sys; [print(l.rstrip("\n").lower()) for l in sys.stdin]'
}

# ex_check_top WHAT: the report's top 3 lifetime WHAT (artists, tracks)
# are the export's 3 most played: each row's count is the export's count
# for that name, and the counts are the 3 largest (ties in any order).
ex_check_top() {
	ex_top "top-$1-lifetime" report.html >"all.$1"
	head -n 3 "all.$1" >"got.$1"
	[ "$(wc -l <"got.$1")" = 3 ] || { cat "got.$1" >&2; fail "top $1: fewer than 3 rows"; }
	while IFS= read -r line; do
		grep -qxF -- "$line" "expect.$1" ||
		    { head -n 5 "expect.$1" >&2; fail "top $1: '$line' is not the export's count for that name"; }
	done <"got.$1"
	cut -f1 "got.$1" >got.n
	head -n 3 "expect.$1" | cut -f1 >want.n
	expect_file want.n got.n
}

# ex_check_weekly: the weekly chart runs from the week of the first play
# to the week of the last, and holds every play.
ex_check_weekly() {
	local first last pts
	read -r first last <expect.span
	awk -v id='data-chart="plays-per-week"' 'index($0, id) { on = 1 } on { print } on && /<\/svg>/ { exit }' report.html |
	    grep -o 'data-label="[-0-9]*" data-value="[0-9]*"' | sed 's/data-label="\(.*\)" data-value="\(.*\)"/\1 \2/' >weeks
	pts=$(wc -l <weeks)
	[ "$pts" -gt 0 ] || fail "no weekly chart"
	[ "$(head -n 1 weeks | cut -d' ' -f1)" \< "$first" ] || [ "$(head -n 1 weeks | cut -d' ' -f1)" = "$first" ] ||
	    fail "the weekly chart starts $(head -n 1 weeks | cut -d' ' -f1), after the first play $first"
	expect_eq "the last week" "$(date -u -d "$last -$(( $(date -u -d "$last" +%u) - 1 )) days" +%F)" \
	    "$(tail -n 1 weeks | cut -d' ' -f1)"
	expect_eq "plays in the weekly chart" "$(cat expect.plays)" "$(awk '{ s += $2 } END { print s }' weeks)"
}

# ex_check_skips: the report's skip rates by artist, for an export with
# only the time played (account data, no track resolved): each of the
# first 3 rows is "R% of N", N the artist's plays and R the share of them
# under 30 s, as ex_expect counted them (expect.skips).
ex_check_skips() {
	awk -v id='data-chart="skip-artist"' 'index($0, id) { on = 1 } on { print } on && /<\/svg>/ { exit }' report.html |
	    grep -o 'data-label="[^"]*"[^>]*>.*</rect><text class="value"[^>]*>[^<]*<' |
	    sed 's/data-label="\([^"]*\)".*<text class="value"[^>]*>\([^<]*\)</\1\t\2/' |
	    sed "s/&amp;/\&/g; s/&#39;/'/g; s/&quot;/\"/g" | head -n 3 >got.skips
	[ "$(wc -l <got.skips)" = 3 ] || { cat got.skips >&2; fail "skip rates: fewer than 3 rows"; }
	python3 - <<'PY' || fail "skip rates differ from the export's"
import math
want = {}
for line in open("expect.skips", encoding="utf-8"):
    a, n, short = line.rstrip("\n").split("\t")
    want[a] = "%d%% of %s" % (math.floor(100 * int(short) / int(n) + 0.5), n)
bad = 0
for line in open("got.skips", encoding="utf-8"):
    artist, got = line.rstrip("\n").split("\t")
    print("skip rate of %s: %s (the export: %s)" % (artist, got, want.get(artist)))
    bad += got != want.get(artist)
raise SystemExit(bad > 0)
PY
}

# ex_backfill_report ZIP: backfill ZIP into a fresh database, then report.
ex_backfill_report() {
	expect_status 0 "$SP_ROOT/pipeline.sh" backfill "$1"
	# Records, not plays: an export's episodes are imported too.
	expect_grep '^pipeline: import: [0-9]* records$' err
	expect_status 0 "$SP_ROOT/pipeline.sh" report -o report.html
	expect_grep "data-fact=\"plays\">$(cat expect.plays)<" report.html
	expect_grep "data-fact=\"listens\">$(cat expect.listens)<" report.html
}
