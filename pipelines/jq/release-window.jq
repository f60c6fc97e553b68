# release-window.jq: passes an album (a Spotify album object) released
# within [$since, $until] (dates "YYYY-MM-DD"), judged at its
# release_date_precision: a day must fall in the window, a month must
# overlap it; a year is too coarse to place in a window of days and is
# dropped.  A missing precision is taken from the date's length.
(.release_date_precision
 // ({"10": "day", "7": "month"}[(.release_date // "") | length | tostring])
 // "year") as $p
| select((.release_date | type) == "string")
| select(
    if $p == "day" then .release_date >= $since and .release_date <= $until
    elif $p == "month" then .release_date >= $since[0:7] and .release_date <= $until[0:7]
    else false end)
