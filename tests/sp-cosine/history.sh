# --history: one history and one list per user, in the order users first
# appear; a user's own history tracks are never recommended to it; ids
# not in the matrix are ignored (counted under -v); a user with no track
# in the matrix gets a warning and no list.
. "$SP_ROOT/tests/sp-cosine/cosine.bash"

mkmat x.spm <<'ROWS'
{"track_id":"old-x","release_date":"2020","heard":false}|1 0
{"track_id":"old-y","release_date":"2020","heard":false}|0 1
{"track_id":"new-x","release_date":"2026-11-25","heard":false}|5 1
{"track_id":"new-y","release_date":"2026-11-26","heard":false}|1 5
{"track_id":"new-xy","release_date":"2026-11-27","heard":false}|1 1
ROWS
cat >hist <<'IN'
{"user":"zed","track_id":"old-y"}
{"user":"amy","track_id":"old-x","weight":3}
{"user":"nobody","track_id":"not-there"}
{"user":"zed","track_id":"gone"}
{"user":"amy","track_id":"new-xy"}

{"user":"amy","track_id":"old-x"}
IN
cat >expect <<'OUT'
{"user":"zed","rank":1,"track_id":"new-y","score":0.980581,"because":[{"track_id":"old-y","similarity":0.980581}]}
{"user":"zed","rank":2,"track_id":"new-xy","score":0.707107,"because":[{"track_id":"old-y","similarity":0.707107}]}
{"user":"zed","rank":3,"track_id":"new-x","score":0.196116,"because":[{"track_id":"old-y","similarity":0.196116}]}
{"user":"amy","rank":1,"track_id":"new-x","score":0.980581,"because":[{"track_id":"old-x","similarity":0.980581},{"track_id":"new-xy","similarity":0.832050}]}
{"user":"amy","rank":2,"track_id":"new-y","score":0.832050,"because":[{"track_id":"new-xy","similarity":0.832050},{"track_id":"old-x","similarity":0.196116}]}
OUT
expect_status 0 sp-cosine --now $NOW --history hist x.spm
expect_file expect out
expect_eq "warning" "sp-cosine: user 'nobody': its 1 history track is not in x.spm; no recommendations" "$(cat err)"

# -v counts the entries whose tracks are not in the matrix.
expect_status 0 sp-cosine -v --now $NOW --history hist x.spm
expect_file expect out
expect_grep "^sp-cosine: hist: 3 listeners, 6 entries; 2 name tracks not in x.spm (ignored); read in [0-9.]* s$" err

# With several threads, listeners are shared out; the output is the same.
expect_status 0 sp-cosine --threads 3 --now $NOW --history hist x.spm
expect_file expect out
