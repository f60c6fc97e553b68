# pipelines/history.jq: the listener's history for sp-cosine --history and
# sp-rerank -H, from sp-features rows (pipelines/run.mk): every track heard,
# whatever its release date (a release of the week played already is the
# listener's taste, and sp-cosine never recommends a history track back),
# and every track whose recording was heard under another id (the album
# version of a single played: recording_heard, by ISRC or by first
# artist, name and duration), at weight 0 so that it only keeps it from
# being recommended.  A heard track weighs its lifetime plays (at least 1)
# times exp(-days since its last play / $tau), $now being epoch seconds.
select(.heard == true or .recording_heard == true)
| {user: "me", track_id,
   weight: (if .heard != true then 0
     else ([.play_count_lifetime // 0, 1] | max)
     * (if .last_played_at == null then 1
        else ((($now - (.last_played_at[0:19] + "Z" | fromdateiso8601)) / 86400) as $age
              | [$age, 0] | max | -. / $tau | exp) end)
     * 1000000 | round / 1000000 end)}
