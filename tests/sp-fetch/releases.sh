# releases sweeps the artists' albums and search tag:new, keeps releases of
# the last --days days before --now, and writes each kept album and its
# tracks (each with its album attached).
. "$SP_ROOT/tests/lib/lib.sh"
. "$SP_ROOT/tests/lib/sim.sh"
start_sim --kind --artists 12 --new-releases 8 --new-days 10 --now 2026-11-27T12:00:00Z
sim_tokens
sim_ctl GET state >state.json
# Half the artists are on stdin (their records cached by 'sp-fetch
# artists', as ingest does); search tag:new adds the others' releases that
# share a genre with them.
jq -r '.artists[:6][].id' state.json >artists
sp-fetch artists <artists >/dev/null || fail "sp-fetch artists failed"
expect_status 0 sp-fetch releases --now 2026-11-27 --days 7 <artists
jq -r '([.artists[:6][].genres[]] | unique) as $g | (.artists[:6] | map(.id)) as $mine
    | (.artists | map({key: .id, value: .genres}) | from_entries) as $ag
    | [.albums[] | select(.release_date_precision == "day" and .release_date >= "2026-11-20" and .release_date <= "2026-11-27")
       | select((.artist_ids[0] as $a | $mine | index($a)) or ([$ag[.artist_ids[0]][] | select(. as $x | $g | index($x))] | length > 0))
       | .id] | sort | .[]' state.json >want
[ -s want ] || fail "the generated state has no release in the window"
expect_eq albums "$(cat want)" "$(jq -r 'select(.kind == "album") | .data.id' out | sort)"
jq -r '.tracks[] | .album_id + " " + .id' state.json | sort >all-tracks
expect_eq tracks "$(grep -F -f want all-tracks | cut -d' ' -f2 | sort)" "$(jq -r 'select(.kind == "track") | .data.id' out | sort)"
expect_eq 'album attached' true "$(jq -s '[.[] | select(.kind == "track")] | all(.data.album.id and (.data.album | has("tracks") | not))' out)"
expect_eq sources 'releases search' "$(jq -r .source out | sort -u | paste -sd' ')"
expect_eq 'search source for others' true "$(jq -s --slurpfile s state.json '($s[0].artists[:6] | map(.id)) as $mine | [.[] | select(.kind == "album" and .source == "search")] | all(.data.artists[0].id as $a | $mine | index($a) | not)' out)"
expect_eq 'albums limit 10' true "$(sim_log | jq -s '[.[] | select(.path | test("^/artists/.*/albums$"))] | all(.query | test("include_groups=album,single&limit=10"))')"
# --now is any RFC 3339 time (the same instant in another zone sweeps the
# same window) or a day; anything else is a usage error naming it.
sp-fetch releases --now 2026-11-27T12:00:00Z --days 7 <artists | jq -S -c 'del(.fetched_at)' | sort >utc || fail "--now in UTC"
sp-fetch releases --now 2026-11-27T13:00:00+01:00 --days 7 <artists | jq -S -c 'del(.fetched_at)' | sort >paris || fail "--now with +01:00"
[ -s utc ] || fail "nothing fetched for --now 2026-11-27T12:00:00Z"
expect_file utc paris
expect_status 2 sp-fetch releases --now 2026-11-31 --days 7 </dev/null
expect_err "sp-fetch: --now: not a time (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ): '2026-11-31'"
