#!/usr/bin/env python3
"""server.py: a simulated Spotify Web API and accounts service for tests.

It serves, on 127.0.0.1, what a Development-Mode app sees in late 2026 (see
../shared/SPOTIFY-API.md): the endpoints that still work, the PKCE token
endpoint and an auto-approving /authorize, realistic paging and cursors, the
2026 removals (batch gets 403 unless --enable-batch, removed fields absent,
removed endpoints 403/404, playlist `items`/`item`), and injectable faults.
Python 3 standard library only.

Usage:
  server.py [--port N] [--port-file F] [--state F | generator options]
            [--token AT] [--refresh-token RT] [--faults JSON|@FILE] [...]
  server.py --print-state [generator options]   # writes the state JSON
  --catalog CSV adds a real catalogue (the tidytuesday spotify_songs.csv
  columns: track_id, track_name, track_artist, track_album_id, ...) to the
  state: its real track and album ids, names, artists (ids made from the
  names, no genres), release dates and durations.  A track search with
  field filters (q=track:"..." artist:"...") answers the tracks whose name
  and artist contain the fields' words, exact names first.

By default it behaves like the real service does for a real account: a
rolling rate window (--rate-limit 250 requests per --rate-window 30 s,
answered 429 with Retry-After), --latency-ms 5 on every request, a
catalogue whose sizes follow real distributions (most artists a few
releases, some hundreds, --big-artists N over 200; compilations they appear
on), genres on --genre-share 0.15 of the artists, --local-share 0.03 of the
plays and owned playlist items local files (is_local, no ids, a
spotify:local: URI), and --world-new 1000 albums of the last two weeks by
artists the listener never played, which search tag:new pages through.
A new album of an artist with an earlier single holds that single's
recording (its name, duration and ISRC) under a new track id, as albums
do; like the real API, an album's tracks (simplified) carry no ISRC.
--kind gives the kind world instead (no rate limit or latency, a fixed
--albums-per-artist, three quarters of artists with genres, no local files,
no strangers' albums); any knob given explicitly overrides either.
--not-allowlisted answers every API call 403 as Spotify does for a user not
registered for the app; --quota-exceeded answers 429 QUOTA_EXCEEDED.

The API is at http://127.0.0.1:PORT/v1, the accounts service at
http://127.0.0.1:PORT (/authorize, /api/token).  Control endpoints (no
token needed), for tests:
  GET    /_sim/log       the requests so far, one JSON object a line:
                         {"n","method","path","query","status","fault"}
                         (path without the /v1 prefix)
  DELETE /_sim/log       clears it
  GET    /_sim/faults    the pending fault rules;  DELETE clears them
  POST   /_sim/faults    adds a rule or a list of rules (see FAULTS below)
  POST   /_sim/config    changes settings: {"batch":true,
                         "playlist_limit_max":100, "item_field":"track",
                         "rotate_refresh":true, "deny":true,
                         "rate_limit":N, "rate_window":S, "latency_ms":MS,
                         "not_allowlisted":true, "quota_exceeded":true}
  POST   /_sim/plays     adds plays: {"count":N}, {"count":N,"local":true}
                         (local files) or [{"track_id","played_at",
                         "ms_played"}]; new plays follow the latest one
  POST   /_sim/expire    expires every access token (the next call is 401)
  GET    /_sim/state     the current state (the generator's JSON form)
  POST   /_sim/dump      writes the state to --dump FILE (also done at exit)

FAULTS: a rule is {"path": glob (default "*", matched against the path
without /v1, e.g. "/me/player/recently-played" or "/artists/*"),
"method": "GET", "after": N (let N matching requests through first),
"count": N (default 1; -1 = forever), and one action:
  "status": 429, "retry_after": S, "reason": "QUOTA_EXCEEDED"
  "status": 500 | 502 | 503 | any, "message": "..."
  "status": 302 | 307 | ..., "location": URL   a redirect to URL
  "delay": S           answers normally after S seconds
  "drop": true         closes the connection without an answer
  "malformed": true    200 with a truncated JSON body
  "expire_token": true revokes the presented access token and answers 401
  "invalid_grant": true  (for /api/token) 400 invalid_grant}.
"""

import argparse
import base64
import copy
import datetime as dt
import fnmatch
import hashlib
import collections
import json
import math
import os
import random
import signal
import socket
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

B62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
SCOPES = ("user-read-recently-played user-library-read playlist-read-private "
          "playlist-modify-private playlist-modify-public")
SIX_MONTHS = 182 * 86400
# What Spotify answers a Development-Mode app's user who is not among the
# app's registered users (Dashboard, Users and Access).
ALLOWLIST_MESSAGE = ("Check settings on developer.spotify.com/dashboard, "
                     "the user may not be registered.")

WORDS = ("velvet midnight echo river glass paper lantern summer hollow static "
         "golden northern quiet electric wild ocean silver broken neon winter "
         "garden falling shadow signal fever marble distant honey thunder "
         "violet harbor ember copper lunar atlas canyon drift halo prism").split()
GENRES = ("indie rock,dream pop,shoegaze,techno,house,jazz,soul,folk,ambient,"
          "post-punk,hip hop,synthpop,krautrock,bossa nova,afrobeat").split(",")


# ---------------------------------------------------------------- time

def parse_time(s):
    """ISO 8601 UTC ("2026-11-27T12:00:00Z", ms optional) -> epoch ms."""
    s = s.strip()
    if s.endswith("Z"):
        s = s[:-1] + "+00:00"
    if len(s) == 10:
        s += "T00:00:00+00:00"
    t = dt.datetime.fromisoformat(s)
    if t.tzinfo is None:
        t = t.replace(tzinfo=dt.timezone.utc)
    return int(round(t.timestamp() * 1000))


def fmt_ms(ms):
    """epoch ms -> "2026-11-27T12:00:00.123Z" (played_at style)."""
    t = dt.datetime.fromtimestamp(ms / 1000, dt.timezone.utc)
    return t.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (ms % 1000)


def fmt_s(ms):
    """epoch ms -> "2026-11-27T12:00:00Z" (added_at style)."""
    t = dt.datetime.fromtimestamp(ms // 1000, dt.timezone.utc)
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def day(ms):
    return dt.datetime.fromtimestamp(ms // 1000, dt.timezone.utc).strftime("%Y-%m-%d")


# ---------------------------------------------------------------- generator

def release_count(rnd):
    """Releases of one artist, drawn from a long-tailed distribution like
    the real catalogue's: most artists have a few, some dozens, a few
    hundreds."""
    r = rnd.random()
    if r < 0.6:
        return rnd.randint(1, 4)
    if r < 0.87:
        return rnd.randint(5, 15)
    if r < 0.97:
        return rnd.randint(16, 60)
    return rnd.randint(61, 200)


def generate(seed=1, artists=20, albums_per_artist=3, tracks_per_album=8,
             plays=200, days=365, now="2026-11-27T12:00:00Z",
             new_releases=5, new_days=7, saved=30, user="listener",
             real=False, big_artists=0, genre_share=None, local_share=0.0,
             world_new=0):
    """A deterministic catalogue and listener: the same arguments give the
    same JSON.  new_releases albums are released within the last new_days
    days before now (day precision); the rest are older.

    The kind world (real=False) gives every artist albums_per_artist
    releases and plays tracks uniformly.  The real world (real=True) draws
    each artist's releases from release_count (big_artists of them get over
    200), adds compilations the artists appear on, and plays artists by a
    Zipf-like affinity, each at least once.  genre_share is the share of
    artists with genres (None: three quarters, the kind world's);
    local_share the share of plays and owned playlist items that are local
    files; world_new the albums of the last two weeks by artists the
    listener never played (what search tag:new pages through)."""
    rnd = random.Random(seed)
    now_ms = parse_time(now)
    used = set()

    def new_id():
        while True:
            i = "".join(rnd.choice(B62) for _ in range(22))
            if i not in used:
                used.add(i)
                return i

    def title(n):
        return " ".join(rnd.choice(WORDS).capitalize() for _ in range(n))

    st = {"version": 1, "now": fmt_s(now_ms),
          "user": {"id": user, "display_name": user.capitalize()},
          "artists": [], "albums": [], "tracks": [], "plays": [],
          "saved": [], "playlists": []}
    for _ in range(artists):
        if genre_share is None:
            g = rnd.sample(GENRES, rnd.choice((0, 1, 2, 3)))
        else:
            g = rnd.sample(GENRES, rnd.choice((1, 2, 3))) if rnd.random() < genre_share else []
        st["artists"].append({"id": new_id(), "name": title(2), "genres": g})
    listened = list(st["artists"])

    def add_album(artist, released_ms, precision, kind):
        alb = {"id": new_id(), "name": title(rnd.choice((1, 2, 3))),
               "album_type": kind, "artist_ids": [artist["id"]],
               "release_date": day(released_ms)[:{"day": 10, "month": 7,
                                                    "year": 4}[precision]],
               "release_date_precision": precision,
               "upc": "%012d" % rnd.randrange(10 ** 12)}
        n = tracks_per_album if kind == "album" else rnd.choice((1, 2))
        ids = []
        for k in range(n):
            tr = {"id": new_id(), "name": title(rnd.choice((1, 2, 3))),
                  "album_id": alb["id"], "artist_ids": [artist["id"]],
                  "duration_ms": rnd.randrange(95000, 420000),
                  "track_number": k + 1, "disc_number": 1,
                  "explicit": rnd.random() < 0.1,
                  "isrc": "QZ%s%02d%05d" % (rnd.choice(("SIM", "FAK", "TST")),
                                            rnd.randrange(100), rnd.randrange(10 ** 5))}
            if rnd.random() < 0.15 and len(st["artists"]) > 1:
                other = rnd.choice(st["artists"])
                if other["id"] != artist["id"]:
                    tr["artist_ids"].append(other["id"])
            st["tracks"].append(tr)
            ids.append(tr["id"])
        alb["total_tracks"] = n
        st["albums"].append(alb)
        return alb

    for k, a in enumerate(listened):
        if not real:
            n, mix = albums_per_artist, (2, 1)
        else:
            n = rnd.randint(201, 320) if k < big_artists else release_count(rnd)
            mix = (1, 2)
        for _ in range(n):
            rel = now_ms - rnd.randrange(new_days + 30, 3650) * 86400000
            prec = rnd.choices(("day", "month", "year"), (8, 1, 1))[0]
            add_album(a, rel, prec, rnd.choices(("album", "single"), mix)[0])
    if real and listened:
        # Compilations by "Various Artists" that the artists appear on.
        va = {"id": new_id(), "name": "Various Artists", "genres": [], "various": True}
        st["artists"].append(va)
        for _ in range(max(1, len(listened) // 5)):
            rel = now_ms - rnd.randrange(new_days + 30, 3650) * 86400000
            alb = add_album(va, rel, "day", "compilation")
            for tr in st["tracks"][-alb["total_tracks"]:]:
                tr["artist_ids"] = [rnd.choice(listened)["id"]]
            alb["appears"] = sorted({t["artist_ids"][0] for t in st["tracks"][-alb["total_tracks"]:]})
    for _ in range(new_releases):
        a = rnd.choice(listened)
        rel = now_ms - rnd.randrange(0, new_days) * 86400000
        alb = add_album(a, rel, "day", rnd.choice(("album", "single")))
        # An album often holds a single that came out before it: the same
        # recording (name, duration, ISRC) under a new track id.  Done
        # without drawing, so that the rest of the world stays as it was.
        singles = [x for x in st["albums"] if x["album_type"] == "single"
                   and x["artist_ids"] == [a["id"]] and x["release_date"] < alb["release_date"]]
        if alb["album_type"] == "album" and singles:
            single = max(singles, key=lambda x: (x["release_date"], x["id"]))
            old = next(t for t in st["tracks"] if t["album_id"] == single["id"])
            first = next(t for t in st["tracks"] if t["album_id"] == alb["id"])
            first.update({k: old[k] for k in ("name", "duration_ms", "isrc", "explicit")})
    if world_new:
        # Releases of the last two weeks by artists the listener never
        # played: most of what search tag:new returns.
        world = []
        for _ in range(max(1, world_new // 3)):
            g = rnd.sample(GENRES, rnd.choice((1, 2))) if rnd.random() < (genre_share or 0) else []
            world.append({"id": new_id(), "name": title(2), "genres": g, "world": True})
        st["artists"].extend(world)
        keep_tpa = tracks_per_album
        tracks_per_album = 3
        for _ in range(world_new):
            rel = now_ms - rnd.randrange(0, 14) * 86400000
            add_album(rnd.choice(world), rel, "day", rnd.choice(("album", "single", "single")))
        tracks_per_album = keep_tpa

    albums = {a["id"]: a for a in st["albums"]}
    mine = {a["id"] for a in listened}
    tracks = [t for t in st["tracks"] if t["artist_ids"][0] in mine]
    playable = [t for t in tracks if albums[t["album_id"]]["release_date"] <= day(now_ms)]
    if plays and real:
        plays_real(st, rnd, listened, playable, albums, plays, days, now_ms)
    elif plays:
        start = now_ms - days * 86400000
        times = sorted(rnd.randrange(start, now_ms - 60000) for _ in range(plays))
        for t in times:
            tr = rnd.choice(playable)
            # Nobody plays a track before its release: pick again among
            # those out by then (a draw only when the first was not).
            if albums[tr["album_id"]]["release_date"] > day(t):
                tr = rnd.choice([x for x in playable
                                 if albums[x["album_id"]]["release_date"] <= day(t)])
            ms = tr["duration_ms"] if rnd.random() < 0.85 else rnd.randrange(5000, tr["duration_ms"])
            p = {"track_id": tr["id"], "played_at": fmt_ms(t), "ms_played": ms}
            if rnd.random() < 0.5:
                p["context_uri"] = "spotify:album:" + tr["album_id"]
            st["plays"].append(p)
    for tr in rnd.sample(playable, min(saved, len(playable))):
        st["saved"].append({"track_id": tr["id"],
                            "added_at": fmt_s(now_ms - rnd.randrange(1, days + 1) * 86400000)})
    st["saved"].sort(key=lambda s: s["added_at"], reverse=True)

    def playlist(name, owner, collab, n):
        items = [{"track_id": t["id"], "added_at": fmt_s(now_ms - rnd.randrange(1, 60) * 86400000),
                  "added_by": owner}
                 for t in rnd.sample(playable, min(n, len(playable)))]
        return {"id": new_id(), "name": name, "description": "", "public": False,
                "collaborative": collab, "owner_id": owner, "items": items,
                "snapshot": 1}
    st["playlists"].append(playlist("Inbox", user, False, min(120, len(playable))))
    st["playlists"].append(playlist("Shared finds", "a-friend", True, 7))
    st["playlists"].append(playlist("Someone else's mix", "a-friend", False, 12))
    if local_share > 0:
        add_local_files(st, rnd, local_share, now_ms, title)
    return st


def plays_real(st, rnd, listened, playable, albums, plays, days, now_ms):
    """Plays by artist affinity: every artist once (while plays last), the
    rest Zipf-like, each a track of that artist out by then."""
    start = now_ms - days * 86400000
    by_artist = {}
    for t in playable:
        by_artist.setdefault(t["artist_ids"][0], []).append(t)
    order = [a for a in listened if a["id"] in by_artist]
    rnd.shuffle(order)
    weights = [1.0 / (k + 1) ** 0.8 for k in range(len(order))]
    picks = order[:plays] + rnd.choices(order, weights, k=max(0, plays - len(order)))
    times = sorted(rnd.randrange(start, now_ms - 60000) for _ in range(plays))
    rnd.shuffle(picks)
    rel = {x["id"]: albums[x["album_id"]]["release_date"] for x in playable}
    for t, a in zip(times, picks):
        d = day(t)
        out = [x for x in by_artist[a["id"]] if rel[x["id"]] <= d]
        if not out:
            # All of this artist's releases are younger than this play:
            # it moves to after the first of them (plays are sorted later).
            first = min(parse_time(rel[x["id"]][:10]) for x in by_artist[a["id"]])
            t = rnd.randrange(max(first, start), now_ms - 60000)
            d = day(t)
            out = [x for x in by_artist[a["id"]] if rel[x["id"]] <= d] or by_artist[a["id"]]
        tr = rnd.choice(out)
        ms = tr["duration_ms"] if rnd.random() < 0.85 else rnd.randrange(5000, tr["duration_ms"])
        p = {"track_id": tr["id"], "played_at": fmt_ms(t), "ms_played": ms}
        if rnd.random() < 0.5:
            p["context_uri"] = "spotify:album:" + tr["album_id"]
        st["plays"].append(p)
    st["plays"].sort(key=lambda p: p["played_at"])


def add_local_files(st, rnd, share, now_ms, title):
    """Local files: a few files of the listener's own, played now and then
    and sitting in the owned playlists.  They have no Spotify id."""
    st["local_tracks"] = [{"artist": title(2), "album": title(2), "title": title(rnd.choice((1, 2, 3))),
                           "duration_ms": rnd.randrange(120, 400) * 1000} for _ in range(8)]
    for p in st["plays"]:
        if rnd.random() < share:
            k = rnd.randrange(len(st["local_tracks"]))
            p.pop("context_uri", None)
            p["track_id"] = None
            p["local"] = k
            p["ms_played"] = st["local_tracks"][k]["duration_ms"]
    user = st["user"]["id"]
    for pl in st["playlists"]:
        if pl["owner_id"] != user:
            continue
        for _ in range(max(1, int(len(pl["items"]) * share))):
            pos = rnd.randrange(len(pl["items"]) + 1)
            pl["items"].insert(pos, {"track_id": None, "local": rnd.randrange(len(st["local_tracks"])),
                                     "added_at": fmt_s(now_ms - rnd.randrange(1, 60) * 86400000),
                                     "added_by": user})


# ---------------------------------------------------------------- state

class Sim:
    """The simulated service's state; every method runs under self.lock."""

    def __init__(self, state, args):
        self.lock = threading.Lock()
        self.args = args
        self.load(state)
        self.batch = args.enable_batch
        self.playlist_limit_max = args.playlist_limit_max
        self.item_field = args.item_field
        self.rotate_refresh = args.rotate_refresh
        self.deny = False
        self.rate_limit = args.rate_limit
        self.rate_window = args.rate_window
        self.latency_ms = args.latency_ms
        self.not_allowlisted = args.not_allowlisted
        self.quota_exceeded = args.quota_exceeded
        self.recent = collections.deque()     # times of the requests in the window
        self.client_id = args.client_id
        self.token_ttl = args.token_ttl
        self.log = []
        self.faults = []
        self.access = {}        # token -> expiry (epoch s)
        self.refresh = {}       # token -> {"consented": s, "scope": str}
        self.codes = {}         # code -> {...}
        self.seq = 0
        if args.token:
            self.access[args.token] = float("inf")
        if args.refresh_token:
            self.refresh[args.refresh_token] = {"consented": time.time(), "scope": SCOPES}

    def load(self, st):
        self.state = st
        self.artists = {a["id"]: a for a in st["artists"]}
        self.albums = {a["id"]: a for a in st["albums"]}
        self.tracks = {t["id"]: t for t in st["tracks"]}
        self.playlists = {p["id"]: p for p in st["playlists"]}
        self.album_tracks = {}
        self.artist_albums = {}
        for a in st["albums"]:
            for i in set(a["artist_ids"]) | set(a.get("appears", [])):
                self.artist_albums.setdefault(i, []).append(a)
        for t in st["tracks"]:
            self.album_tracks.setdefault(t["album_id"], []).append(t)
        for v in self.album_tracks.values():
            v.sort(key=lambda t: (t["disc_number"], t["track_number"]))
        self.now_ms = parse_time(st["now"])

    def rate_check(self):
        """The rolling window: None when the request may go, else the
        seconds until a slot frees (the Retry-After).  Refused requests do
        not count."""
        if not self.rate_limit:
            return None
        now = time.monotonic()
        while self.recent and self.recent[0] <= now - self.rate_window:
            self.recent.popleft()
        if len(self.recent) >= self.rate_limit:
            return max(1, int(math.ceil(self.recent[0] + self.rate_window - now)))
        self.recent.append(now)
        return None

    def new_token(self, prefix):
        self.seq += 1
        return "%s-%d-%s" % (prefix, self.seq, base64.urlsafe_b64encode(os.urandom(18)).decode())


# ---------------------------------------------------------------- rendering

class Render:
    def __init__(self, sim, base):
        self.s = sim
        self.base = base            # "http://127.0.0.1:PORT"
        self.api = base + "/v1"

    def ext(self, kind, i):
        return {"spotify": "https://open.spotify.com/%s/%s" % (kind, i)}

    def images(self, i):
        return [{"url": "https://i.scdn.co/image/%s%s" % (i[:8], s), "height": s, "width": s}
                for s in (640, 300, 64)]

    def artist_simple(self, i):
        a = self.s.artists[i]
        return {"external_urls": self.ext("artist", i), "href": self.api + "/artists/" + i,
                "id": i, "name": a["name"], "type": "artist", "uri": "spotify:artist:" + i}

    def artist(self, i):
        o = self.artist_simple(i)
        o["genres"] = list(self.s.artists[i].get("genres", []))
        o["images"] = self.images(i)
        return o

    def album_simple(self, i):
        a = self.s.albums[i]
        return {"album_type": a["album_type"], "total_tracks": a["total_tracks"],
                "external_urls": self.ext("album", i), "href": self.api + "/albums/" + i,
                "id": i, "images": self.images(i), "name": a["name"],
                "release_date": a["release_date"],
                "release_date_precision": a["release_date_precision"],
                "type": "album", "uri": "spotify:album:" + i,
                "artists": [self.artist_simple(x) for x in a["artist_ids"]]}

    def album(self, i):
        a = self.s.albums[i]
        o = self.album_simple(i)
        o["tracks"] = self.page([self.track_simple(t["id"]) for t in self.s.album_tracks.get(i, [])],
                                "/albums/%s/tracks" % i, 0, 50, {})
        o["copyrights"] = [{"text": "(C) %s Sim Records" % a["release_date"][:4], "type": "C"}]
        o["external_ids"] = {"upc": a["upc"]}
        o["genres"] = []
        return o

    def track_simple(self, i):
        t = self.s.tracks[i]
        return {"artists": [self.artist_simple(x) for x in t["artist_ids"]],
                "disc_number": t["disc_number"], "duration_ms": t["duration_ms"],
                "explicit": t["explicit"], "external_urls": self.ext("track", i),
                "href": self.api + "/tracks/" + i, "id": i, "is_local": False,
                "name": t["name"], "track_number": t["track_number"], "type": "track",
                "uri": "spotify:track:" + i}

    def local_track(self, k):
        """A local file as Spotify shows it: no ids, no links, a
        spotify:local: URI of its tags and length in seconds."""
        lt = self.s.state["local_tracks"][k]
        q = lambda x: urllib.parse.quote_plus(x)
        return {"album": {"album_type": None, "artists": [], "available_markets": [],
                          "external_urls": {}, "href": None, "id": None, "images": [],
                          "name": lt["album"], "release_date": None,
                          "release_date_precision": None, "type": "album", "uri": None},
                "artists": [{"external_urls": {}, "href": None, "id": None, "name": lt["artist"],
                             "type": "artist", "uri": None}],
                "available_markets": [], "disc_number": 0, "duration_ms": lt["duration_ms"],
                "explicit": False, "external_ids": {}, "external_urls": {}, "href": None,
                "id": None, "is_local": True, "name": lt["title"], "popularity": 0,
                "preview_url": None, "track_number": 0, "type": "track",
                "uri": "spotify:local:%s:%s:%s:%d" % (q(lt["artist"]), q(lt["album"]), q(lt["title"]),
                                                      lt["duration_ms"] // 1000)}

    def track(self, i):
        t = self.s.tracks[i]
        o = self.track_simple(i)
        o["album"] = self.album_simple(t["album_id"])
        o["external_ids"] = {"isrc": t["isrc"]}
        return o

    def user(self, uid):
        return {"display_name": self.s.state["user"]["display_name"] if uid == self.s.state["user"]["id"] else uid.capitalize(),
                "external_urls": self.ext("user", uid), "href": self.api + "/users/" + uid,
                "id": uid, "type": "user", "uri": "spotify:user:" + uid}

    def playlist_simple(self, p):
        i = p["id"]
        return {"collaborative": p["collaborative"], "description": p["description"],
                "external_urls": self.ext("playlist", i), "href": self.api + "/playlists/" + i,
                "id": i, "images": [], "name": p["name"], "owner": self.user(p["owner_id"]),
                "public": p["public"], "snapshot_id": "snap%d" % p["snapshot"],
                "items": {"href": self.api + "/playlists/%s/items" % i, "total": len(p["items"])},
                "type": "playlist", "uri": "spotify:playlist:" + i}

    def playlist_item(self, it):
        by = self.user(it["added_by"])
        del by["display_name"]      # a PlaylistUserObject has none
        o = {"added_at": it["added_at"], "added_by": by, "is_local": it.get("local") is not None}
        if it.get("local") is not None:
            tr = self.local_track(it["local"])
        else:
            tr = self.track(it["track_id"]) if it["track_id"] in self.s.tracks else None
        if self.s.item_field in ("item", "both"):
            o["item"] = tr
        if self.s.item_field in ("track", "both"):
            o["track"] = copy.deepcopy(tr)
        return o

    def url(self, path, params):
        q = urllib.parse.urlencode(params, safe=",:")
        return self.api + path + ("?" + q if q else "")

    def page(self, items, path, offset, limit, extra):
        """A PagingObject over the whole list items."""
        total = len(items)

        def link(off):
            p = dict(extra)
            p.update({"offset": off, "limit": limit})
            return self.url(path, p)
        return {"href": link(offset), "items": items[offset:offset + limit], "limit": limit,
                "next": link(offset + limit) if offset + limit < total else None,
                "offset": offset,
                "previous": link(max(0, offset - limit)) if offset > 0 else None,
                "total": total}


# ---------------------------------------------------------------- HTTP

class ApiError(Exception):
    def __init__(self, status, message, body=None, headers=None):
        Exception.__init__(self, message)
        self.status = status
        self.body = body if body is not None else {"error": {"status": status, "message": message}}
        self.headers = headers or {}


def int_param(q, name, default, lo, hi):
    v = q.get(name, [None])[0]
    if v is None or v == "":
        return default
    try:
        n = int(v)
    except ValueError:
        raise ApiError(400, "Invalid %s" % name)
    if n < lo or n > hi:
        raise ApiError(400, "Invalid %s" % name)
    return n


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body go out in separate writes: without TCP_NODELAY each
    # keep-alive answer waits ~40 ms for a delayed ACK.
    disable_nagle_algorithm = True
    server_version = "spotify-sim/1"

    def log_message(self, fmt, *a):
        if self.server.sim.args.verbose:
            sys.stderr.write("sim: " + (fmt % a) + "\n")

    def do_GET(self):
        self.handle_any("GET")

    def do_POST(self):
        self.handle_any("POST")

    def do_PUT(self):
        self.handle_any("PUT")

    def do_DELETE(self):
        self.handle_any("DELETE")

    # -- plumbing

    def send(self, status, body, headers=None, raw=None):
        data = raw if raw is not None else (b"" if body is None else json.dumps(body).encode())
        self.send_response(status)
        if data or body is not None:
            self.send_header("Content-Type", "application/json; charset=utf-8")
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def read_body(self):
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n > 0 else b""

    def json_body(self):
        raw = self.read_body()
        if not raw:
            return None
        try:
            return json.loads(raw)
        except ValueError:
            raise ApiError(400, "Error parsing JSON.")

    def handle_any(self, method):
        sim = self.server.sim
        u = urllib.parse.urlsplit(self.path)
        path, query = u.path, u.query
        q = urllib.parse.parse_qs(query, keep_blank_values=True)
        host = self.headers.get("Host") or "127.0.0.1:%d" % self.server.server_address[1]
        rd = Render(sim, "http://" + host)
        if path.startswith("/_sim/"):
            try:
                with sim.lock:
                    self.control(method, path, rd)
            except ApiError as e:
                self.send(e.status, e.body)
            return
        short = path[3:] if path.startswith("/v1/") else path
        entry = {"method": method, "path": short, "query": query, "status": None, "fault": None}
        with sim.lock:
            sim.seq += 1
            entry["n"] = len(sim.log) + 1
            sim.log.append(entry)
            rule = self.match_fault(sim, method, short)
        if rule is not None:
            entry["fault"] = self.fault_name(rule)
            if rule.get("delay"):
                time.sleep(float(rule["delay"]))
            if rule.get("drop"):
                entry["status"] = 0
                self.read_body()
                self.close_connection = True
                try:
                    self.connection.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                return
            if rule.get("malformed"):
                entry["status"] = 200
                self.read_body()
                self.send(200, None, raw=b'{"items": [{"track": {"id": "4uLU6hMCjMI75M1A2tKUQC", "na')
                return
            if rule.get("invalid_grant"):
                entry["status"] = 400
                self.read_body()
                self.send(400, {"error": "invalid_grant", "error_description": "Refresh token revoked"})
                return
            if rule.get("expire_token"):
                tok = self.bearer()
                with sim.lock:
                    if tok in sim.access:
                        sim.access[tok] = 0
                entry["status"] = 401
                self.read_body()
                self.send(401, {"error": {"status": 401, "message": "The access token expired"}},
                          {"WWW-Authenticate": 'Bearer realm="spotify", error="invalid_token"'})
                return
            if rule.get("status"):
                st = int(rule["status"])
                err = {"status": st, "message": rule.get("message") or {
                    429: "API rate limit exceeded", 500: "Server error",
                    502: "Bad gateway", 503: "Service unavailable"}.get(st, "Error")}
                if rule.get("reason"):
                    err["reason"] = rule["reason"]
                h = {}
                if st == 429 and rule.get("retry_after") is not None:
                    h["Retry-After"] = str(rule["retry_after"])
                if rule.get("location"):
                    h["Location"] = rule["location"]
                entry["status"] = st
                self.read_body()
                self.send(st, {"error": err}, h)
                return
        if sim.latency_ms:
            time.sleep(sim.latency_ms / 1000.0)
        if path.startswith("/v1/"):
            with sim.lock:
                refusal = self.realism(sim)
            if refusal is not None:
                entry["status"], entry["fault"] = refusal[0], refusal[3]
                self.read_body()
                self.send(refusal[0], refusal[1], refusal[2])
                return
        try:
            with sim.lock:
                if path == "/authorize" and method == "GET":
                    status, body, headers = self.authorize(sim, q)
                elif path == "/api/token" and method == "POST":
                    status, body, headers = self.token(sim)
                elif path.startswith("/v1/"):
                    self.check_auth(sim)
                    status, body, headers = self.api(sim, rd, method, short, q)
                else:
                    raise ApiError(404, "Service not found")
        except ApiError as e:
            status, body, headers = e.status, e.body, e.headers
        entry["status"] = status
        if isinstance(body, bytes):
            self.send(status, None, headers, raw=body)
        else:
            self.send(status, body, headers)

    @staticmethod
    def realism(sim):
        """The refusals of the real service that are not per-request faults:
        a user not on the app's allowlist (403 on every call), a spent quota,
        the rolling rate window.  (status, body, headers, name) or None."""
        if sim.not_allowlisted:
            return (403, {"error": {"status": 403, "message": ALLOWLIST_MESSAGE}}, {}, "allowlist")
        if sim.quota_exceeded:
            return (429, {"error": {"status": 429, "message": "API rate limit exceeded",
                                    "reason": "QUOTA_EXCEEDED"}}, {"Retry-After": "86400"}, "quota")
        wait = sim.rate_check()
        if wait is not None:
            return (429, {"error": {"status": 429, "message": "API rate limit exceeded"}},
                    {"Retry-After": str(wait)}, "rate")
        return None

    def match_fault(self, sim, method, path):
        for r in sim.faults:
            if r.get("method") and r["method"].upper() != method:
                continue
            if not fnmatch.fnmatchcase(path, r.get("path", "*")):
                continue
            if r.get("after", 0) > 0:
                r["after"] -= 1
                continue
            if r.get("count", 1) == 0:
                continue
            if r.get("count", 1) > 0:
                r["count"] = r.get("count", 1) - 1
            sim.faults = [x for x in sim.faults if x.get("count", 1) != 0]
            return r
        return None

    @staticmethod
    def fault_name(r):
        for k in ("drop", "malformed", "invalid_grant", "expire_token"):
            if r.get(k):
                return k
        if r.get("status"):
            return str(r["status"]) + ("/" + r["reason"] if r.get("reason") else "")
        return "delay"

    def bearer(self):
        h = self.headers.get("Authorization") or ""
        return h[7:].strip() if h.startswith("Bearer ") else None

    def check_auth(self, sim):
        tok = self.bearer()
        if tok is None:
            raise ApiError(401, "No token provided")
        exp = sim.access.get(tok)
        if exp is None:
            raise ApiError(401, "Invalid access token")
        if exp <= time.time():
            raise ApiError(401, "The access token expired",
                           headers={"WWW-Authenticate": 'Bearer realm="spotify", error="invalid_token"'})

    # -- control

    def control(self, method, path, rd):
        sim = self.server.sim
        if path == "/_sim/log" and method == "GET":
            data = "".join(json.dumps(e, sort_keys=True) + "\n" for e in sim.log).encode()
            self.send(200, None, {"Content-Type": "application/x-ndjson"}, raw=data)
        elif path == "/_sim/log" and method == "DELETE":
            sim.log = []
            self.send(204, None)
        elif path == "/_sim/faults" and method == "GET":
            self.send(200, sim.faults)
        elif path == "/_sim/faults" and method == "DELETE":
            sim.faults = []
            self.send(204, None)
        elif path == "/_sim/faults" and method == "POST":
            b = self.json_body()
            sim.faults.extend(check_faults(b if isinstance(b, list) else [b]))
            self.send(200, sim.faults)
        elif path == "/_sim/config" and method == "POST":
            b = self.json_body() or {}
            for k, v in b.items():
                if k not in ("batch", "playlist_limit_max", "item_field", "rotate_refresh", "deny",
                             "token_ttl", "rate_limit", "rate_window", "latency_ms",
                             "not_allowlisted", "quota_exceeded"):
                    raise ApiError(400, "unknown setting '%s'" % k)
                setattr(sim, k, v)
            self.send(200, {"ok": True})
        elif path == "/_sim/plays" and method == "POST":
            self.send(200, {"added": add_plays(sim, self.json_body())})
        elif path == "/_sim/expire" and method == "POST":
            for t in sim.access:
                sim.access[t] = 0
            self.send(200, {"expired": len(sim.access)})
        elif path == "/_sim/state" and method == "GET":
            self.send(200, sim.state)
        elif path == "/_sim/dump" and method == "POST":
            if not sim.args.dump:
                raise ApiError(400, "no --dump file")
            dump_state(sim)
            self.send(200, {"dumped": sim.args.dump})
        else:
            raise ApiError(404, "no such control endpoint")

    # -- accounts

    def authorize(self, sim, q):
        g = lambda k: q.get(k, [""])[0]
        ru = g("redirect_uri")
        pu = urllib.parse.urlsplit(ru)
        if g("response_type") != "code":
            raise ApiError(400, "unsupported_response_type", body=b"unsupported_response_type")
        if not g("client_id") or (sim.client_id and g("client_id") != sim.client_id):
            raise ApiError(400, "INVALID_CLIENT", body=b"INVALID_CLIENT: Invalid client")
        if not (pu.scheme == "https" or (pu.scheme == "http" and pu.hostname in ("127.0.0.1", "::1"))):
            raise ApiError(400, "INVALID_CLIENT", body=b"INVALID_CLIENT: Insecure redirect URI")
        if g("code_challenge_method") != "S256" or len(g("code_challenge")) < 43:
            raise ApiError(400, "invalid_request", body=b"invalid_request: code_challenge")
        sep = "&" if pu.query else "?"
        state = g("state")
        if sim.deny:
            loc = ru + sep + urllib.parse.urlencode({"error": "access_denied", "state": state})
        else:
            code = sim.new_token("code")
            sim.codes[code] = {"challenge": g("code_challenge"), "redirect_uri": ru,
                               "client_id": g("client_id"), "scope": g("scope") or SCOPES}
            loc = ru + sep + urllib.parse.urlencode({"code": code, "state": state})
        return 302, None, {"Location": loc}

    def token(self, sim):
        form = urllib.parse.parse_qs(self.read_body().decode("utf-8", "replace"))
        g = lambda k: form.get(k, [""])[0]

        def err(e, d, st=400):
            raise ApiError(st, e, body={"error": e, "error_description": d})
        gt = g("grant_type")
        if not g("client_id") or (sim.client_id and g("client_id") != sim.client_id):
            err("invalid_client", "Invalid client")
        if gt == "authorization_code":
            c = sim.codes.pop(g("code"), None)
            if c is None:
                err("invalid_grant", "Invalid authorization code")
            if c["redirect_uri"] != g("redirect_uri"):
                err("invalid_grant", "Invalid redirect URI")
            want = base64.urlsafe_b64encode(hashlib.sha256(g("code_verifier").encode()).digest()).decode().rstrip("=")
            if want != c["challenge"]:
                err("invalid_grant", "code_verifier was incorrect")
            at, rt = sim.new_token("at"), sim.new_token("rt")
            sim.access[at] = time.time() + sim.token_ttl
            sim.refresh[rt] = {"consented": time.time(), "scope": c["scope"]}
            return 200, {"access_token": at, "token_type": "Bearer", "expires_in": sim.token_ttl,
                         "refresh_token": rt, "scope": c["scope"]}, {}
        if gt == "refresh_token":
            r = sim.refresh.get(g("refresh_token"))
            if r is None or time.time() > r["consented"] + SIX_MONTHS:
                err("invalid_grant", "Invalid refresh token")
            at = sim.new_token("at")
            sim.access[at] = time.time() + sim.token_ttl
            body = {"access_token": at, "token_type": "Bearer", "expires_in": sim.token_ttl,
                    "scope": r["scope"]}
            if sim.rotate_refresh:
                rt = sim.new_token("rt")
                sim.refresh[rt] = sim.refresh.pop(g("refresh_token"))
                body["refresh_token"] = rt
            return 200, body, {}
        err("unsupported_grant_type", "grant_type must be authorization_code or refresh_token")

    # -- API

    def api(self, sim, rd, method, p, q):
        parts = p.strip("/").split("/")
        n = len(parts)
        g = lambda k: q.get(k, [""])[0]
        removed = ("audio-features", "audio-analysis", "recommendations", "browse", "markets")
        if parts[0] in removed:
            raise ApiError(403 if parts[0] != "markets" else 404, "Forbidden" if parts[0] != "markets" else "Not found")
        if method == "GET" and p == "/me":
            u = sim.state["user"]
            o = rd.user(u["id"])
            o.update({"display_name": u["display_name"], "images": [], "product": "premium"})
            return 200, o, {}
        if method == "GET" and p == "/me/player/recently-played":
            return 200, self.recently_played(sim, rd, q), {}
        if method == "GET" and p == "/me/tracks":
            lim = int_param(q, "limit", 20, 1, 50)
            off = int_param(q, "offset", 0, 0, 10 ** 6)
            items = [{"added_at": s["added_at"], "track": None} for s in sim.state["saved"]]
            pg = rd.page(items, "/me/tracks", off, lim, {})
            for it, s in zip(pg["items"], sim.state["saved"][off:off + lim]):
                it["track"] = rd.track(s["track_id"])
            return 200, pg, {}
        if p == "/me/playlists":
            if method == "GET":
                lim = int_param(q, "limit", 20, 1, 50)
                off = int_param(q, "offset", 0, 0, 100000)
                return 200, rd.page([rd.playlist_simple(x) for x in sim.state["playlists"]],
                                    "/me/playlists", off, lim, {}), {}
            if method == "POST":
                b = self.json_body()
                if not isinstance(b, dict) or not isinstance(b.get("name"), str) or not b["name"]:
                    raise ApiError(400, "Missing required field: name")
                pl = {"id": sim.new_token("pl").replace("-", "")[:22].ljust(22, "0"),
                      "name": b["name"], "description": b.get("description") or "",
                      "public": bool(b.get("public", True)),
                      "collaborative": bool(b.get("collaborative", False)),
                      "owner_id": sim.state["user"]["id"], "items": [], "snapshot": 1}
                sim.state["playlists"].append(pl)
                sim.playlists[pl["id"]] = pl
                return 201, self.playlist_full(sim, rd, pl), {}
        if parts[0] == "users" and n >= 3 and parts[2] == "playlists":
            raise ApiError(403, "Forbidden")
        if parts[0] == "playlists" and n >= 2:
            pl = sim.playlists.get(parts[1])
            if pl is None:
                raise ApiError(404, "Resource not found")
            mine = pl["owner_id"] == sim.state["user"]["id"] or pl["collaborative"]
            if n == 2 and method == "GET":
                return 200, self.playlist_full(sim, rd, pl), {}
            if n == 2 and method == "PUT":
                # Change details: only the owner; answers 200 with no body.
                if pl["owner_id"] != sim.state["user"]["id"]:
                    raise ApiError(403, "Forbidden")
                b = self.json_body()
                if not isinstance(b, dict):
                    raise ApiError(400, "Error parsing JSON.")
                for k, conv in (("name", str), ("description", str),
                                ("public", bool), ("collaborative", bool)):
                    if k in b:
                        if not isinstance(b[k], conv):
                            raise ApiError(400, "Invalid %s" % k)
                        pl[k] = b[k]
                pl["snapshot"] += 1
                return 200, None, {}
            if n == 3 and parts[2] == "tracks":
                raise ApiError(403, "Forbidden")
            if n == 3 and parts[2] == "items":
                if not mine:
                    raise ApiError(403, "Forbidden")
                if method == "GET":
                    lim = int_param(q, "limit", 20, 1, 10 ** 6)
                    if lim > sim.playlist_limit_max:
                        raise ApiError(400, "Invalid limit")
                    off = int_param(q, "offset", 0, 0, 10 ** 6)
                    pg = rd.page(pl["items"], "/playlists/%s/items" % pl["id"], off, lim, {})
                    pg["items"] = [rd.playlist_item(it) for it in pg["items"]]
                    return 200, pg, {}
                if method in ("PUT", "POST"):
                    return self.modify_items(sim, pl, method, q)
        if parts[0] in ("tracks", "artists", "albums"):
            kind = parts[0]
            table = {"tracks": sim.tracks, "artists": sim.artists, "albums": sim.albums}[kind]
            one = {"tracks": rd.track, "artists": rd.artist, "albums": rd.album}[kind]
            if n == 1 and method == "GET":
                if not sim.batch:
                    raise ApiError(403, "Forbidden")
                ids = [x for x in g("ids").split(",") if x]
                cap = 20 if kind == "albums" else 50
                if not ids:
                    raise ApiError(400, "invalid id")
                if len(ids) > cap:
                    raise ApiError(400, "Too many ids requested")
                return 200, {kind: [one(i) if i in table else None for i in ids]}, {}
            if n >= 2 and method == "GET":
                i = parts[1]
                if len(i) != 22 or any(c not in B62 for c in i):
                    raise ApiError(400, "Invalid base62 id")
                if kind == "artists" and n == 3 and parts[2] in ("top-tracks",):
                    raise ApiError(403, "Forbidden")
                if kind == "artists" and n == 3 and parts[2] == "related-artists":
                    raise ApiError(404, "Not found")
                if i not in table:
                    raise ApiError(404, "Resource not found")
                if n == 2:
                    return 200, one(i), {}
                if kind == "albums" and n == 3 and parts[2] == "tracks":
                    lim = int_param(q, "limit", 20, 1, 50)
                    off = int_param(q, "offset", 0, 0, 10 ** 6)
                    return 200, rd.page([rd.track_simple(t["id"]) for t in sim.album_tracks.get(i, [])],
                                        "/albums/%s/tracks" % i, off, lim, {}), {}
                if kind == "artists" and n == 3 and parts[2] == "albums":
                    return 200, self.artist_albums(sim, rd, i, q), {}
        if method == "GET" and p == "/search":
            return 200, self.search(sim, rd, q), {}
        raise ApiError(404, "Service not found")

    def playlist_full(self, sim, rd, pl):
        o = rd.playlist_simple(pl)
        o["followers"] = {"href": None, "total": 0}
        mine = pl["owner_id"] == sim.state["user"]["id"] or pl["collaborative"]
        if mine:
            lim = min(100, sim.playlist_limit_max)
            pg = rd.page(pl["items"], "/playlists/%s/items" % pl["id"], 0, lim, {})
            pg["items"] = [rd.playlist_item(it) for it in pg["items"]]
            o["items"] = pg
        return o

    def modify_items(self, sim, pl, method, q):
        b = self.json_body()
        uris = None
        if isinstance(b, dict) and "uris" in b:
            uris = b["uris"]
        elif q.get("uris"):
            uris = q["uris"][0].split(",")
        if uris is None:
            uris = [] if method == "PUT" else None
        if not isinstance(uris, list) or (method == "POST" and not uris):
            raise ApiError(400, "No uris provided")
        if len(uris) > 100:
            raise ApiError(400, "Too many ids requested")
        ids = []
        for u in uris:
            if not isinstance(u, str) or not u.startswith("spotify:track:") or u[14:] not in sim.tracks:
                raise ApiError(400, "Invalid track uri: %s" % u)
            ids.append(u[14:])
        now = fmt_s(int(time.time() * 1000))
        new = [{"track_id": i, "added_at": now, "added_by": sim.state["user"]["id"]} for i in ids]
        if method == "PUT":
            pl["items"] = new
            status = 200
        else:
            pos = b.get("position") if isinstance(b, dict) else None
            if pos is None:
                pos = len(pl["items"])
            if not isinstance(pos, int) or pos < 0 or pos > len(pl["items"]):
                raise ApiError(400, "Index out of bounds")
            pl["items"][pos:pos] = new
            status = 201
        pl["snapshot"] += 1
        return status, {"snapshot_id": "snap%d" % pl["snapshot"]}, {}

    def recently_played(self, sim, rd, q):
        lim = int_param(q, "limit", 20, 1, 50)
        after, before = q.get("after", [None])[0], q.get("before", [None])[0]
        if after is not None and before is not None:
            raise ApiError(400, "Only one of after and before may be given")
        plays = [p for p in sim.state["plays"] if p.get("ms_played", 10 ** 6) > 30000]
        plays.sort(key=lambda p: p["played_at"])
        plays = plays[-50:]
        keyed = [(parse_time(p["played_at"]), p) for p in plays]
        try:
            if after is not None:
                keyed = [k for k in keyed if k[0] > int(after)]
            if before is not None:
                keyed = [k for k in keyed if k[0] < int(before)]
        except ValueError:
            raise ApiError(400, "Invalid cursor")
        keyed.sort(key=lambda k: k[0], reverse=True)
        page, rest = keyed[:lim], keyed[lim:]
        items = []
        for ms, p in page:
            ctx = None
            if p.get("context_uri"):
                kind, i = p["context_uri"].split(":")[1:3]
                ctx = {"type": kind, "href": rd.api + "/%ss/%s" % (kind, i),
                       "external_urls": rd.ext(kind, i), "uri": p["context_uri"]}
            tr = rd.local_track(p["local"]) if p.get("local") is not None else rd.track(p["track_id"])
            items.append({"track": tr, "played_at": p["played_at"], "context": ctx})
        extra = {"after": after} if after is not None else {"before": before} if before is not None else {}
        extra["limit"] = lim
        o = {"items": items, "next": None, "cursors": None, "limit": lim,
             "href": rd.url("/me/player/recently-played", extra)}
        if page:
            o["cursors"] = {"after": str(page[0][0]), "before": str(page[-1][0])}
        if rest:
            o["next"] = rd.url("/me/player/recently-played", {"before": page[-1][0], "limit": lim})
        return o

    def artist_albums(self, sim, rd, i, q):
        lim = int_param(q, "limit", 10, 1, 10)
        off = int_param(q, "offset", 0, 0, 10 ** 6)
        groups = [x for x in (q.get("include_groups", ["album,single,compilation,appears_on"])[0]).split(",") if x]
        for x in groups:
            if x not in ("album", "single", "compilation", "appears_on"):
                raise ApiError(400, "Invalid include_groups")
        mine = sim.artist_albums.get(i, [])
        out = []
        for gname in ("album", "single", "compilation", "appears_on"):
            if gname not in groups:
                continue
            grp = [a for a in mine if a["album_type"] == gname and a["artist_ids"][0] == i]
            if gname == "appears_on":
                grp = [a for a in mine if a["artist_ids"][0] != i]
            grp.sort(key=lambda a: (a["release_date"], a["id"]), reverse=True)
            out.extend(grp)
        extra = {"include_groups": ",".join(groups)}
        pg = rd.page(out, "/artists/%s/albums" % i, off, lim, extra)
        pg["items"] = [rd.album_simple(a["id"]) for a in pg["items"]]
        return pg

    def search(self, sim, rd, q):
        # Spotify's own next links spell the query "query=", clients "q=".
        text = (q.get("q") or q.get("query") or [""])[0]
        types = [x for x in q.get("type", [""])[0].split(",") if x]
        if not text:
            raise ApiError(400, "No search query")
        if not types:
            raise ApiError(400, "Missing parameter type")
        lim = int_param(q, "limit", 10, 1, 10)
        off = int_param(q, "offset", 0, 0, 1000)
        words = [w for w in text.lower().split() if not w.startswith("tag:")]
        tagnew = "tag:new" in text.lower().split()
        since = day(sim.now_ms - 14 * 86400000)
        out = {}
        for t in types:
            if t == "album":
                al = [a for a in sim.state["albums"]
                      if all(w in a["name"].lower() for w in words)
                      and (not tagnew or (a["release_date_precision"] == "day"
                                          and since <= a["release_date"] <= day(sim.now_ms)))]
                al.sort(key=lambda a: (a["release_date"], a["id"]), reverse=True)
                # Search reaches at most offset 1,000.
                al = al[:1000]
                pg = rd.page(al, "/search", off, lim, {"query": text, "type": "album"})
                pg["items"] = [rd.album_simple(a["id"]) for a in pg["items"]]
                out["albums"] = pg
            elif t == "artist":
                ar = [a for a in sim.state["artists"] if all(w in a["name"].lower() for w in words)]
                pg = rd.page(ar, "/search", off, lim, {"query": text, "type": "artist"})
                pg["items"] = [rd.artist(a["id"]) for a in pg["items"]]
                out["artists"] = pg
            elif t == "track":
                if field_filters(text)[0]:
                    tr = field_search_tracks(sim, text)
                else:
                    tr = [x for x in sim.state["tracks"] if all(w in x["name"].lower() for w in words)]
                pg = rd.page(tr, "/search", off, lim, {"query": text, "type": "track"})
                pg["items"] = [rd.track(x["id"]) for x in pg["items"]]
                out["tracks"] = pg
            else:
                raise ApiError(400, "Bad search type field %s" % t)
        return out


def load_catalog(st, path):
    """Adds the tracks of a spotify_songs.csv catalogue (each track id once)
    to the state st, with their albums and artists.  Artist ids are made
    from the artist's name, as the file has none."""
    import csv
    import hashlib

    def artist_id(name):
        h = int(hashlib.sha1(name.encode("utf-8")).hexdigest(), 16)
        out = ""
        for _ in range(22):
            h, r = divmod(h, 62)
            out += B62[r]
        return out

    artists = {a["id"] for a in st["artists"]}
    albums = {a["id"]: a for a in st["albums"]}
    tracks = {t["id"] for t in st["tracks"]}
    with open(path, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            tid, name, artist = row["track_id"], row["track_name"], row["track_artist"]
            if not tid or tid in tracks or not name or not artist:
                continue
            tracks.add(tid)
            aid = artist_id(artist)
            if aid not in artists:
                artists.add(aid)
                st["artists"].append({"id": aid, "name": artist, "genres": []})
            rd = row["track_album_release_date"] or "1900"
            alb = albums.get(row["track_album_id"])
            if alb is None:
                alb = {"id": row["track_album_id"], "name": row["track_album_name"],
                       "album_type": "album", "artist_ids": [aid], "release_date": rd,
                       "release_date_precision": {4: "year", 7: "month"}.get(len(rd), "day"),
                       "upc": "%012d" % (abs(hash(row["track_album_id"])) % 10 ** 12),
                       "total_tracks": 0}
                albums[alb["id"]] = alb
                st["albums"].append(alb)
            alb["total_tracks"] += 1
            st["tracks"].append({"id": tid, "name": name, "album_id": alb["id"],
                                 "artist_ids": [aid], "duration_ms": int(float(row["duration_ms"] or 0)),
                                 "track_number": alb["total_tracks"], "disc_number": 1,
                                 "explicit": False, "isrc": "QZCAT%07d" % len(tracks)})


def field_filters(text):
    """The field filters of a search query ('track:"a b" artist:c'): a dict
    field -> lower-cased words, and the other words."""
    import shlex
    try:
        parts = shlex.split(text)
    except ValueError:
        parts = text.split()
    fields, rest = {}, []
    for p in parts:
        k, sep, v = p.partition(":")
        if sep and k.lower() in ("track", "artist", "album"):
            fields.setdefault(k.lower(), []).extend(v.lower().split())
        else:
            rest.append(p.lower())
    return fields, rest


def _words(s):
    import re
    return re.findall(r"\w+", s.lower())


def _track_word_index(sim):
    """Per track, the words of its name and of its artists' names, and an
    index word -> track positions; built once per catalogue size."""
    tracks = sim.state["tracks"]
    idx = getattr(sim, "_word_index", None)
    if idx is None or idx[0] != len(tracks):
        names, artists, post = [], [], {}
        for k, x in enumerate(tracks):
            nw = _words(x["name"])
            names.append(nw)
            artists.append([_words(sim.artists[a]["name"]) for a in x["artist_ids"] if a in sim.artists])
            for w in set(nw):
                post.setdefault(w, []).append(k)
        idx = sim._word_index = (len(tracks), names, artists, post)
    return idx


def field_search_tracks(sim, text):
    """The tracks matching a field-filtered query: every word of track: is
    a word of the name, of artist: a word of an artist's name (words are
    runs of letters and digits: punctuation and quotes do not matter, as
    at Spotify); exact names first."""
    fields, rest = field_filters(text)
    tw = _words(" ".join(fields.get("track", []) + rest))
    aw = _words(" ".join(fields.get("artist", [])))
    _, names, artists, post = _track_word_index(sim)
    cand = range(len(names))
    if tw:
        lists = sorted((post.get(w, []) for w in set(tw)), key=len)
        cand = set(lists[0]).intersection(*lists[1:])
    out = []
    for k in cand:
        if not set(tw) <= set(names[k]):
            continue
        if aw and not any(set(aw) <= set(an) for an in artists[k]):
            continue
        x = sim.state["tracks"][k]
        exact = (names[k] == tw) + (aw in artists[k])
        out.append((-exact, x["id"], x))
    out.sort(key=lambda e: (e[0], e[1]))
    return [e[2] for e in out]


def add_plays(sim, b):
    """Appends plays after the latest one; returns how many were added."""
    last = max((parse_time(p["played_at"]) for p in sim.state["plays"]), default=sim.now_ms - 86400000)
    if isinstance(b, dict) and b.get("local"):
        # {"local": true, "count": N}: plays of the listener's local files.
        lt = sim.state.setdefault("local_tracks", [{"artist": "Home Tapes", "album": "Demos",
                                                    "title": "Kitchen Song", "duration_ms": 187000}])
        new = []
        for k in range(int(b.get("count", 1))):
            last += 200000
            new.append({"track_id": None, "local": k % len(lt), "played_at": fmt_ms(last),
                        "ms_played": lt[k % len(lt)]["duration_ms"]})
        sim.state["plays"].extend(new)
        return len(new)
    new = []
    if isinstance(b, dict) and "count" in b:
        world = {a["id"] for a in sim.state["artists"] if a.get("world")}
        tids = [t["id"] for t in sim.state["tracks"] if t["artist_ids"][0] not in world]
        for k in range(int(b["count"])):
            tr = sim.tracks[tids[(len(sim.state["plays"]) + k) % len(tids)]]
            last += tr["duration_ms"] + 1000 + k
            new.append({"track_id": tr["id"], "played_at": fmt_ms(last),
                        "ms_played": b.get("ms_played", tr["duration_ms"])})
    elif isinstance(b, list):
        for x in b:
            if x.get("track_id") not in sim.tracks:
                raise ApiError(400, "unknown track_id")
            if "played_at" not in x:
                last += 200000
                x["played_at"] = fmt_ms(last)
            x.setdefault("ms_played", sim.tracks[x["track_id"]]["duration_ms"])
            new.append(x)
    else:
        raise ApiError(400, 'expected {"count":N} or a list of plays')
    sim.state["plays"].extend(new)
    return len(new)


def check_faults(rules):
    for r in rules:
        if not isinstance(r, dict):
            raise ApiError(400, "a fault rule must be an object")
        if not any(r.get(k) for k in ("status", "delay", "drop", "malformed", "expire_token", "invalid_grant")):
            raise ApiError(400, "a fault rule needs an action")
        r.setdefault("count", 1)
    return rules


def dump_state(sim):
    tmp = sim.args.dump + ".tmp"
    with open(tmp, "w") as f:
        json.dump(sim.state, f, indent=1, sort_keys=True)
        f.write("\n")
    os.replace(tmp, sim.args.dump)


def main():
    ap = argparse.ArgumentParser(description="simulated Spotify Web API")
    ap.add_argument("--port", type=int, default=0, help="0 picks a free port")
    ap.add_argument("--port-file", help="write the port here once listening")
    ap.add_argument("--state", help="state JSON (else generated)")
    ap.add_argument("--dump", help="write the state here on POST /_sim/dump and at exit")
    ap.add_argument("--print-state", action="store_true", help="print the generated state and exit")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--artists", type=int, default=20)
    ap.add_argument("--albums-per-artist", type=int, default=3)
    ap.add_argument("--tracks-per-album", type=int, default=8)
    ap.add_argument("--plays", type=int, default=200)
    ap.add_argument("--days", type=int, default=365, help="plays span this many days before now")
    ap.add_argument("--now", default="2026-11-27T12:00:00Z")
    ap.add_argument("--new-releases", type=int, default=5)
    ap.add_argument("--new-days", type=int, default=7)
    ap.add_argument("--saved", type=int, default=30)
    ap.add_argument("--user", default="listener")
    ap.add_argument("--token", help="an access token that is valid until expired by a fault")
    ap.add_argument("--refresh-token", help="a valid refresh token (consent = start time)")
    ap.add_argument("--client-id", help="accept only this client id (default: any)")
    ap.add_argument("--token-ttl", type=int, default=3600)
    ap.add_argument("--rotate-refresh", action="store_true", help="refreshes return a new refresh token")
    ap.add_argument("--enable-batch", action="store_true", help="answer /tracks?ids= etc.")
    ap.add_argument("--playlist-limit-max", type=int, default=50)
    ap.add_argument("--item-field", choices=("item", "track", "both"), default="item")
    ap.add_argument("--faults", help="fault rules: JSON text or @FILE")
    # The real service by default; --kind the world of the first tests
    # (no rate limit, no latency, no local files, few releases, genres on
    # most artists, no strangers' new albums).  Each knob overrides.
    ap.add_argument("--kind", action="store_true", help="the kind world (see above)")
    ap.add_argument("--catalogue", choices=("real", "fixed"),
                    help="real: releases per artist long-tailed; fixed: --albums-per-artist each")
    ap.add_argument("--big-artists", type=int, default=0, help="artists with over 200 releases (real catalogue)")
    ap.add_argument("--genre-share", type=float, help="share of artists with genres (0 = none)")
    ap.add_argument("--local-share", type=float, help="share of plays and owned playlist items that are local files")
    ap.add_argument("--world-new", type=int, help="new albums (last 14 days) by artists never played")
    ap.add_argument("--rate-limit", type=int, help="requests per rolling window (0 = no limit)")
    ap.add_argument("--rate-window", type=float, default=30, help="the window, seconds")
    ap.add_argument("--latency-ms", type=float, help="added to every request")
    ap.add_argument("--not-allowlisted", action="store_true",
                    help="the user is not on the app's allowlist: 403 on every API call")
    ap.add_argument("--quota-exceeded", action="store_true", help="429 QUOTA_EXCEEDED on every API call")
    ap.add_argument("--verbose", action="store_true")
    ap.add_argument("--catalog", help="add a real catalogue (spotify_songs.csv) to the state")
    a = ap.parse_args()
    real = {"catalogue": "real", "genre_share": 0.15, "local_share": 0.03, "world_new": 1000,
            "rate_limit": 250, "latency_ms": 5}
    kind = {"catalogue": "fixed", "genre_share": None, "local_share": 0.0, "world_new": 0,
            "rate_limit": 0, "latency_ms": 0}
    for k, v in (kind if a.kind else real).items():
        if getattr(a, k) is None:
            setattr(a, k, v)

    if a.state:
        with open(a.state) as f:
            st = json.load(f)
    else:
        st = generate(a.seed, a.artists, a.albums_per_artist, a.tracks_per_album, a.plays,
                      a.days, a.now, a.new_releases, a.new_days, a.saved, a.user,
                      real=a.catalogue == "real", big_artists=a.big_artists,
                      genre_share=a.genre_share, local_share=a.local_share,
                      world_new=a.world_new)
    if a.catalog:
        load_catalog(st, a.catalog)
    if a.print_state:
        json.dump(st, sys.stdout, indent=1, sort_keys=True)
        sys.stdout.write("\n")
        return 0
    sim = Sim(st, a)
    if a.faults:
        text = open(a.faults[1:]).read() if a.faults.startswith("@") else a.faults
        rules = json.loads(text)
        sim.faults = check_faults(rules if isinstance(rules, list) else [rules])

    srv = ThreadingHTTPServer(("127.0.0.1", a.port), Handler)
    srv.daemon_threads = True
    srv.sim = sim
    port = srv.server_address[1]
    if a.port_file:
        with open(a.port_file + ".tmp", "w") as f:
            f.write("%d\n" % port)
        os.replace(a.port_file + ".tmp", a.port_file)
    else:
        print(port, flush=True)

    def stop(signum, frame):
        threading.Thread(target=srv.shutdown, daemon=True).start()
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        srv.serve_forever(poll_interval=0.1)
    finally:
        if a.dump:
            with sim.lock:
                dump_state(sim)
    return 0


if __name__ == "__main__":
    sys.exit(main())
