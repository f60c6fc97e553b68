#!/usr/bin/env python3
"""shapes.py: checks the simulator's answers against real Spotify shapes.

  shapes.py fixture FIXTURE SIM      the keys and value types of SIM (a JSON
                                     file) against a recorded response,
                                     recursively, minus the fields removed
                                     in 2026 and with track->item,
                                     tracks->items renamed
  shapes.py openapi SPEC SCHEMA SIM  SIM against components.schemas.SCHEMA
                                     of an OpenAPI 3 YAML file: types,
                                     enums, required members (except
                                     deprecated ones), no unknown members

Prints one line per difference ("path: what") and exits 1 if there is any.
Fixtures may hold extra data after the first JSON value (zmb3's *.txt).
"""

import json
import sys

# Fields a Development-Mode app no longer gets (SPOTIFY-API.md), plus
# preview_url (30 s previews, removed in 2024) and the per-user extras the
# simulator does not model.
REMOVED = {"popularity", "available_markets", "linked_from", "label", "album_group",
           "followers", "preview_url", "is_playable", "restrictions", "video_thumbnail",
           "primary_color", "country", "email", "explicit_content", "product",
           "display_name", "images", "total"}
# Members whose absence is allowed only where the object has them optional.
RENAMED = {"track": "item", "tracks": "items"}


def kind(v):
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "boolean"
    if isinstance(v, (int, float)):
        return "number"
    if isinstance(v, str):
        return "string"
    if isinstance(v, list):
        return "array"
    return "object"


def load_first(path):
    text = open(path, encoding="utf-8").read()
    v, _ = json.JSONDecoder().raw_decode(text.lstrip())
    return v


def cmp_fixture(fx, sim, path, out):
    kf, ks = kind(fx), kind(sim)
    if kf == "null" or ks == "null":
        return
    if kf != ks:
        out.append("%s: %s in the fixture, %s in the simulator" % (path or ".", kf, ks))
        return
    if kf == "object":
        for k, v in fx.items():
            if k in REMOVED and k not in sim:
                continue
            # The legacy flags "episode": false, "track": true of playlist
            # tracks are in no schema.
            if k in ("episode", "track") and isinstance(v, bool):
                continue
            sk = k if k in sim else RENAMED.get(k) if RENAMED.get(k) in sim else None
            if sk is None:
                out.append("%s.%s: missing in the simulator" % (path, k))
                continue
            cmp_fixture(v, sim[sk], path + "." + k, out)
        for k in sim:
            if k in REMOVED - {"images", "display_name", "total", "followers"}:
                out.append("%s.%s: a removed field is present" % (path, k))
    elif kf == "array" and fx and sim:
        cmp_fixture(fx[0], sim[0], path + "[0]", out)


class OpenAPI:
    def __init__(self, spec):
        self.spec = spec

    def resolve(self, s):
        while "$ref" in s:
            name = s["$ref"].split("/")[-1]
            s = self.spec["components"]["schemas"][name]
        return s

    def flatten(self, s):
        """Merges allOf into one schema: properties, required, type."""
        s = self.resolve(s)
        if "allOf" not in s:
            return s
        m = {"properties": {}, "required": []}
        for part in s["allOf"]:
            p = self.flatten(part)
            m["properties"].update(p.get("properties", {}))
            m["required"] += p.get("required", [])
            for k in ("type", "items", "enum", "oneOf", "nullable", "deprecated"):
                if k in p:
                    m[k] = p[k]
        for k, v in s.items():
            if k == "properties":
                m["properties"].update(v)
            elif k == "required":
                m["required"] += v
            elif k != "allOf":
                m[k] = v
        return m

    def check(self, s, v, path, out):
        s = self.flatten(s)
        if v is None:
            return      # Spotify sends null for many non-nullable members
        if "oneOf" in s:
            for alt in s["oneOf"]:
                o = []
                self.check(alt, v, path, o)
                if not o:
                    return
            out.append("%s: matches none of oneOf" % path)
            return
        t = s.get("type") or ("object" if "properties" in s else None)
        k = kind(v)
        if t == "integer":
            if not (k == "number" and float(v).is_integer()):
                out.append("%s: expected an integer, got %s" % (path, k))
            return
        if t is not None and t != k:
            out.append("%s: expected %s, got %s" % (path, t, k))
            return
        if "enum" in s and v not in s["enum"]:
            out.append("%s: %r not in %s" % (path, v, s["enum"]))
        if k == "array":
            for i, x in enumerate(v[:3]):
                self.check(s.get("items", {}), x, "%s[%d]" % (path, i), out)
        elif k == "object" and "properties" in s:
            props = s["properties"]
            for r in s.get("required", []):
                p = self.flatten(props.get(r, {}))
                if r not in v and not p.get("deprecated") and r not in REMOVED - {"images", "display_name", "total"}:
                    out.append("%s.%s: required, missing" % (path, r))
            for m, x in v.items():
                if m not in props:
                    out.append("%s.%s: not in the schema" % (path, m))
                else:
                    self.check(props[m], x, path + "." + m, out)


def main(argv):
    out = []
    if len(argv) == 4 and argv[1] == "fixture":
        cmp_fixture(load_first(argv[2]), load_first(argv[3]), "", out)
    elif len(argv) == 5 and argv[1] == "openapi":
        import yaml
        spec = yaml.safe_load(open(argv[2], encoding="utf-8"))
        schema = {"$ref": "#/components/schemas/" + argv[3]}
        OpenAPI(spec).check(schema, load_first(argv[4]), argv[3], out)
    else:
        sys.stderr.write(__doc__)
        return 2
    for line in out:
        print(line)
    return 1 if out else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
