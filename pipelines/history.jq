# pipelines/history.jq: the listener's history for sp-cosine --history and
# sp-rerank -H, from sp-features rows (pipelines/run.mk): every track heard,
# whatever its release date (a release of the week played already is the
# listener's taste, and sp-cosine never recommends a history track back).
# A heard track weighs its lifetime plays (at least 1) times
# exp(-days since its last play / $tau), $now being epoch seconds.  A
# track whose recording was heard only under another id is not history
# but an exclusion (pipelines/exclude.jq).
select(.heard == true)
| {user: "me", track_id,
   weight: (([.play_count_lifetime // 0, 1] | max)
     * (if .last_played_at == null then 1
        else ((($now - (.last_played_at[0:19] + "Z" | fromdateiso8601)) / 86400) as $age
              | [$age, 0] | max | -. / $tau | exp) end)
     * 1000000 | round / 1000000)}
