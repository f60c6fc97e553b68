# ids.jq: the Spotify ids of type $type ("artist", "album", "track") in one
# input value, each once, sorted: from a record of any kind (every nested
# object whose "type" is $type and that has a string "id"), from a bare id,
# or from a URI "spotify:TYPE:ID".  Used by sp-fetch artists|albums|releases.
if type == "string" then
  sub("^spotify:" + $type + ":"; "") | select(length > 0)
elif type == "object" or type == "array" then
  [.. | objects | select(.type? == $type and (.id | type) == "string") | .id] | unique[]
else
  empty
end
