# The kernel sp-cosine runs gives the portable (Prescott) kernel's scores
# and similarities to float tolerance, rank by rank, on the benchmark's
# kind of data (sp-encode | sp-svd of tests/bench/gen-features).
. "$SP_ROOT/tests/sp-cosine/cosine.bash"
grep -qw avx2 /proc/cpuinfo && grep -qw fma /proc/cpuinfo || skip "the CPU has no AVX2 and FMA"
command -v "${CC:-cc}" >/dev/null || skip "no C compiler for the generator"
unset OPENBLAS_CORETYPE SP_BLAS_CHOSEN

"${CC:-cc}" -std=c11 -O2 -o gen "$SP_ROOT/tests/bench/gen-features.c" -lm || fail "cannot build the generator"
./gen -n 20000 -H 50 --now $NOW >feats.ndjson || fail "gen-features"
sp-encode -s "$SP_ROOT/pipelines/encode-example.json" feats.ndjson | sp-svd -k 40 >emb.spm ||
    fail "sp-encode | sp-svd"
expect_status 0 sp-cosine -v -n 200 --now $NOW emb.spm
mv out auto.ndjson
case $(sed -n 's/^sp-cosine: blas kernel //p' err) in
"" | Prescott*) fail "kernel: $(grep kernel err)" ;;
esac
OPENBLAS_CORETYPE=Prescott expect_status 0 sp-cosine -v -n 200 --now $NOW emb.spm
mv out port.ndjson
expect_grep "^sp-cosine: blas kernel Prescott (OPENBLAS_CORETYPE set by the user)$" err
python3 - <<'PY' || fail "the recommendations differ beyond float tolerance"
import json
a = [json.loads(l) for l in open("auto.ndjson")]
p = [json.loads(l) for l in open("port.ndjson")]
assert len(a) == len(p) == 200, (len(a), len(p))
bad = 0
for x, y in zip(a, p):
    if x["rank"] != y["rank"] or abs(x["score"] - y["score"]) > 2e-6:
        bad += 1
    for bx, by in zip(x["because"], y["because"]):
        if abs(bx["similarity"] - by["similarity"]) > 2e-6:
            bad += 1
# Near-ties may swap places; the same tracks are recommended.
if set(r["track_id"] for r in a[:150]) - set(r["track_id"] for r in p):
    bad += 1
raise SystemExit(1 if bad else 0)
PY
