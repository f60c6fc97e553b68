# The singular values sp-svd prints (-v) and the norms of its embedding's
# columns (|X v_c| = sigma_c) agree with a dense reference (Jacobi
# eigenvalues of X^T X in double, in Python) to 1e-5 relative.  The
# randomized path against LAPACK's dense SVD is tested in unit/test_linalg.
. "$SP_ROOT/tests/lib/lib.sh"
spm() { python3 "$SP_ROOT/tests/sp-svd/spm.py" "$@"; }

spm gen 300 12 21 --nnz 5 >x.spm || fail "gen"
spm dump x.spm >x.txt || fail "dump"
sp-svd -k 4 -v x.spm >emb.spm 2>err || fail "sp-svd: $(cat err)"
spm dump emb.spm >emb.txt || fail "dump emb"
python3 - <<'PY' || fail "reference differs"
import math

def rows(path, dense):
    out = []
    for line in open(path).read().split("\n")[2:]:
        if not line:
            continue
        vals = line.split("\t")[1].split()
        out.append([float(v) for v in vals] if dense else
                   {int(t.split(":")[0]): float(t.split(":")[1]) for t in vals})
    return out

x = rows("x.txt", False)
d = 12
a = [[sum(r.get(i, 0) * r.get(j, 0) for r in x) for j in range(d)] for i in range(d)]
for sweep in range(100):  # cyclic Jacobi on the symmetric a = X^T X
    off = sum(a[i][j] ** 2 for i in range(d) for j in range(d) if i != j)
    if off < 1e-22:
        break
    for p in range(d):
        for q in range(p + 1, d):
            if abs(a[p][q]) < 1e-300:
                continue
            th = (a[q][q] - a[p][p]) / (2 * a[p][q])
            t = (1 if th >= 0 else -1) / (abs(th) + math.sqrt(th * th + 1))
            c = 1 / math.sqrt(t * t + 1)
            s = t * c
            for k in range(d):
                akp, akq = a[k][p], a[k][q]
                a[k][p], a[k][q] = c * akp - s * akq, s * akp + c * akq
            for k in range(d):
                apk, aqk = a[p][k], a[q][k]
                a[p][k], a[q][k] = c * apk - s * aqk, s * apk + c * aqk
want = sorted((math.sqrt(max(a[i][i], 0)) for i in range(d)), reverse=True)[:4]
got = [float(l.split("\t")[1]) for l in open("err") if l.startswith("svd")]
e = rows("emb.txt", True)
norms = [math.sqrt(sum(r[c] ** 2 for r in e)) for c in range(4)]
ok = True
for c in range(4):
    for name, v in (("-v", got[c]), ("embedding norm", norms[c])):
        if abs(v - want[c]) > 1e-5 * want[c]:
            print("svd%d: %s %.9g, reference %.9g" % (c, name, v, want[c]))
            ok = False
raise SystemExit(0 if ok else 1)
PY
