# The same input and seed give a byte-identical embedding, whatever the
# number of threads; another seed gives another (but equally good) one.
. "$SP_ROOT/tests/lib/lib.sh"
spm() { python3 "$SP_ROOT/tests/sp-svd/spm.py" "$@"; }

spm gen 3000 200 2 --nnz 6 >x.spm || fail "gen"
sp-svd -k 10 x.spm >a.spm || fail "first run"
sp-svd -k 10 <x.spm >b.spm || fail "second run (stdin)"
SP_THREADS=1 sp-svd -k 10 x.spm >c.spm || fail "one thread"
SP_THREADS=3 sp-svd -k 10 x.spm >d.spm || fail "three threads"
cmp a.spm b.spm || fail "two runs differ"
cmp a.spm c.spm || fail "one thread differs"
cmp a.spm d.spm || fail "three threads differ"
sp-svd -k 10 --seed 7 x.spm >e.spm || fail "seed 7"
cmp -s a.spm e.spm && fail "--seed 7 gave the default seed's output"
sp-svd -k 10 --seed 7 x.spm | cmp - e.spm || fail "seed 7 not reproducible"
