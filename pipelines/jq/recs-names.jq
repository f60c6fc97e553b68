# recs-names.jq: recs.ndjson with names, so that jq reads it without a
# join: each recommendation of the inputs (ranked.ndjson, from sp-cosine or
# sp-rerank) gets the track_name and artist_names of its track, and each
# entry of its "because" those of the track played, from the sp-features
# rows in $features (--slurpfile); a track without a row gets nulls.  The
# other fields are kept as they are, in their order.  Run with jq -n -c:
#   jq -n -c --slurpfile features features.ndjson -f recs-names.jq ranked.ndjson
(reduce $features[] as $r ({};
  if ($r.track_id | type) == "string" then
    .[$r.track_id] = {track_name: $r.track_name, artist_names: $r.artist_names}
  else . end)) as $names
| def named: . + ($names[.track_id | tostring] // {track_name: null, artist_names: null});
inputs
| named
| if (.because | type) == "array" then .because |= map(if type == "object" then named else . end) else . end
