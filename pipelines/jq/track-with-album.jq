# track-with-album.jq: input {"album": a full album object, "track": one of
# its simplified tracks}; outputs the track with the album attached as a
# simplified album (as a track object carries it): the album without its
# track listing and the album-only fields.  Used by sp-fetch releases.
.track + {album: (.album | del(.tracks, .copyrights, .external_ids, .genres, .label, .popularity))}
