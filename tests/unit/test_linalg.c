/* test_linalg.c: unit tests of libcommon/linalg.c against dense LAPACK. */
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <lapacke.h>
#include <stdint.h>
#include <stdlib.h>

#include "diag.h"
#include "linalg.h"
#include "mat.h"
#include "unit.h"

static gsl_rng *rng;

/* A CSR copy of the dense row-major n x d matrix x (its non-zeros). */
static void
csr_of(const double *x, size_t n, size_t d, struct sp_csr *a)
{
	size_t i, j, k = 0;

	memset(a, 0, sizeof *a);
	a->rows = n;
	a->cols = d;
	a->indptr = sp_xcalloc(n + 1, sizeof *a->indptr);
	a->indices = sp_xcalloc(n * d + 1, sizeof *a->indices);
	a->values = sp_xcalloc(n * d + 1, sizeof *a->values);
	for (i = 0; i < n; i++) {
		for (j = 0; j < d; j++)
			if ((float)x[i * d + j] != 0) {
				a->indices[k] = (uint32_t)j;
				a->values[k++] = (float)x[i * d + j];
			}
		a->indptr[i + 1] = k;
	}
	a->nnz = k;
}

/* A random sparse n x d matrix, a tenth of its entries Gaussian. */
static void
random_csr(size_t n, size_t d, struct sp_csr *a)
{
	double *x = sp_xcalloc(n * d, sizeof *x);

	for (size_t i = 0; i < n * d; i++)
		if (gsl_rng_uniform(rng) < 0.1)
			x[i] = gsl_ran_gaussian(rng, 1.0);
	csr_of(x, n, d, a);
	free(x);
}

/* The float values of a, densified back to double (what the SVD sees). */
static double *
dense_of(const struct sp_csr *a)
{
	double *x = sp_xcalloc(a->rows * a->cols + 1, sizeof *x);
	size_t i;
	uint64_t e;

	for (i = 0; i < a->rows; i++)
		for (e = a->indptr[i]; e < a->indptr[i + 1]; e++)
			x[i * a->cols + a->indices[e]] = a->values[e];
	return x;
}

/* An m x r matrix (row-major) with orthonormal columns. */
static double *
random_orthonormal(size_t m, size_t r)
{
	double *q = sp_xcalloc(m * r, sizeof *q), *tau = sp_xcalloc(r, sizeof *tau);
	size_t i;

	for (i = 0; i < m * r; i++)
		q[i] = gsl_ran_gaussian(rng, 1.0);
	LAPACKE_dgeqrf(LAPACK_ROW_MAJOR, (lapack_int)m, (lapack_int)r, q, (lapack_int)r, tau);
	LAPACKE_dorgqr(LAPACK_ROW_MAJOR, (lapack_int)m, (lapack_int)r, (lapack_int)r, q,
	    (lapack_int)r, tau);
	free(tau);
	return q;
}

/* x = U diag(s) W^T, n x d, with random orthonormal U and W of rank r. */
static double *
with_spectrum(size_t n, size_t d, size_t r, const double *s)
{
	double *u = random_orthonormal(n, r), *w = random_orthonormal(d, r);
	double *x = sp_xcalloc(n * d, sizeof *x);
	size_t i, j, c;

	for (i = 0; i < n; i++)
		for (j = 0; j < d; j++)
			for (c = 0; c < r; c++)
				x[i * d + j] += u[i * r + c] * s[c] * w[j * r + c];
	free(u);
	free(w);
	return x;
}

/*
 * The exact SVD of the dense n x d x by dgesdd: s (min(n,d) values) and
 * vt (min(n,d) x d, row-major: row c is the right singular vector c).
 */
static void
exact_svd(double *x, size_t n, size_t d, double *s, double *vt)
{
	size_t mn = n < d ? n : d;
	double *u = sp_xcalloc(n * mn, sizeof *u);
	double *xc = sp_xcalloc(n * d, sizeof *xc);

	memcpy(xc, x, n * d * sizeof *xc);
	LAPACKE_dgesdd(LAPACK_ROW_MAJOR, 'S', (lapack_int)n, (lapack_int)d, xc,
	    (lapack_int)d, s, u, (lapack_int)mn, vt, (lapack_int)d);
	free(u);
	free(xc);
}

/*
 * The largest principal angle between span(v) (d x k, row-major, the
 * computed right singular vectors) and the span of the first k rows of
 * vt: asin of the 2-norm of (I - P) v, P the projector on the exact span.
 */
static double
max_angle(const double *v, const double *vt, size_t d, size_t k)
{
	double *r = sp_xcalloc(d * k, sizeof *r), *s = sp_xcalloc(k, sizeof *s);
	double *u = sp_xcalloc(d * k, sizeof *u), *wt = sp_xcalloc(k * k, sizeof *wt);
	double dot, a;
	size_t i, j, c;

	memcpy(r, v, d * k * sizeof *r);
	for (c = 0; c < k; c++)		/* column c of v minus its projection */
		for (j = 0; j < k; j++) {
			dot = 0;
			for (i = 0; i < d; i++)
				dot += vt[j * d + i] * v[i * k + c];
			for (i = 0; i < d; i++)
				r[i * k + c] -= dot * vt[j * d + i];
		}
	LAPACKE_dgesdd(LAPACK_ROW_MAJOR, 'S', (lapack_int)d, (lapack_int)k, r,
	    (lapack_int)k, s, u, (lapack_int)k, wt, (lapack_int)k);
	a = asin(s[0] < 1 ? s[0] : 1);
	free(r), free(s), free(u), free(wt);
	return a;
}

/* Largest relative error of the k computed singular values. */
static double
sigma_err(const double *got, const double *want, size_t k)
{
	double e = 0, t;
	size_t c;

	for (c = 0; c < k; c++) {
		t = fabs(got[c] - want[c]) / want[0];
		if (want[c] > 1e-3 * want[0])
			t = fabs(got[c] - want[c]) / want[c];
		if (t > e)
			e = t;
	}
	return e;
}

static void
test_products(void)
{
	size_t n = 2001, d = 73, l = 19, lds[2] = { 19, 32 }, i, j, c, t, q;
	struct sp_csr a;
	double *x;

	random_csr(n, d, &a);
	x = dense_of(&a);
	for (q = 0; q < 2; q++) {
		size_t ld = lds[q];
		float *z = sp_la_alloc(d * ld, sizeof *z), *y = sp_la_alloc(n * ld, sizeof *y);
		float *y2 = sp_la_alloc(n * ld, sizeof *y2), *z2 = sp_la_alloc(d * ld, sizeof *z2);

		for (i = 0; i < d * ld; i++)
			z[i] = (float)gsl_ran_gaussian(rng, 1.0);
		for (t = 1; t <= 3; t += 2) {
			sp_la_set_threads((int)t);
			sp_csr_mm(&a, z, ld, l, t == 1 ? y : y2, ld);
		}
		for (i = 0; i < n; i++)		/* whatever the thread count */
			CHECK(memcmp(y + i * ld, y2 + i * ld, l * sizeof *y) == 0);
		for (i = 0; i < n; i++)
			for (c = 0; c < l; c++) {
				double want = 0;

				for (j = 0; j < d; j++)
					want += x[i * d + j] * z[j * ld + c];
				CHECK_NEAR(y[i * ld + c], want, 1e-5 * (1 + fabs(want)));
			}
		for (t = 1; t <= 3; t += 2) {
			sp_la_set_threads((int)t);
			sp_csr_tmm(&a, y, ld, l, t == 1 ? z : z2, ld);
		}
		for (j = 0; j < d; j++)
			CHECK(memcmp(z + j * ld, z2 + j * ld, l * sizeof *z) == 0);
		for (j = 0; j < d; j++)
			for (c = 0; c < l; c++) {
				double want = 0;

				for (i = 0; i < n; i++)
					want += x[i * d + j] * y[i * ld + c];
				CHECK_NEAR(z[j * ld + c], want, 1e-4 * (1 + fabs(want)));
			}
		free(z), free(y), free(y2), free(z2);
	}
	free(x);
	sp_csr_free(&a);
}

/*
 * sp_csr_tmm_d: each entry of A^T y is its terms summed in double in row
 * order, so it equals, bit for bit, a plain loop summing them the same
 * way; for l with a scalar tail and l beyond the kernel's 256-column
 * blocks, and whatever the thread count.
 */
static void
test_products_d(void)
{
	size_t n = 2001, d = 73, ls[3] = { 5, 112, 301 }, i, j, c, q;
	uint64_t e;
	struct sp_csr a;

	random_csr(n, d, &a);
	for (q = 0; q < 3; q++) {
		size_t l = ls[q];
		float *y = sp_la_alloc(n * l, sizeof *y);
		double *w = sp_la_alloc(d * l, sizeof *w), *w3 = sp_la_alloc(d * l, sizeof *w3);
		double *want = sp_xcalloc(d * l, sizeof *want);

		for (i = 0; i < n * l; i++)
			y[i] = (float)gsl_ran_gaussian(rng, 1.0);
		sp_la_set_threads(1);
		sp_csr_tmm_d(&a, y, l, l, w, l);
		sp_la_set_threads(3);
		sp_csr_tmm_d(&a, y, l, l, w3, l);
		sp_la_set_threads(2);
		for (i = 0; i < n; i++)
			for (e = a.indptr[i]; e < a.indptr[i + 1]; e++)
				for (c = 0; c < l; c++)
					want[a.indices[e] * l + c] += (double)a.values[e] * y[i * l + c];
		for (j = 0; j < d * l; j++)
			CHECK(w[j] == want[j] && w3[j] == want[j]);
		free(y), free(w), free(w3), free(want);
	}
	sp_csr_free(&a);
}

static void
test_orth(void)
{
	size_t m = 200, l = 13, ld = 16, i, j, c, pass;
	float *a = sp_la_alloc(m * ld, sizeof *a), *a0 = sp_la_alloc(m * ld, sizeof *a0);

	/*
	 * Pass 0: independent columns; pass 1: column 5 repeats column 2;
	 * pass 2: column 5 is column 2 plus 1e-4 of noise (condition number
	 * about 1e5: CholeskyQR alone would lose orthogonality); pass 3:
	 * columns scaled from 1 to 1e-7.
	 */
	for (pass = 0; pass < 4; pass++) {
		for (i = 0; i < m * ld; i++)
			a0[i] = (float)gsl_ran_gaussian(rng, 1.0);
		for (i = 0; i < m && pass == 1; i++)
			a0[i * ld + 5] = a0[i * ld + 2];
		for (i = 0; i < m && pass == 2; i++)
			a0[i * ld + 5] = a0[i * ld + 2] + 1e-4f * a0[i * ld + 5];
		for (i = 0; i < m && pass == 3; i++)
			for (c = 0; c < l; c++)
				a0[i * ld + c] *= powf(10, -(float)c * 7 / (float)(l - 1));
		memcpy(a, a0, m * ld * sizeof *a);
		CHECK(sp_orth(a, m, l, ld) == 0);
		for (j = 0; j < l; j++)
			for (c = 0; c < l; c++) {
				double dot = 0;

				for (i = 0; i < m; i++)
					dot += (double)a[i * ld + j] * a[i * ld + c];
				CHECK_NEAR(dot, j == c, 1e-5);
			}
		/* Each original column lies in the span. */
		for (c = 0; c < l; c++) {
			double res = 0, nrm = 0;

			for (i = 0; i < m; i++) {
				double p = 0;

				for (j = 0; j < l; j++) {
					double dot = 0;

					for (size_t r = 0; r < m; r++)
						dot += (double)a[r * ld + j] * a0[r * ld + c];
					p += dot * a[i * ld + j];
				}
				res += (a0[i * ld + c] - p) * (a0[i * ld + c] - p);
				nrm += (double)a0[i * ld + c] * a0[i * ld + c];
			}
			CHECK(sqrt(res / nrm) < 1e-5);
		}
	}
	free(a), free(a0);
}

/*
 * sp_orth over several chunks of rows (5000 rows; chunks of 512): the
 * columns come out orthonormal, and the same bit for bit with 1, 2 or 3
 * threads.
 */
static void
test_orth_chunks(void)
{
	size_t m = 5000, l = 40, ld = 48, i, j, c;
	float *a0 = sp_la_alloc(m * ld, sizeof *a0), *a[3];
	int t;

	for (i = 0; i < m * ld; i++)
		a0[i] = (float)gsl_ran_gaussian(rng, 1.0);
	for (t = 0; t < 3; t++) {
		a[t] = sp_la_alloc(m * ld, sizeof *a[t]);
		memcpy(a[t], a0, m * ld * sizeof *a0);
		sp_la_set_threads(t + 1);
		CHECK(sp_orth(a[t], m, l, ld) == 0);
	}
	sp_la_set_threads(2);
	CHECK(memcmp(a[0], a[1], m * ld * sizeof *a0) == 0);
	CHECK(memcmp(a[0], a[2], m * ld * sizeof *a0) == 0);
	for (j = 0; j < l; j++)
		for (c = 0; c < l; c++) {
			double dot = 0;

			for (i = 0; i < m; i++)
				dot += (double)a[0][i * ld + j] * a[0][i * ld + c];
			CHECK_NEAR(dot, j == c, 1e-5);
		}
	free(a0);
	for (t = 0; t < 3; t++)
		free(a[t]);
}

/*
 * Runs sp_rsvd (k, p 10, q) on x and compares with dgesdd: the singular
 * values to 1e-4 relative, the largest principal angle between the
 * computed and exact right singular subspaces to angle_tol radians.
 */
static void
check_rsvd(double *x0, size_t n, size_t d, size_t k, size_t q, double angle_tol)
{
	struct sp_csr a;
	struct sp_rsvd_opts o = { k, 10, q, 1, NULL, NULL };
	size_t mn = n < d ? n : d;
	double *x, *s = sp_xcalloc(mn, sizeof *s), *vt = sp_xcalloc(mn * d, sizeof *vt);
	double *sig = sp_xcalloc(k, sizeof *sig), *v = sp_xcalloc(d * k, sizeof *v);

	csr_of(x0, n, d, &a);
	x = dense_of(&a);
	exact_svd(x, n, d, s, vt);
	CHECK(sp_rsvd(&a, &o, sig, v) == 0);
	CHECK(sigma_err(sig, s, k) < 1e-4);
	CHECK(max_angle(v, vt, d, k) < angle_tol);
	free(x), free(s), free(vt), free(sig), free(v);
	sp_csr_free(&a);
}

/* A dense matrix with a clear gap after its 10th singular value. */
static void
test_rsvd_gap(void)
{
	size_t n = 400, d = 150, r = 150, i;
	double s[150], *x;

	for (i = 0; i < r; i++)
		s[i] = i < 10 ? 100 * pow(0.8, (double)i) : 2 * pow(0.97, (double)i);
	x = with_spectrum(n, d, r, s);
	check_rsvd(x, n, d, 10, 5, 1e-3);
	free(x);
}

/* Wide (more columns than rows) with a gap after 5. */
static void
test_rsvd_wide(void)
{
	size_t n = 60, d = 200, r = 60, i;
	double s[60], *x;

	for (i = 0; i < r; i++)
		s[i] = i < 5 ? 10 - (double)i : 0.5 / (double)(i + 1);
	x = with_spectrum(n, d, r, s);
	check_rsvd(x, n, d, 5, 5, 1e-3);
	free(x);
}

/*
 * A sparse one-hot matrix like an encoded one: a few popular columns, a
 * long tail.  Its spectrum decays slowly (sigma 8.5 then 7.3 around k =
 * 8), so q 5 leaves the 8th value 2e-3 short, as any randomized SVD would;
 * q 15 converges.
 */
static void
test_rsvd_onehot(void)
{
	size_t n = 3000, d = 400, i, c;
	double *x = sp_xcalloc(n * d, sizeof *x);

	for (i = 0; i < n; i++) {
		x[i * d + 0] = gsl_rng_uniform(rng);
		for (c = 0; c < 4; c++) {
			size_t j = 1 + (size_t)((d - 1) * pow(gsl_rng_uniform(rng), 3));

			x[i * d + j] = c == 0 ? 1 : 0.5;
		}
	}
	check_rsvd(x, n, d, 8, 15, 1e-3);
	free(x);
}

/* Rank 3 but k 6 and l up to min(n, d): no failure, zeros after 3. */
static void
test_rsvd_rank_deficient(void)
{
	size_t n = 50, d = 12, i;
	double s[3] = { 5, 3, 1 }, *x = with_spectrum(n, d, 3, s);
	struct sp_csr a;
	struct sp_rsvd_opts o = { 6, 10, 2, 7, NULL, NULL };
	double sig[6], *v = sp_xcalloc(d * 6, sizeof *v);

	csr_of(x, n, d, &a);
	CHECK(sp_rsvd(&a, &o, sig, v) == 0);
	for (i = 0; i < 3; i++)
		CHECK_NEAR(sig[i], s[i], 1e-4 * s[i]);
	for (i = 3; i < 6; i++)
		CHECK(sig[i] < 1e-3);
	free(x), free(v);
	sp_csr_free(&a);
}

/*
 * Same seed: identical bits, whatever the thread count (d spans three
 * chunks of rows of the dense work on the d x l side); signs fixed.
 */
static void
test_rsvd_deterministic(void)
{
	size_t n = 2000, d = 1300, k = 6, i, c, best;
	double *x = sp_xcalloc(n * d, sizeof *x);
	double sa[6], sb[6], *va = sp_xcalloc(d * k, sizeof *va), *vb = sp_xcalloc(d * k, sizeof *vb);
	struct sp_rsvd_opts o = { k, 10, 3, 42, NULL, NULL };
	struct sp_csr a;

	for (i = 0; i < n * d; i++)
		if (gsl_rng_uniform(rng) < 0.05)
			x[i] = gsl_rng_uniform(rng);
	csr_of(x, n, d, &a);
	sp_la_set_threads(1);
	CHECK(sp_rsvd(&a, &o, sa, va) == 0);
	sp_la_set_threads(3);
	CHECK(sp_rsvd(&a, &o, sb, vb) == 0);
	CHECK(memcmp(sa, sb, sizeof sa) == 0);
	CHECK(memcmp(va, vb, d * k * sizeof *va) == 0);
	sp_la_set_threads(2);
	memset(vb, 0, d * k * sizeof *vb);
	CHECK(sp_rsvd(&a, &o, sb, vb) == 0);
	CHECK(memcmp(sa, sb, sizeof sa) == 0);
	CHECK(memcmp(va, vb, d * k * sizeof *va) == 0);
	/* A test matrix drawn beforehand (sp-svd draws it while reading). */
	CHECK(sp_rsvd_width(n, d, k, 10) == 16);
	o.z = sp_rsvd_draw(d, sp_rsvd_width(n, d, k, 10), 42);
	memset(vb, 0, d * k * sizeof *vb);
	CHECK(sp_rsvd(&a, &o, sb, vb) == 0);
	o.z = NULL;
	CHECK(memcmp(sa, sb, sizeof sa) == 0);
	CHECK(memcmp(va, vb, d * k * sizeof *va) == 0);
	for (c = 0; c < k; c++) {
		best = 0;
		for (i = 1; i < d; i++)
			if (fabs(va[i * k + c]) > fabs(va[best * k + c]))
				best = i;
		CHECK(va[best * k + c] > 0);
	}
	free(x), free(va), free(vb);
	sp_csr_free(&a);
}

/*
 * sp_rsvd_draw's test matrix is what GSL's gsl_ran_gaussian draws from
 * gsl_rng_mt19937 seeded by gsl_rng_set, row by row, to the bit (it draws
 * the points with a generator of its own, faster than GSL's through
 * function pointers): for seed 0 (GSL takes 4357), seeds past 32 bits,
 * several thread counts, widths that are not a multiple of 16 and more
 * rows than it draws at a time.
 */
static void
test_draw_gsl(void)
{
	unsigned long seeds[] = { 0, 1, 42, 4357, 4294967296UL, 4294967297UL, 123456789 };
	size_t d, l, ld, s, j, c, bad;
	gsl_rng *g = gsl_rng_alloc(gsl_rng_mt19937);
	float *z;

	for (s = 0; s < sizeof seeds / sizeof *seeds; s++) {
		/* Every other seed over several blocks of rows (4,096 each), the last one short. */
		d = s % 2 ? 9000 : 700;
		l = s % 2 ? 5 : 37;
		ld = sp_la_ld(l);
		sp_la_set_threads(1 + (int)(s % 3));
		z = sp_rsvd_draw(d, l, seeds[s]);
		gsl_rng_set(g, seeds[s]);
		bad = 0;
		for (j = 0; j < d; j++) {
			for (c = 0; c < l; c++)
				bad += z[j * ld + c] != (float)gsl_ran_gaussian(g, 1.0);
			for (; c < ld; c++)
				bad += z[j * ld + c] != 0;
		}
		CHECK(bad == 0);
		free(z);
	}
	sp_la_set_threads(2);
	gsl_rng_free(g);
}

static void
test_sign_flip(void)
{
	double v[6] = { 0.1, -0.5, -0.9, 0.2, 0.3, 0.5 };	/* 3 x 2 */

	sp_sign_flip(v, 3, 2);
	CHECK_NEAR(v[0], -0.1, 0);
	CHECK_NEAR(v[2], 0.9, 0);
	CHECK_NEAR(v[4], -0.3, 0);
	/* Column 1: -0.5 and 0.5 tie; the first (-0.5) decides. */
	CHECK_NEAR(v[1], 0.5, 0);
	CHECK_NEAR(v[5], -0.5, 0);
}

static void
test_variances(void)
{
	double x[12] = { 1, 0, 2, 0, 0, 3, 0, 0, 4, 1, 0, 0 };	/* 4 x 3 */
	float e[8] = { 1, 2, 3, 2, 5, 2, 7, 2 };		/* 4 x 2 */
	struct sp_csr a;
	double var[2], want = 0;
	size_t j, i;

	csr_of(x, 4, 3, &a);
	for (j = 0; j < 3; j++) {
		double s = 0, s2 = 0;

		for (i = 0; i < 4; i++) {
			s += x[i * 3 + j];
			s2 += x[i * 3 + j] * x[i * 3 + j];
		}
		want += s2 / 4 - (s / 4) * (s / 4);
	}
	CHECK_NEAR(sp_csr_total_var(&a), want, 1e-12);
	sp_col_var(e, 4, 2, 2, var);
	CHECK_NEAR(var[0], 5, 1e-12);	/* 1 3 5 7: mean 4, var 5 */
	CHECK_NEAR(var[1], 0, 1e-12);
	sp_csr_free(&a);
}

static void
test_rows_normalize(void)
{
	float a[8] = { 3, 4, 9, 9, 0, 0, 9, 9 };	/* 2 x 2 with stride 4 */

	CHECK(sp_rows_normalize(a, 2, 2, 4) == 1);
	CHECK_NEAR(a[0], 0.6, 1e-7);
	CHECK_NEAR(a[1], 0.8, 1e-7);
	CHECK_NEAR(a[2], 9, 0);		/* beyond k: untouched */
	CHECK_NEAR(a[4], 0, 0);
}

/*
 * sp_la_alloc gives zeroed, 64-byte aligned memory; sp_la_alloc_raw the
 * same alignment and size, for the caller to fill (so even n = 0 gives a
 * pointer to free).
 */
static void
test_alloc(void)
{
	static const size_t ns[] = { 0, 1, 15, 16, 17, 1000, 12345, 524288, 1234567 };

	for (size_t i = 0; i < sizeof ns / sizeof ns[0]; i++) {
		float *z = sp_la_alloc(ns[i], sizeof *z), *r = sp_la_alloc_raw(ns[i], sizeof *r);
		size_t whole = (ns[i] * sizeof *z + 63) / 64 * 64 / sizeof *z;
		uintptr_t align = ns[i] * sizeof *z >= (2 << 20) ? 2 << 20 : 64;

		CHECK(z != NULL && r != NULL);
		CHECK((uintptr_t)z % align == 0 && (uintptr_t)r % align == 0);
		/* Whole cache lines: zeroed in z, writable in r. */
		for (size_t j = 0; j < whole; j++) {
			CHECK(z[j] == 0);
			r[j] = (float)j;
		}
		for (size_t j = 0; j < whole; j++)
			CHECK(r[j] == (float)j);
		free(z);
		free(r);
	}
}

/* A dense sp_mat becomes CSR with its non-zeros. */
static void
test_from_dense(void)
{
	struct sp_mat m;
	struct sp_csr a;
	double *v = sp_xcalloc(6, sizeof *v);

	memset(&m, 0, sizeof m);
	m.layout = SP_MAT_DENSE;
	m.dtype = SP_MAT_F64;
	m.rows = 2;
	m.cols = 3;
	v[1] = 2.5;
	v[3] = -1;
	v[5] = 4;
	m.values = v;
	sp_csr_from_mat(&m, &a);
	CHECK(a.nnz == 3);
	CHECK(a.indptr[1] == 1 && a.indptr[2] == 3);
	CHECK(a.indices[0] == 1 && a.indices[1] == 0 && a.indices[2] == 2);
	CHECK_NEAR(a.values[0], 2.5, 0);
	CHECK_NEAR(a.values[2], 4, 0);
	sp_mat_free(&m);
	sp_csr_free(&a);
}

int
main(int argc, char **argv)
{
	sp_init(argc > 0 ? argv[0] : "test_linalg");
	rng = gsl_rng_alloc(gsl_rng_mt19937);
	gsl_rng_set(rng, 12345);
	RUN(test_products);
	RUN(test_products_d);
	sp_la_set_threads(2);
	RUN(test_orth);
	RUN(test_orth_chunks);
	RUN(test_rsvd_gap);
	RUN(test_rsvd_wide);
	RUN(test_rsvd_onehot);
	RUN(test_rsvd_rank_deficient);
	RUN(test_rsvd_deterministic);
	RUN(test_draw_gsl);
	RUN(test_sign_flip);
	RUN(test_variances);
	RUN(test_rows_normalize);
	RUN(test_alloc);
	RUN(test_from_dense);
	gsl_rng_free(rng);
	return unit_failed != 0;
}
