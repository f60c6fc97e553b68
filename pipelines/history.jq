# pipelines/history.jq: the listener's history for sp-cosine --history and
# sp-rerank -H, from sp-features rows (pipelines/run.mk).  As sp-cosine
# reads it from the labels without --history: the tracks heard and
# released on or before $cut (a null date counts as old).  Each weighs its
# lifetime plays (at least 1) times exp(-days since its last play / $tau),
# $now being epoch seconds.
select(.heard == true and (.release_date // "0000") <= $cut)
| {user: "me", track_id,
   weight: (([.play_count_lifetime // 0, 1] | max)
     * (if .last_played_at == null then 1
        else ((($now - (.last_played_at[0:19] + "Z" | fromdateiso8601)) / 86400) as $age
              | [$age, 0] | max | -. / $tau | exp) end)
     * 1000000 | round / 1000000)}
