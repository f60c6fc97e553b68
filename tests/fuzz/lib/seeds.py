#!/usr/bin/env python3
"""tests/fuzz/lib/seeds.py: writes seed inputs of the fuzz harnesses.

Usage: seeds.py synthetic|shared TARGET DIR

synthetic: small inputs written from scratch (what tests/fuzz/TARGET/corpus
holds).  shared: inputs derived from the real data in $SP_DATA (default
../shared/data), read at run time and never copied into the repository;
exits 0 with nothing written when the data is absent.  Each seed is the
input format of the harness (see the comment above each
LLVMFuzzerTestOneInput), so a first byte that picks a mode is added here.
"""
import csv
import glob
import gzip
import io
import json
import os
import struct
import subprocess
import sys
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
DATA = os.environ.get("SP_DATA") or os.path.join(os.path.dirname(ROOT), "shared", "data")
SCHEMAS = sorted(glob.glob(os.path.join(ROOT, "schemas", "*.schema.json")))

PLAYS = [
    {"ts": "2024-03-01T10:00:00Z", "platform": "linux", "ms_played": 215000, "conn_country": "FR",
     "master_metadata_track_name": "Song \u00e9", "master_metadata_album_artist_name": "Artist",
     "master_metadata_album_album_name": "Album", "spotify_track_uri": "spotify:track:4uLU6hMCjMI75M1A2tKUQ9",
     "episode_name": None, "spotify_episode_uri": None, "reason_start": "trackdone",
     "reason_end": "trackdone", "shuffle": False, "skipped": None, "offline": False,
     "offline_timestamp": 0, "incognito_mode": False},
    {"ts": "2024-03-01T10:05:00Z", "ms_played": 3000, "spotify_track_uri": None,
     "episode_name": "Ep", "spotify_episode_uri": "spotify:episode:0Q86acNRm6V9GYx55SXKwf"},
]
ACCOUNT = [{"endTime": "2019-09-21 18:29", "artistName": "A", "trackName": "T \"q\"", "msPlayed": 90007},
           {"endTime": "2019-09-22 08:00", "artistName": "B\\u00e9", "trackName": "", "msPlayed": 0}]
ROWS = [
    {"track_id": "t1", "release_date": "2026-11-20", "heard": False, "artist_ids": ["a1", "a2"],
     "duration_ms": 215000, "popularity": 55, "count": 3, "genres": ["indie rock", "pop"], "album_type": "album"},
    {"track_id": "t2", "release_date": "2026-11-21", "heard": True, "artist_ids": [],
     "duration_ms": None, "popularity": 0, "count": 0, "genres": [], "album_type": None},
    {"track_id": 3, "heard": None, "artist_ids": ["a\\u00e9"], "duration_ms": 1e3, "popularity": 100.5,
     "genres": "rock", "album_type": "single"},
]
PAGE = {"href": "https://api.spotify.com/v1/me/tracks?offset=0&limit=2", "limit": 2, "offset": 0, "total": 3,
        "next": "https://api.spotify.com/v1/me/tracks?offset=2&limit=2", "previous": None,
        "items": [{"added_at": "2026-01-01T00:00:00Z", "played_at": "2026-01-01T00:00:00.123Z",
                   "track": {"id": "4uLU6hMCjMI75M1A2tKUQ9", "name": "x"}}]}


def spm(rows, cols, dense, f64, indptr=None, indices=None, values=(), labels=b"", colnames=b""):
    """An sp matrix file as schemas/matrix.md lays it out."""
    pad = lambda b: b + b"\0" * (-len(b) % 8)
    nnz = len(values)
    hdr = b"SPMAT\r\n\x1a" + struct.pack("<II", 1, 0x01020304)
    hdr += bytes([2 if dense else 1, 2 if f64 else 1, 4]) + b"\0" * 5
    hdr += struct.pack("<QQQQQ", rows, cols, nnz, len(colnames), len(labels))
    body = pad(colnames) + pad(labels)
    if not dense:
        body += struct.pack("<%dQ" % len(indptr), *indptr) + pad(struct.pack("<%dI" % len(indices), *indices))
    body += pad(struct.pack("<%d%s" % (nnz, "d" if f64 else "f"), *values))
    return hdr + body


def nd(objs):
    return "".join(json.dumps(o, ensure_ascii=False) + "\n" for o in objs).encode()


def zipped(members):
    b = io.BytesIO()
    with zipfile.ZipFile(b, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members:
            z.writestr(name, data)
    return b.getvalue()


def synthetic(target):
    s = {}
    hist = json.dumps(PLAYS, indent=1).encode()
    acct = json.dumps(ACCOUNT).encode()
    if target == "export":
        s["extended.json"] = hist
        s["account.json"] = acct
        s["gz"] = gzip.compress(hist, mtime=0)
        s["export.zip"] = zipped([("Spotify Extended Streaming History/Streaming_History_Audio_2024.json", hist),
                                  ("Donn\u00e9es/Streaming_History_Video_2023.json", hist),
                                  ("MyData/StreamingHistory0.json", acct), ("MyData/Read Me.pdf", b"%PDF")])
        s["empty"] = b"[]"
    elif target == "jsonstream":
        s["hist"] = b"\x00" + hist
        s["acct"] = b"\x5f" + acct
        s["mixed"] = b"\x13" + b'[1, "a\\u00e9\\ud83d\\ude00", null, true, false, [], {}, {"a": {"b": [1.5e3]}}]'
    elif target == "ndjson":
        s["records"] = b"\x9f" + nd(ROWS)
        s["lines"] = b"\x45" + b"a\r\nbb\n\n" + b"x" * 40
        s["any"] = b"\x1f" + b'1\n"s"\n[1]\n  \n{"id": "x"}\n'
    elif target == "jscan":
        s["page"] = json.dumps(PAGE).encode()
        s["esc"] = b'["\\u00e9\\ud83d\\ude00\\n\\"", -0.5e-3, 1E+2, true, false, null, {"": {}}]'
        s["deep"] = b"[" * 40 + b"]" * 40
    elif target == "schema":
        envelope = {"kind": "play", "source": "export", "fetched_at": "2026-01-01T00:00:00Z",
                    "file": "Streaming_History_Audio_2024.json", "data": PLAYS[0]}
        for i, path in enumerate(SCHEMAS):
            name = os.path.basename(path).split(".")[0]
            s["env-" + name] = bytes([i]) + json.dumps(envelope).encode()
        s["api-play"] = bytes([SCHEMAS.index(os.path.join(ROOT, "schemas", "plays.schema.json"))]) + json.dumps(
            {"kind": "play", "source": "recently-played", "fetched_at": "2026-01-01T00:00:00Z",
             "data": {"played_at": "2026-01-01T00:00:00.123Z", "track": {"id": "4uLU6hMCjMI75M1A2tKUQ9"}}}).encode()
        s["schema"] = b"\xff" + b'{"type": "object", "required": ["a"], "properties": {"a": {"type": "string", "format": "date-time"}}}'
    elif target == "encode":
        s["rows"] = nd(ROWS)
        with open(os.path.join(ROOT, "pipelines", "encode-example.json"), "rb") as f:
            s["spec-rows"] = f.read() + b"--\n" + nd(ROWS)
    elif target == "scan":
        for i, r in enumerate([{"id": "x", "a": 1, "genres": ["a", "b"], "n": None, "x": True},
                               {"id": 1.5e300, "a": "\u00e9", "genres": [], "x": [1, "z", None]},
                               {"id": "a\\\"b", "a": {"o": 1}, "a ": 2}]):
            s["row%d" % i] = json.dumps(r, ensure_ascii=False).encode()
    elif target == "mat":
        s["csr32"] = spm(2, 3, False, False, [0, 2, 3], [0, 2, 1], [1.0, 2.0, 3.0],
                         b'{"id":"a"}\n{"id":"b"}\n', b'"x"\n"y"\n"z"\n')
        s["dense64"] = spm(2, 2, True, True, values=[1.0, 0.0, -2.5, 4.0])
        s["empty"] = spm(0, 0, False, False, [0], [], [])
    elif target == "mtx":
        s["coord"] = b"\x00%%MatrixMarket matrix coordinate real general\n% c\n3 3 3\n1 1 1.5\n2 3 -2\n3 1 4\n"
        s["sym"] = b"\x05%%MatrixMarket matrix coordinate integer symmetric\n2 2 2\n1 1 3\n2 1 4\n"
        s["pattern"] = b"\x01%%MatrixMarket matrix coordinate pattern general\n2 3 2\n1 3\n2 2\n"
        s["array"] = b"\x02%%MatrixMarket matrix array real general\n2 2\n1\n2\n3\n4\n"
    elif target == "http":
        s["page"] = b"\x00" + b"Content-Type: application/json\n\n" + json.dumps(PAGE).encode()
        s["last"] = b"\x00\n\n" + b'{"items": [], "next": null}'
        s["404"] = b"\x06\n\n" + b'{"error": {"status": 404, "message": "Not found."}}'
        s["429"] = b"\x07Retry-After: 1\n\n" + b'{"error": {"status": 429, "message": "rate", "reason": "QUOTA_EXCEEDED"}}'
        s["400"] = b"\x03\n\n" + b'{"error": "invalid_grant", "error_description": "bad"}'
        s["empty"] = b"\x02"
    elif target == "loadmap":
        s.update(loadmap_seeds())
    else:
        sys.exit("seeds: unknown target '%s'" % target)
    return s


def loadmap_seeds():
    """The maps and records of tests/unit/loadmap.test: per %%MAP, the map
    (0xff + inline JSON + newline, or 0x00 for @schemas/load.json) and its
    cases' records; per %%MAPFAIL, the map alone."""
    s, mode, head, recs = {}, None, b"", []
    lines = open(os.path.join(ROOT, "tests", "unit", "loadmap.test"), "rb").read().split(b"\n")

    def flush():
        if mode is not None:
            s["map%02d" % len(s)] = head + b"".join(r + b"\n" for r in recs)
    i = 0
    while i < len(lines):
        line = lines[i]
        if line in (b"%%MAP", b"%%MAPFAIL") and i + 1 < len(lines):
            flush()
            mode, recs = line, []
            m = lines[i + 1]
            head = b"\x00" if m.startswith(b"@") else b"\xff" + m + b"\n"
            i += 2
            continue
        if mode == b"%%MAP" and line.startswith(b"{"):
            recs.append(line)
        i += 1
    flush()
    return s


def shared(target):
    s = {}
    if not os.path.isdir(DATA):
        return s
    hist = sorted(glob.glob(os.path.join(DATA, "listening-histories", "*", "*.json")))
    api = sorted(glob.glob(os.path.join(DATA, "spotify-api-fixtures", "*", "*.json")) +
                 glob.glob(os.path.join(DATA, "spotify-api-fixtures", "zmb3-spotify", "*.txt")))
    songs = os.path.join(DATA, "tidytuesday-spotify-songs", "spotify_songs.csv")

    def load(p):
        try:
            with open(p, "rb") as f:
                return json.loads(f.read())
        except (ValueError, OSError):
            return None
    # The first 30 plays of each history: big enough to matter, small enough to mutate.
    cut = [(os.path.basename(p), json.dumps(load(p)[:30], ensure_ascii=False, indent=1).encode())
           for p in hist if isinstance(load(p), list)]
    bodies = [(os.path.basename(p), open(p, "rb").read()) for p in api]
    bodies = [(n, b) for n, b in bodies if len(b) < 200000 and load_bytes(b) is not None]
    rows = []
    if os.path.exists(songs):
        with open(songs, newline="", encoding="utf-8") as f:
            for i, r in enumerate(csv.DictReader(f)):
                if i >= 200:
                    break
                rows.append({"track_id": r["track_id"], "release_date": r["track_album_release_date"],
                             "heard": i % 3 == 0, "artist_ids": [r["track_artist"]],
                             "duration_ms": float(r["duration_ms"]), "popularity": float(r["track_popularity"]),
                             "count": i % 7, "genres": [r["playlist_genre"], r["playlist_subgenre"]],
                             "album_type": r["playlist_genre"]})
    if target == "export":
        for n, b in cut:
            s["h-" + n] = b
        if cut:
            s["zip"] = zipped([("Spotify Extended Streaming History/" + n, b) for n, b in cut])
    elif target == "jsonstream":
        for i, (n, b) in enumerate(cut):
            s["h-" + n] = bytes([i * 37 & 0xff]) + b
        for n, b in bodies:
            v = load_bytes(b)
            if isinstance(v, dict) and isinstance(v.get("items"), list):
                s["i-" + n] = b"\x3f" + json.dumps(v["items"][:10]).encode()
    elif target in ("jscan", "http"):
        for n, b in bodies:
            s["a-" + n] = (b"\x00\n\n" + b) if target == "http" else b
    elif target in ("ndjson", "schema", "encode", "mat", "mtx", "loadmap"):
        recs = import_records(hist)
        if target == "loadmap":
            s["import"] = b"\x00" + b"".join(recs[:60])
        elif target == "ndjson":
            s["import"] = b"\x9f" + b"".join(recs[:50])
            if rows:
                s["rows"] = b"\x1f" + nd(rows[:50])
        elif target == "schema":
            plays = SCHEMAS.index(os.path.join(ROOT, "schemas", "plays.schema.json"))
            for i, r in enumerate(recs[:40]):
                s["p%02d" % i] = bytes([plays]) + r.rstrip(b"\n")
        elif target == "encode" and rows:
            s["songs"] = nd(rows[:100])
        elif rows:
            mat = encode(rows)
            if target == "mat" and mat:
                s["songs.spm"] = mat
            elif target == "mtx" and mat:
                p = subprocess.run([os.path.join(ROOT, "bin", "sp-mat"), "to-mtx", "-"], input=mat,
                                   capture_output=True)
                if p.returncode == 0:
                    s["songs.mtx"] = b"\x00" + p.stdout
    return s


def load_bytes(b):
    try:
        return json.loads(b)
    except ValueError:
        return None


def import_records(hist):
    out = []
    for p in hist:
        r = subprocess.run([os.path.join(ROOT, "bin", "sp-import"), "--fetched-at", "2026-01-01T00:00:00Z", p],
                           capture_output=True)
        out += r.stdout.splitlines(keepends=True)[:20]
    return out


def encode(rows):
    spec = os.path.join(ROOT, "pipelines", "encode-example.json")
    spec_rows = [dict(r, lifetime_artist_listen_count=r["count"]) for r in rows]
    p = subprocess.run([os.path.join(ROOT, "bin", "sp-encode"), "-s", spec], input=nd(spec_rows),
                       capture_output=True)
    return p.stdout if p.returncode == 0 else None


def main():
    if len(sys.argv) != 4 or sys.argv[1] not in ("synthetic", "shared"):
        sys.exit("usage: seeds.py synthetic|shared TARGET DIR")
    seeds = synthetic(sys.argv[2]) if sys.argv[1] == "synthetic" else shared(sys.argv[2])
    os.makedirs(sys.argv[3], exist_ok=True)
    for name, data in seeds.items():
        with open(os.path.join(sys.argv[3], name.replace("/", "_")), "wb") as f:
            f.write(data)
    print("%d seeds" % len(seeds))


main()
