/*
 * test_svdfallback.c: sp_rsvd when LAPACK's divide-and-conquer SVD
 * (dgesdd) does not converge: it falls back to dgesvd.
 */
#include <lapacke.h>
#include <stdint.h>
#include <stdlib.h>

#include "diag.h"
#include "linalg.h"
#include "mat.h"
#include "unit.h"

static int gesdd_calls;

/*
 * This definition replaces LAPACK's for the whole program (the linker
 * takes the executable's own symbol first): it fails as dgesdd does when
 * it does not converge (info > 0), after spoiling its input as the real
 * one may.
 */
lapack_int
LAPACKE_dgesdd(int layout, char jobz, lapack_int m, lapack_int n, double *a,
    lapack_int lda, double *s, double *u, lapack_int ldu, double *vt,
    lapack_int ldvt)
{
	lapack_int i;

	(void)layout, (void)jobz, (void)s, (void)u, (void)ldu, (void)vt, (void)ldvt;
	gesdd_calls++;
	for (i = 0; i < lda * n && i < m * n; i++)
		a[i] = 1e300;
	return 1;
}

/*
 * A 20 x 16 matrix with one non-zero a row, at a permuted column: its
 * singular values are those values and its right singular vectors the
 * unit vectors of their columns, so the result is known exactly.
 */
static void
test_rsvd_fallback(void)
{
	enum { N = 20, D = 16, K = 8 };
	struct sp_csr a = { 0 };
	struct sp_rsvd_opts o = { K, 10, 2, 1, NULL, NULL };
	double sig[K], v[D * K];
	size_t i, c, j;

	a.rows = N;
	a.cols = D;
	a.indptr = sp_xcalloc(N + 1, sizeof *a.indptr);
	a.indices = sp_xcalloc(N, sizeof *a.indices);
	a.values = sp_xcalloc(N, sizeof *a.values);
	/* Row i < 16 holds 16 - i at column 7 i mod 16; the last 4 rows are empty. */
	for (i = 0; i < N; i++) {
		if (i < D) {
			a.indices[a.nnz] = (uint32_t)(7 * i % D);
			a.values[a.nnz++] = (float)(D - i);
		}
		a.indptr[i + 1] = a.nnz;
	}
	gesdd_calls = 0;
	CHECK(sp_rsvd(&a, &o, sig, v) == 0);
	CHECK(gesdd_calls > 0);
	for (c = 0; c < K; c++) {
		CHECK_NEAR(sig[c], (double)(D - c), 1e-6);
		for (j = 0; j < D; j++)
			CHECK_NEAR(v[j * K + c], j == 7 * c % D ? 1.0 : 0.0, 1e-6);
	}
	sp_csr_free(&a);
}

int
main(int argc, char **argv)
{
	sp_init(argc > 0 ? argv[0] : "test_svdfallback");
	RUN(test_rsvd_fallback);
	return unit_failed != 0;
}
