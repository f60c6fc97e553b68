# The BLAS kernel: on a CPU with AVX2 and FMA the tools never run OpenBLAS's
# portable Prescott kernels unless asked; a user-set OPENBLAS_CORETYPE
# always wins; -v names the kernel; the embedding matches the portable
# kernel's to float tolerance.  A stand-in for openblas_get_corename
# (LD_PRELOAD) plays an OpenBLAS that detects Prescott, to check the one
# new start with the better kernel, and that it never loops.
. "$SP_ROOT/tests/lib/lib.sh"
spm() { python3 "$SP_ROOT/tests/sp-svd/spm.py" "$@"; }
grep -qw avx2 /proc/cpuinfo && grep -qw fma /proc/cpuinfo || skip "the CPU has no AVX2 and FMA"
command -v "${CC:-cc}" >/dev/null || skip "no C compiler for the stand-in"
unset OPENBLAS_CORETYPE SP_BLAS_CHOSEN
# Under the sanitizers the stand-in is preloaded before their runtime.
export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0

spm gen 20000 400 3 --nnz 8 >x.spm || fail "gen"
kernel() { sed -n 's/.*; blas kernel //p' err; }

expect_status 0 sp-svd -v -k 20 x.spm
mv out auto.spm
auto=$(kernel)
case $auto in
"" | Prescott*) fail "the kernel in use on an AVX2 and FMA CPU: '$auto'" ;;
*"(as detected by OpenBLAS)" | *"(chosen from the CPU's features; OpenBLAS detected "*) ;;
*) fail "unexpected kernel line '$auto'" ;;
esac
grep ^svd err >auto.sv

# The user's choice wins: the portable kernel, named so.
OPENBLAS_CORETYPE=Prescott expect_status 0 sp-svd -v -k 20 x.spm
mv out port.spm
expect_eq "kernel" "Prescott (OPENBLAS_CORETYPE set by the user)" "$(kernel)"
grep ^svd err >port.sv
spm dump auto.spm >auto.txt && spm dump port.spm >port.txt || fail "dump"
python3 - <<'PY' || fail "the embeddings differ beyond float tolerance"
def vals(path, start):
    out = []
    for line in open(path).read().split("\n")[start:]:
        if line:
            out += [float(v) for v in line.split("\t")[1].split()]
    return out
a, p = vals("auto.txt", 2), vals("port.txt", 2)
assert len(a) == len(p) == 20000 * 20, (len(a), len(p))
m = max(abs(v) for v in p)
bad = [i for i, (x, y) in enumerate(zip(a, p)) if abs(x - y) > 1e-4 * m]
sa = [float(l.split("\t")[1]) for l in open("auto.sv")]
sp = [float(l.split("\t")[1]) for l in open("port.sv")]
assert len(sa) == len(sp) == 20
bad += [c for c in range(20) if abs(sa[c] - sp[c]) > 1e-5 * sp[c]]
raise SystemExit(1 if bad else 0)
PY

# An OpenBLAS that detects Prescott on this CPU: one new start with the
# best kernel the features allow; the variables are the tool's own again.
cat >shim.c <<'IN'
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
static void __attribute__((constructor)) started(void)
{
	FILE *fp = fopen(getenv("SHIM_LOG"), "a");
	const char *c = getenv("OPENBLAS_CORETYPE");

	fprintf(fp, "start %s\n", c ? c : "-");
	fclose(fp);
}
char *openblas_get_corename(void)
{
	char *c = getenv("OPENBLAS_CORETYPE");

	return c != NULL && strcmp(getenv("SHIM_MODE"), "takes") == 0 ? c : "Prescott";
}
IN
"${CC:-cc}" -shared -fPIC -o shim.so shim.c || fail "cannot build the stand-in"
# The kernel the features choose: the one in use above when OpenBLAS
# detected too weak a kernel here; else (OpenBLAS knows this CPU, e.g.
# Zen) whatever the features give, never Prescott.
SHIM_LOG=$PWD/log SHIM_MODE=takes LD_PRELOAD=$PWD/shim.so expect_status 0 sp-svd -v -k 20 x.spm
best=$(kernel | sed -n 's/^\([A-Za-z]*\) (chosen from the CPU.s features; OpenBLAS detected Prescott)$/\1/p')
case $best in "" | Prescott) fail "the kernel chosen over a detected Prescott: '$(kernel)'" ;; esac
case $auto in *"(chosen from the CPU's features;"*)
	expect_eq "kernel" "${auto%% *}" "$best"
	cmp out auto.spm || fail "the new start's embedding differs" ;;
esac
cp out chosen.spm
expect_eq "starts" "start -
start $best" "$(cat log)"

# An OpenBLAS that does not take the variable: started again once only.
rm -f log
SHIM_LOG=$PWD/log SHIM_MODE=stuck LD_PRELOAD=$PWD/shim.so expect_status 0 sp-svd -v -k 20 x.spm
expect_eq "kernel" "Prescott (OpenBLAS did not take OPENBLAS_CORETYPE=$best)" "$(kernel)"
expect_eq "starts" "start -
start $best" "$(cat log)"

# A user's value is never overridden, whatever OpenBLAS detects.
rm -f log
OPENBLAS_CORETYPE=Sandybridge SHIM_LOG=$PWD/log SHIM_MODE=stuck LD_PRELOAD=$PWD/shim.so \
    expect_status 0 sp-svd -v -k 20 x.spm
expect_eq "kernel" "Prescott (OPENBLAS_CORETYPE set by the user)" "$(kernel)"
expect_eq "starts" "start Sandybridge" "$(cat log)"

# Input from a pipe survives the new start; sp-cosine names its kernel too.
rm -f log
SHIM_LOG=$PWD/log SHIM_MODE=takes LD_PRELOAD=$PWD/shim.so sp-svd -k 20 <x.spm >piped.spm ||
    fail "sp-svd from a pipe"
cmp piped.spm chosen.spm || fail "the embedding from a pipe differs"
SHIM_LOG=$PWD/log SHIM_MODE=takes LD_PRELOAD=$PWD/shim.so expect_status 0 sp-cosine -v auto.spm
expect_grep "^sp-cosine: blas kernel $best (chosen from the CPU's features; OpenBLAS detected Prescott)$" err
