# pipelines/exclude.jq: what sp-cosine --exclude keeps from the listener's
# recommendations without counting it as taste, from sp-features rows
# (pipelines/run.mk): a track not heard itself whose recording was heard
# under another id (the album version of a single played:
# recording_heard, by ISRC or by first artist, name and duration).  As
# history it would explain recommendations with a track never played.
select(.recording_heard == true and .heard != true)
| {user: "me", track_id}
