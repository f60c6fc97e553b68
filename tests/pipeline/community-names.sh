# pipeline.sh community: the lists carry names as a run's recs.ndjson
# does (pipelines/jq/recs-names.jq): each recommendation the track_name
# and artist_names of its track, each entry of its "because" those of the
# track played, even a track that only another listener's run holds;
# every other field is the ranking's (DIR/ranked.ndjson) as it was.
. "$SP_ROOT/tests/lib/lib.sh"
export SP_HOME=$PWD/home SP_NOW=2026-11-30

# row ID ARTIST DATE HEARD: one sp-features row, names from the id.
row() {
	jq -nc --arg id "$1" --arg a "$2" --arg d "$3" --argjson h "$4" \
	    '{track_id: $id, release_date: $d, heard: $h, artist_ids: [$a],
	      artist_names: ["The \($a)s", "feat. \($id)"], track_name: "Song \"\($id)\"",
	      play_count_lifetime: 3,
	      last_played_at: (if $h then "2026-11-01T10:00:00" else null end)}'
}
mkdir -p runs/ann runs/bob
{ row a1 X 2025-01-01 true; row a2 W 2025-02-01 true; row n2 Q 2026-11-27 false
  row n4 X 2026-11-26 false; } >runs/ann/features.ndjson
{ row b1 X 2025-01-05 true; row b2 Y 2025-02-05 true; row n1 Y 2026-11-28 false
  row n4 X 2026-11-26 false; } >runs/bob/features.ndjson

expect_status 0 "$SP_ROOT/pipeline.sh" community -o hh ann=runs/ann bob=runs/bob
cat runs/*/features.ndjson | jq -r '[.track_id, .track_name, (.artist_names | join("|"))] | @tsv' |
    sort -u >names.tsv
for u in ann bob; do
	list=hh/lists/$u.ndjson
	[ "$(wc -l <"$list")" -gt 0 ] || fail "$u: no recommendations"
	grep -q '"because":\[{' "$list" || fail "$u: no because entries to name"
	# Names, computed here from the runs' features.
	jq -r '.track_id, (.because[]?.track_id)' "$list" | sort -u |
	    join -t "$(printf '\t')" - names.tsv >want.tsv
	jq -r '(., .because[]?) | [.track_id, .track_name, (.artist_names | join("|"))] | @tsv' \
	    "$list" | sort -u >got.tsv
	expect_file want.tsv got.tsv
	# Without the names, each line is the ranking's line.
	jq -c 'del(.track_name, .artist_names) | .because |= map(del(.track_name, .artist_names))' \
	    "$list" >stripped
	jq -c --arg u "$u" 'select(.user == $u)' hh/ranked.ndjson >ranked.norm
	expect_file ranked.norm stripped
done
# n1 is in bob's run only; ann's list names it.
expect_eq "ann's n1" 'Song "n1" The Ys' \
    "$(jq -r 'select(.track_id == "n1") | "\(.track_name) \(.artist_names[0])"' hh/lists/ann.ndjson)"
