# Each tool loads only the libraries it calls (config.mk links with
# --as-needed).  OpenBLAS in particular starts a thread per core when it
# is loaded, and those spin for about a tenth of a second: a tool that
# never calls BLAS (sp-encode reads on two threads of its own) lost a
# core to them.  The tools that do call it (sp-svd, sp-cosine) stop them
# at start (sp_blas_one_thread).
. "$SP_ROOT/tests/lib/lib.sh"

command -v ldd >/dev/null || skip "no ldd"
for t in sp-encode sp-import sp-stage sp-load sp-fetch sp-mat sp-rerank sp-eval sp-features sp-model sp-publish sp-report sp-auth; do
	libs=$(ldd "$SP_BIN/$t") || fail "ldd $t failed"
	case $libs in
	*libopenblas*|*liblapack*|*libgsl*) fail "$t loads BLAS, LAPACK or GSL, which it never calls: $(printf '%s\n' "$libs" | grep -E 'blas|lapack|gsl' | tr -s ' \t\n' ' ')" ;;
	esac
done
for t in sp-svd sp-cosine; do
	ldd "$SP_BIN/$t" | grep -q libopenblas || fail "$t does not load OpenBLAS"
done
