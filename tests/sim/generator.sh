# The generator is deterministic and parameterised: the same seed gives the
# same state, its sizes follow the options, new releases fall in the last
# --new-days days before --now, and no track is played before its release.
. "$SP_ROOT/tests/lib/lib.sh"
S=$SP_ROOT/tests/spotify-sim/server.py
args="--print-state --kind --seed 7 --artists 9 --albums-per-artist 2 --tracks-per-album 4 --plays 300 --days 30 --now 2026-06-15T00:00:00Z --new-releases 3 --new-days 7 --saved 5"
python3 "$S" $args >a.json || fail "generator failed"
python3 "$S" $args >b.json
expect_file a.json b.json
python3 "$S" $args --seed 8 >c.json
cmp -s a.json c.json && fail "seed 8 gave the same state as seed 7"
expect_eq artists 9 "$(jq '.artists | length' a.json)"
expect_eq albums 21 "$(jq '.albums | length' a.json)"
expect_eq plays 300 "$(jq '.plays | length' a.json)"
expect_eq saved 5 "$(jq '.saved | length' a.json)"
expect_eq 'plays within 30 days' true "$(jq '[.plays[].played_at] | all(. >= "2026-05-16" and . < "2026-06-15")' a.json)"
expect_eq 'new releases' 3 "$(jq '[.albums[] | select(.release_date >= "2026-06-08" and .release_date_precision == "day")] | length' a.json)"
# Plays at most 30 days back and releases in the last 7 days: some plays
# come before a new release, and none of those is of it.
expect_eq 'plays before their release' 0 "$(jq '(.albums | map({key: .id, value: .release_date}) | from_entries) as $rel
    | (.tracks | map({key: .id, value: $rel[.album_id]}) | from_entries) as $trel
    | [.plays[] | select(.played_at[:10] < $trel[.track_id])] | length' a.json)"
expect_eq 'plays of new releases' true "$(jq '(.albums | map(select(.release_date >= "2026-06-08")) | map(.id)) as $new
    | [.tracks[] | select(.album_id as $a | $new | index($a)) | .id] as $nt
    | [.plays[] | select(.track_id as $t | $nt | index($t))] | length > 0' a.json)"
