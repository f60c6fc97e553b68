# tests/pipeline/features.bash: a small run for pipelines/run.mk's stages.
# Sourced after lib.sh.  small_run writes spec.json and run/features.ndjson:
# 40 tracks, 30 heard and old, 10 released this week; "small_run names"
# adds each track's name (with quotes) and artists' names.
small_run() {
	mkdir -p run
	cat >spec.json <<'X'
{"id": "track_id", "labels": ["release_date", "heard", "artist_ids"],
 "features": [{"field": "x", "transform": "minmax"}, {"field": "g", "transform": "onehot"}]}
X
	jq -nc --arg today "$(date -u +%F)" --argjson names "$([ "${1:-}" = names ] && echo true || echo false)" '
	    range(40) as $i |
	    {track_id: ("t" + ($i | tostring)), x: (($i * 7) % 11), g: (["a", "b", "c"][$i % 3]),
	     release_date: (if $i < 30 then "2020-01-01" else $today end), heard: ($i < 30),
	     artist_ids: ["ar" + (($i % 5) | tostring)]}
	    + if $names then {track_name: ("Song \"" + ($i | tostring) + "\""),
	                      artist_names: ["Artist " + (($i % 5) | tostring), "Guest"]} else {} end' \
	    >run/features.ndjson
}
