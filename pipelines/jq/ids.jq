# ids.jq: the Spotify ids of type $type ("artist", "album", "track") in one
# input value, each once, sorted: from a record of any kind (every nested
# object whose "type" is $type and that has a string "id", and every
# string "spotify:TYPE:ID" in it, such as an export play's
# spotify_track_uri), from a bare id, or from a URI "spotify:TYPE:ID".
# Used by sp-fetch tracks|artists|albums|releases.
if type == "string" then
  sub("^spotify:" + $type + ":"; "") | select(length > 0)
elif type == "object" or type == "array" then
  ([.. | objects | select(.type? == $type and (.id | type) == "string") | .id]
   + [.. | strings | select(startswith("spotify:" + $type + ":")) | ltrimstr("spotify:" + $type + ":")])
  | map(select(length > 0)) | unique[]
else
  empty
end
