# pipelines/community.jq: community mode's rows (pipelines/community.mk),
# from the sp-features rows of several listeners' runs, each row tagged
# with its listener (.listener) and the whole slurped (jq -s).  One row per
# track: its catalogue fields (from the first listener's row holding it),
# heard_by (the listeners who played it) and artist_listeners (the
# listeners who played any of its credited artists): the household's own
# counterpart of the backtest's artist_playlists.  A listener's own counts
# are not carried over: another listener's counts mean nothing to it.
def ids: if . == null then [] elif type == "string" then [.] else . end;

(reduce (.[] | select(.heard == true)) as $r ({};
    reduce ($r.artist_ids | ids[]) as $a (.; .[$r.listener][$a] = true))) as $played
| group_by(.track_id)[]
| .[0] as $r
| ($r.artist_ids | ids) as $artists
| {track_id: $r.track_id, release_date: $r.release_date,
   heard: any(.[]; .heard == true),
   artist_ids: $r.artist_ids, artist_names: $r.artist_names,
   track_name: $r.track_name, album_type: $r.album_type,
   explicit: $r.explicit, duration_ms: $r.duration_ms, genres: $r.genres,
   heard_by: ([.[] | select(.heard == true) | .listener] | unique),
   artist_listeners: [$played | to_entries[]
       | select(.value as $set | any($artists[]; $set[.])) | .key]}
