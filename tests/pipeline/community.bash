# tests/pipeline/community.bash: listeners' runs for the community cases.
# Sourced after lib.sh.  row ID ARTIST DATE HEARD writes one sp-features
# row (a heard track last played at $ROW_PLAYED, 2026-11-01 by default).
row() {
	jq -nc --arg id "$1" --arg a "$2" --arg d "$3" --argjson h "$4" \
	    --arg p "${ROW_PLAYED:-2026-11-01T10:00:00}" \
	    '{track_id: $id, release_date: $d, heard: $h, artist_ids: [$a],
	      artist_names: [$a], track_name: "Song \($id)", album_type: "single",
	      explicit: false, duration_ms: 200000, genres: [],
	      play_count_lifetime: (if $h then 3 else 0 end),
	      last_played_at: (if $h then $p else null end)}'
}
