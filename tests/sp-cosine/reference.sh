# Cosine scores and explanations agree with a brute-force double-precision
# reference (python3) within 1e-5, on a random matrix with several blocks
# of candidates and history, zero rows and negative values.  Zero rows
# have no cosine: they are neither recommended nor reasons, and a warning
# counts them.
. "$SP_ROOT/tests/sp-cosine/cosine.bash"

python3 - <<'PY' >rows || fail "generator failed"
import random
random.seed(11)
d = 13
for i in range(1500):
    kind = i % 5
    date = "2026-11-%02d" % (21 + i % 7) if kind == 0 else "2024-%02d" % (1 + i % 12)
    heard = "true" if kind != 0 and i % 7 != 0 else "false"
    if i % 97 == 0:
        v = [0] * d              # zero rows never give NaN
    else:
        v = ["%.4f" % random.uniform(-1, 1) for _ in range(d)]
    print('{"track_id":"t%04d","release_date":"%s","heard":%s}|%s'
          % (i, date, heard, " ".join(map(str, v))))
PY
mkmat x.spm <rows
expect_status 0 sp-cosine --now $NOW -n 100000 --because 4 x.spm
cp out max.out
cp err max.err
expect_status 0 sp-cosine --now $NOW -n 100000 --because 4 --score topk-mean --topk 3 x.spm
cp out topk.out
expect_status 0 sp-cosine --now $NOW -n 100000 --because 0 --score centroid x.spm
cp out centroid.out

python3 - <<'PY' || fail "sp-cosine differs from the reference"
import json, math
rows = [l.split("|") for l in open("rows").read().splitlines()]
lab = [json.loads(r[0]) for r in rows]
vec = [[float(x) for x in r[1].split()] for r in rows]
def unit(v):
    n = math.sqrt(sum(x * x for x in v))
    return [x / n for x in v] if n > 0 else v
vec = [unit(v) for v in vec]
nz = lambda i: any(x != 0 for x in vec[i])
cand = [i for i, l in enumerate(lab) if l["release_date"].startswith("2026-11-") and nz(i)]
hist = [i for i, l in enumerate(lab) if l["heard"] and not l["release_date"].startswith("2026-11-") and nz(i)]
dot = lambda a, b: sum(x * y for x, y in zip(a, b))
sims = {c: sorted(((dot(vec[c], vec[h]), lab[h]["track_id"]) for h in hist),
                  key=lambda t: (-t[0], t[1])) for c in cand}
cen = [sum(vec[h][j] for h in hist) for j in range(len(vec[0]))]
cn = math.sqrt(sum(x * x for x in cen))
want = {
    "max": {lab[c]["track_id"]: sims[c][0][0] for c in cand},
    "topk": {lab[c]["track_id"]: sum(s for s, _ in sims[c][:3]) / 3 for c in cand},
    "centroid": {lab[c]["track_id"]: dot(vec[c], cen) / cn for c in cand},
}
bad = 0
for mode in ("max", "topk", "centroid"):
    got = [json.loads(l) for l in open(mode + ".out")]
    if len(got) != len(cand):
        print("%s: %d lines, want %d" % (mode, len(got), len(cand))); bad += 1
    prev = None
    for g in got:
        w = want[mode][g["track_id"]]
        if abs(g["score"] - w) > 1e-5:
            print("%s %s: score %.7f, want %.7f" % (mode, g["track_id"], g["score"], w)); bad += 1
        if prev is not None and g["score"] > prev + 1e-6:
            print("%s: not in score order at %s" % (mode, g["track_id"])); bad += 1
        prev = g["score"]
        if mode == "centroid":
            if g["because"] != []:
                print("centroid: because not empty"); bad += 1
            continue
        c = [i for i in cand if lab[i]["track_id"] == g["track_id"]][0]
        ref = sims[c][:4]
        if len(g["because"]) != 4:
            print("%s %s: %d because" % (mode, g["track_id"], len(g["because"]))); bad += 1
        for b, (s, t) in zip(g["because"], ref):
            # Near-ties may swap between float and double; the similarity must match.
            if abs(b["similarity"] - s) > 1e-5:
                print("%s %s: because %s %.7f, want %s %.7f" % (mode, g["track_id"], b["track_id"], b["similarity"], t, s)); bad += 1
            exact = dot(vec[c], vec[[h for h in hist if lab[h]["track_id"] == b["track_id"]][0]])
            if abs(b["similarity"] - exact) > 1e-5:
                print("%s %s: because %s says %.7f, its cosine is %.7f" % (mode, g["track_id"], b["track_id"], b["similarity"], exact)); bad += 1
zc = sum(1 for i, l in enumerate(lab) if l["release_date"].startswith("2026-11-") and not nz(i))
zh = sum(1 for i, l in enumerate(lab) if l["heard"] and not l["release_date"].startswith("2026-11-") and not nz(i))
want_err = "sp-cosine: x.spm: skipped %d candidates and %d history entries whose rows are all zero (no cosine)\n" % (zc, zh)
if zc < 1 or zh < 1 or open("max.err").read() != want_err:
    print("stderr: %r, want %r" % (open("max.err").read(), want_err)); bad += 1
print("checked %d candidates x %d history rows" % (len(cand), len(hist)))
raise SystemExit(1 if bad else 0)
PY
