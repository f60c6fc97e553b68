#!/usr/bin/env python3
"""export.py: a Spotify privacy export (ZIP) of the simulated listener.

Reads the simulator's state JSON (tests/spotify-sim/server.py --print-state)
and writes the listener's extended streaming history as the ZIP that
"Download your data" gives: Spotify Extended Streaming History/
Streaming_History_Audio_YYYY[-YYYY]_N.json, one JSON array per year, with
the fields Spotify exports.  ts is the end of the play (played_at plus
ms_played, to the second), so the plays the API also returns differ from
their export rows by up to the play's length, as with the real service.

Usage: export.py STATE.json OUT.zip
"""
import datetime as dt
import json
import sys
import zipfile


def parse(s):
    return dt.datetime.fromisoformat(s.replace("Z", "+00:00"))


def main():
    if len(sys.argv) != 3:
        sys.stderr.write("usage: export.py STATE.json OUT.zip\n")
        return 2
    st = json.load(open(sys.argv[1]))
    tracks = {t["id"]: t for t in st["tracks"]}
    albums = {a["id"]: a for a in st["albums"]}
    artists = {a["id"]: a for a in st["artists"]}
    years = {}
    local = st.get("local_tracks", [])
    for p in sorted(st["plays"], key=lambda p: p["played_at"]):
        if p.get("local") is not None:
            # A local file: Spotify exports its tags and no URI.
            lt = local[p["local"]]
            t = {"id": None, "name": lt["title"], "duration_ms": lt["duration_ms"],
                 "artist_ids": [None], "album_id": None}
            artists.setdefault(None, {"name": lt["artist"]})["name"] = lt["artist"]
            albums.setdefault(None, {"name": lt["album"]})["name"] = lt["album"]
        else:
            t = tracks[p["track_id"]]
        end = parse(p["played_at"]) + dt.timedelta(milliseconds=p["ms_played"])
        full = p["ms_played"] >= t["duration_ms"]
        years.setdefault(end.year, []).append({
            "ts": end.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "platform": "linux",
            "ms_played": p["ms_played"],
            "conn_country": "FR",
            "ip_addr": "192.0.2.1",
            "master_metadata_track_name": t["name"],
            "master_metadata_album_artist_name": artists[t["artist_ids"][0]]["name"],
            "master_metadata_album_album_name": albums[t["album_id"]]["name"],
            "spotify_track_uri": "spotify:track:" + t["id"] if t["id"] else None,
            "episode_name": None,
            "episode_show_name": None,
            "spotify_episode_uri": None,
            "audiobook_title": None,
            "audiobook_uri": None,
            "audiobook_chapter_uri": None,
            "audiobook_chapter_title": None,
            "reason_start": "trackdone",
            "reason_end": "trackdone" if full else "fwdbtn",
            "shuffle": False,
            "skipped": not full,
            "offline": False,
            "offline_timestamp": None,
            "incognito_mode": False,
        })
    with zipfile.ZipFile(sys.argv[2], "w", zipfile.ZIP_DEFLATED) as z:
        for n, (y, rows) in enumerate(sorted(years.items())):
            name = "Spotify Extended Streaming History/Streaming_History_Audio_%d_%d.json" % (y, n)
            z.writestr(name, json.dumps(rows, indent=1))
        z.writestr("Spotify Extended Streaming History/ReadMeFirst_ExtendedStreamingHistory.pdf", b"%PDF-1.4\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
