/* linalg.c: sparse x dense products, orthonormalisation and the randomized SVD. */
#include <cblas.h>
#include <lapacke.h>
#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "blaskern.h"
#include "diag.h"
#include "linalg.h"
#include "mat.h"

/* Rows converted to double at a time by sp_gram. */
#define GRAM_BLOCK 1024


/* The bytes sp_la_alloc gives for n elements: whole cache lines, at least one. */
static size_t
la_bytes(size_t n, size_t elsize)
{
	size_t bytes;

	if (elsize != 0 && n > SIZE_MAX / elsize)
		sp_die(SP_EXIT_DATA, "out of memory");
	bytes = (n * elsize + 63) & ~(size_t)63;
	return bytes == 0 ? 64 : bytes;
}

/* Large buffers in huge pages (sp_xmalloc_huge). */
void *
sp_la_alloc_raw(size_t n, size_t elsize)
{
	return sp_xmalloc_huge(la_bytes(n, elsize));
}

void *
sp_la_alloc(size_t n, size_t elsize)
{
	void *p = sp_la_alloc_raw(n, elsize);

	memset(p, 0, la_bytes(n, elsize));
	return p;
}

size_t
sp_la_ld(size_t l)
{
	return (l + 15) & ~(size_t)15;
}

/* ---- CSR ---- */

void
sp_csr_free(struct sp_csr *a)
{
	free(a->indptr);
	free(a->indices);
	free(a->values);
	free(a->split);
	memset(a, 0, sizeof *a);
}

struct entry {
	uint32_t j;
	float v;
};

static int
entry_cmp(const void *x, const void *y)
{
	const struct entry *a = x, *b = y;

	return a->j < b->j ? -1 : a->j > b->j;
}

/* Sorts each row's entries by column, if they are not already. */
static void
sort_rows(struct sp_csr *a)
{
	struct entry *t = NULL;
	size_t i, n, k, cap = 0;
	uint64_t e, e0;

	for (i = 0; i < a->rows; i++) {
		e0 = a->indptr[i];
		for (e = e0 + 1; e < a->indptr[i + 1]; e++)
			if (a->indices[e] < a->indices[e - 1])
				break;
		if (e >= a->indptr[i + 1])
			continue;
		n = a->indptr[i + 1] - e0;
		if (n > cap)
			t = sp_xreallocarray(t, cap = n, sizeof *t);
		for (k = 0; k < n; k++)
			t[k] = (struct entry){ a->indices[e0 + k], a->values[e0 + k] };
		qsort(t, n, sizeof *t, entry_cmp);
		for (k = 0; k < n; k++) {
			a->indices[e0 + k] = t[k].j;
			a->values[e0 + k] = t[k].v;
		}
	}
	free(t);
}

void
sp_csr_from_mat(struct sp_mat *m, struct sp_csr *a)
{
	size_t i, j, n;

	memset(a, 0, sizeof *a);
	a->rows = m->rows;
	a->cols = m->cols;
	if (m->layout == SP_MAT_CSR) {
		sp_mat_convert(m, SP_MAT_F32);
		a->nnz = m->nnz;
		a->indptr = m->indptr;
		a->indices = m->indices;
		a->values = m->values;
		m->indptr = NULL;
		m->indices = NULL;
		m->values = NULL;
		if (a->indptr == NULL)	/* 0 rows may come without row pointers */
			a->indptr = sp_xcalloc(a->rows + 1, sizeof *a->indptr);
		if (a->indices == NULL)
			a->indices = sp_xmalloc(1);
		if (a->values == NULL)
			a->values = sp_xmalloc(1);
		sort_rows(a);
		return;
	}
	n = 0;
	for (i = 0; i < a->rows * a->cols; i++)
		n += sp_mat_value(m, i) != 0;
	a->nnz = n;
	a->indptr = sp_xcalloc(a->rows + 1, sizeof *a->indptr);
	a->indices = sp_xreallocarray(NULL, n ? n : 1, sizeof *a->indices);
	a->values = sp_xreallocarray(NULL, n ? n : 1, sizeof *a->values);
	n = 0;
	for (i = 0; i < a->rows; i++) {
		for (j = 0; j < a->cols; j++) {
			double x = sp_mat_value(m, i * a->cols + j);

			if (x != 0) {
				a->indices[n] = (uint32_t)j;
				a->values[n++] = (float)x;
			}
		}
		a->indptr[i + 1] = n;
	}
	free(m->values);
	m->values = NULL;
}

/*
 * The kernels work 8 floats (4 doubles) a step with GCC's vector
 * extension, the width of one AVX register: a wider generic vector is
 * split by GCC into pairs it keeps on the stack on AVX2 targets, which
 * spends more time in spills than in arithmetic.  Up to 64 floats of a row
 * stay in registers (8 accumulators, 16 registers in all on AVX2).
 * Multiplication and addition stay separate (ISO C mode: no contraction),
 * and every element sums its terms in entry order starting from 0, so the
 * vector steps and the scalar tail compute a column the same way: a
 * column's result depends neither on l nor on the vector width.
 */
typedef float v8sf __attribute__((vector_size(32)));
typedef double v4df __attribute__((vector_size(32)));

/* Unaligned loads and stores (macros: vector arguments trip -Wpsabi). */
#define VLOAD(v, p) memcpy(&(v), (p), sizeof(v))
#define VSTORE(p, v) memcpy((p), &(v), sizeof(v))

/*
 * Inlined into each target's clone of the callers (otherwise the clones
 * would call one baseline copy).
 */
#define KERNEL static inline __attribute__((always_inline)) void
/* The loops over a block's registers, unrolled so they stay in registers. */
#define UNROLL _Pragma("GCC unroll 8")

/* y[c..c+8*nv) = sum over e of val[e] * in[idx[e] * ldin + c..), nv <= 8. */
#define GATHER_BLOCK(NV)						\
	for (; c + 8 * (NV) <= l; c += 8 * (NV)) {			\
		v8sf acc[NV], x;					\
		int u;							\
									\
		UNROLL for (u = 0; u < (NV); u++)				\
			acc[u] = (v8sf){ 0 };				\
		for (e = 0; e < ne; e++) {				\
			const float *p = in + (size_t)idx[e] * ldin + c; \
			float s = val[e];				\
									\
			UNROLL for (u = 0; u < (NV); u++) {			\
				VLOAD(x, p + 8 * u);			\
				acc[u] += s * x;			\
			}						\
		}							\
		UNROLL for (u = 0; u < (NV); u++)				\
			VSTORE(y + c + 8 * u, acc[u]);			\
	}

/* y[0..l) = sum over e of val[e] * in[idx[e] * ldin + 0..l). */
KERNEL
gather_row(const uint32_t *idx, const float *val, size_t ne, const float *in,
    size_t ldin, float *y, size_t l)
{
	size_t c = 0, e;

	GATHER_BLOCK(8)
	GATHER_BLOCK(6)
	GATHER_BLOCK(4)
	GATHER_BLOCK(2)
	GATHER_BLOCK(1)
	for (; c < l; c++) {
		float a0 = 0;

		for (e = 0; e < ne; e++)
			a0 += val[e] * in[(size_t)idx[e] * ldin + c];
		y[c] = a0;
	}
}

/*
 * out[idx[e] * ldout + 0..l) += val[e] * y[0..l) for each e, in order.
 * Each entry updates its row of out whole before the next (y's row stays
 * in L1): all the row's cache lines are requested at once, and their
 * misses overlap, where blocks of y held in registers came back to every
 * row once per block.  Every element adds its terms in entry order, with
 * the same operations, so the sums are those of the blocked form.
 */
KERNEL
scatter_row(const uint32_t *idx, const float *val, size_t ne, const float *y,
    float *out, size_t ldout, size_t l)
{
	float *p, s;
	size_t c, e;
	v8sf z, yv;

	for (e = 0; e < ne; e++) {
		p = out + (size_t)idx[e] * ldout;
		s = val[e];
		_Pragma("GCC unroll 4")
		for (c = 0; c + 8 <= l; c += 8) {
			VLOAD(z, p + c);
			VLOAD(yv, y + c);
			z += s * yv;
			VSTORE(p + c, z);
		}
		for (; c < l; c++)
			p[c] += s * y[c];
	}
}

/*
 * scatter_row into a double out, each term formed and summed in double.
 * Each entry updates its row of out whole (up to SCATTER_D_COLS doubles at
 * a time, y's part converted to double once into yd, which stays in L1)
 * before the next entry: all the row's cache lines (14 at l 112) are
 * requested at once, and the memory system overlaps their misses and
 * prefetches along the row.  Blocks of y held in registers, as
 * scatter_row does, come back to every row once per block for its next
 * few lines, one short burst at a time.  Every element still adds its
 * terms in entry order.
 */
#define SCATTER_D_COLS 256

KERNEL
scatter_row_d(const uint32_t *idx, const float *val, size_t ne, const float *y,
    double *out, size_t ldout, size_t l)
{
	double yd[SCATTER_D_COLS], *p, s;
	size_t c0, nc, c, e;
	v4df z, yv;

	for (c0 = 0; c0 < l; c0 += nc) {
		nc = l - c0 < SCATTER_D_COLS ? l - c0 : SCATTER_D_COLS;
		for (c = 0; c < nc; c++)
			yd[c] = y[c0 + c];
		for (e = 0; e < ne; e++) {
			p = out + (size_t)idx[e] * ldout + c0;
			s = val[e];
			_Pragma("GCC unroll 4")
			for (c = 0; c + 4 <= nc; c += 4) {
				VLOAD(z, p + c);
				VLOAD(yv, yd + c);
				z += s * yv;
				VSTORE(p + c, z);
			}
			for (; c < nc; c++)
				p[c] += s * yd[c];
		}
	}
}

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define TARGETS __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define TARGETS
#endif

struct mm_args {
	const struct sp_csr *a;
	const float *in;
	float *out;
	double *outd;		/* sp_csr_tmm_d */
	size_t ldin, ldout, l;
};

/* First row whose entries start at or after nnz share t/nt: balances work. */
static size_t
row_split(const struct sp_csr *a, int t, int nt)
{
	uint64_t target = (uint64_t)((double)a->nnz * t / nt);
	size_t lo = 0, hi = a->rows;

	if (t >= nt)
		return a->rows;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (a->indptr[mid] < target)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

TARGETS static void
mm_part(void *p, int t, int nt)
{
	struct mm_args *g = p;
	const struct sp_csr *a = g->a;
	size_t r0 = row_split(a, t, nt), r1 = row_split(a, t + 1, nt), i;
	uint64_t e0;

	for (i = r0; i < r1; i++) {
		e0 = a->indptr[i];
		gather_row(a->indices + e0, a->values + e0, a->indptr[i + 1] - e0, g->in,
		    g->ldin, g->out + i * g->ldout, g->l);
	}
}

void
sp_csr_mm(const struct sp_csr *a, const float *z, size_t ldz, size_t l,
    float *y, size_t ldy)
{
	struct mm_args g = { a, z, y, NULL, ldz, ldy, l };
	int nt = sp_la_threads();

	if ((uint64_t)nt * 4096 > a->nnz)
		nt = 1;
	sp_la_parallel(mm_part, &g, nt);
}

/* Column boundaries split[0..nt] with about nnz/nt entries between each. */
static void
col_split(struct sp_csr *a, int nt)
{
	size_t *cnt, j, t;
	uint64_t e, acc;

	if (a->split != NULL && a->nsplit == nt)
		return;
	free(a->split);
	a->split = sp_xcalloc((size_t)nt + 1, sizeof *a->split);
	a->nsplit = nt;
	cnt = sp_xcalloc(a->cols + 1, sizeof *cnt);
	for (e = 0; e < a->nnz; e++)
		cnt[a->indices[e]]++;
	acc = 0;
	t = 1;
	for (j = 0; j < a->cols && t < (size_t)nt; j++) {
		while (t < (size_t)nt && acc >= (uint64_t)((double)a->nnz * t / nt))
			a->split[t++] = j;
		acc += cnt[j];
	}
	while (t <= (size_t)nt)
		a->split[t++] = a->cols;
	free(cnt);
}

/*
 * Each thread owns the output rows (columns of A) in [c0, c1) and scans
 * all of A; as indices ascend within a row, a row's entries in the range
 * are one run, found by binary search.
 */
TARGETS static void
tmm_part(void *p, int t, int nt)
{
	struct mm_args *g = p;
	const struct sp_csr *a = g->a;
	uint32_t c0 = (uint32_t)a->split[t], c1 = (uint32_t)a->split[t + 1];
	size_t i, j;
	uint64_t lo, hi, e1, mid;

	for (j = c0; j < c1; j++) {
		if (g->outd)
			memset(g->outd + j * g->ldout, 0, g->l * sizeof(double));
		else
			memset(g->out + j * g->ldout, 0, g->l * sizeof(float));
	}
	if (c0 == c1)
		return;
	for (i = 0; i < a->rows; i++) {
		lo = a->indptr[i];
		hi = e1 = a->indptr[i + 1];
		while (lo < hi) {
			mid = lo + (hi - lo) / 2;
			if (a->indices[mid] < c0)
				lo = mid + 1;
			else
				hi = mid;
		}
		for (hi = lo; hi < e1 && a->indices[hi] < c1; hi++)
			;
		if (hi > lo && g->outd)
			scatter_row_d(a->indices + lo, a->values + lo, hi - lo,
			    g->in + i * g->ldin, g->outd, g->ldout, g->l);
		else if (hi > lo)
			scatter_row(a->indices + lo, a->values + lo, hi - lo,
			    g->in + i * g->ldin, g->out, g->ldout, g->l);
	}
}

/* Runs g (one of the two below) over a's column split, in threads if worth it. */
static void
tmm_run(struct sp_csr *a, struct mm_args *g)
{
	int nt = sp_la_threads();

	if ((uint64_t)nt * 4096 > a->nnz || (size_t)nt > a->cols)
		nt = 1;
	col_split(a, nt);
	sp_la_parallel(tmm_part, g, nt);
}

void
sp_csr_tmm(struct sp_csr *a, const float *y, size_t ldy, size_t l,
    float *z, size_t ldz)
{
	struct mm_args g = { a, y, z, NULL, ldy, ldz, l };

	tmm_run(a, &g);
}

void
sp_csr_tmm_d(struct sp_csr *a, const float *y, size_t ldy, size_t l,
    double *z, size_t ldz)
{
	struct mm_args g = { a, y, NULL, z, ldy, ldz, l };

	tmm_run(a, &g);
}

/* ---- dense helpers ---- */

/* Householder QR of the column-major m x l w, replaced by its Q factor. */
static int
householder(double *w, size_t m, size_t l)
{
	double *tau = sp_xreallocarray(NULL, l, sizeof *tau);
	lapack_int rc;

	rc = LAPACKE_dgeqrf(LAPACK_COL_MAJOR, (lapack_int)m, (lapack_int)l, w,
	    (lapack_int)m, tau);
	if (rc == 0)
		rc = LAPACKE_dorgqr(LAPACK_COL_MAJOR, (lapack_int)m, (lapack_int)l,
		    (lapack_int)l, w, (lapack_int)m, tau);
	free(tau);
	if (rc != 0)
		sp_warn("QR factorisation failed (LAPACK info %d)", (int)rc);
	return rc == 0 ? 0 : -1;
}

/*
 * The dense work on the tall sides of the SVD (m x l, m in the thousands,
 * l about 100) runs over fixed chunks of rows, one BLAS call (or two) per
 * chunk, the threads taking the next chunk as they come free, so that a
 * thread slowed by another process takes fewer.  A sum over the rows (a
 * Gram matrix, a product Q^T C) is formed as one l x l part per chunk, the
 * parts then added in chunk order: the results depend neither on the
 * thread count nor on which thread ran which chunk.
 */
struct chunks {
	void (*fn)(const struct chunks *c, size_t i0, size_t nb, double *part);
	void *arg;
	size_t m, rows, l;	/* m rows in chunks of rows; parts of l x l */
	double *part;		/* room for a part per chunk, or NULL */
	size_t n;		/* chunks */
	size_t next;		/* the next chunk to take (atomic) */
};

static void
chunks_main(void *p, int t, int nt)
{
	struct chunks *c = p;
	size_t ch, i0;

	(void)t, (void)nt;
	while ((ch = __atomic_fetch_add(&c->next, 1, __ATOMIC_RELAXED)) < c->n) {
		i0 = ch * c->rows;
		c->fn(c, i0, c->m - i0 < c->rows ? c->m - i0 : c->rows,
		    c->part != NULL ? c->part + ch * c->l * c->l : NULL);
	}
}

/*
 * Runs c->fn over the chunks on the threads; with sum, then sets sum (l x
 * l, row-major) to the parts added in chunk order: the upper triangle
 * only (as dsyrk fills it; the lower one is zero) when upper, else all.
 */
static void
chunks_run(struct chunks *c, double *sum, int upper)
{
	int nt = sp_la_threads();
	size_t ch, i, j, l = c->l;

	c->n = (c->m + c->rows - 1) / c->rows;
	c->next = 0;
	if ((size_t)nt > c->n)
		nt = c->n > 0 ? (int)c->n : 1;
	sp_la_parallel(chunks_main, c, nt);
	if (sum == NULL)
		return;
	memset(sum, 0, l * l * sizeof *sum);
	for (ch = 0; ch < c->n; ch++)
		for (i = 0; i < l; i++)
			for (j = upper ? i : 0; j < l; j++)
				sum[i * l + j] += c->part[(ch * l + i) * l + j];
}

/*
 * Orthonormalisation of a tall m x l w (row-major double, stride l) by
 * CholeskyQR2: two steps of R = chol(w^T w), w <- w R^-1, the second
 * repairing the first's loss of orthogonality (when that can matter: see
 * ORTH_ONE_STEP).  Each step is two BLAS-3 passes over w, a quarter of
 * Householder QR's work, and they run over the chunks (w^T w summed by
 * chunk, w R^-1 row by row independent).  w R^-1 is the product with
 * R^-1 (dtrtri, l x l, then dtrmm over the chunks): OpenBLAS's dtrmm
 * takes two thirds of its dtrsm's time on these shapes, and the
 * triangular inverse is as accurate as the solve here (its residual is of
 * the order of epsilon times R's condition number, which the check below
 * keeps under 1e6, and the second step starts from columns orthonormal to
 * that order).  Chunks of ORTH_ROWS rows: 512 rows of 112 doubles (458
 * KB) stay in a Zen 3 core's L2 cache from one BLAS call of a step to the
 * next.
 */
#define ORTH_ROWS 512

enum { ORTH_IN, ORTH_MID, ORTH_LAST, ORTH_OUT };

struct orth {
	size_t m, l;
	double *w;	/* m x l: the columns being orthonormalised */
	double *r;	/* l x l: the Gram matrix, then R^-1 (upper triangles) */
	double *part;	/* a Gram matrix's part for each chunk */
	/*
	 * Step ORTH_IN takes the columns from in (m x l, stride ld), or forms
	 * them as src f (src m x l, f l x l, both row-major double), then
	 * overwriting src with that product (the caller keeps it); the last
	 * step writes them to out (stride ld) when not NULL, else they stay
	 * in w.
	 */
	const float *in;
	double *src;
	const double *f;
	float *out;
	size_t ld;
	int step;
};

static void
orth_chunk(const struct chunks *c, size_t i0, size_t nb, double *part)
{
	struct orth *o = c->arg;
	size_t l = o->l, i, j;
	double *w = o->w + i0 * l;

	if (o->step == ORTH_IN && o->in != NULL) {
		for (i = 0; i < nb; i++)
			for (j = 0; j < l; j++)
				w[i * l + j] = o->in[(i0 + i) * o->ld + j];
	} else if (o->step == ORTH_IN) {
		cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (blasint)nb,
		    (blasint)l, (blasint)l, 1.0, o->src + i0 * l, (blasint)l, o->f,
		    (blasint)l, 0.0, w, (blasint)l);
		memcpy(o->src + i0 * l, w, nb * l * sizeof *w);
	} else if (o->step != ORTH_OUT)
		cblas_dtrmm(CblasRowMajor, CblasRight, CblasUpper, CblasNoTrans,
		    CblasNonUnit, (blasint)nb, (blasint)l, 1.0, o->r, (blasint)l, w,
		    (blasint)l);
	if (o->step == ORTH_IN || o->step == ORTH_MID)
		cblas_dsyrk(CblasRowMajor, CblasUpper, CblasTrans, (blasint)l, (blasint)nb,
		    1.0, w, (blasint)l, 0.0, part, (blasint)l);
	else if (o->out != NULL)
		for (i = 0; i < nb; i++)
			for (j = 0; j < l; j++)
				o->out[(i0 + i) * o->ld + j] = (float)w[i * l + j];
}

/*
 * Replaces the Gram matrix in o->r (upper triangle) by R^-1, R = chol(r):
 * 0, or -1 if the columns are too close to rank-deficient for CholeskyQR
 * to be accurate: the Cholesky factorisation fails, or R's diagonal spans
 * more than 1e6 (the loss of orthogonality grows with the square of the
 * columns' condition number, and the second step repairs it only while
 * that stays well below 1/epsilon).  With kappa, *kappa is set to an
 * estimate of R's condition number (LAPACK's dtrcon, 1-norm).
 */
static int
orth_factor(struct orth *o, double *kappa)
{
	size_t i, l = o->l;
	double dmin, dmax, d, rcond;

	if (LAPACKE_dpotrf(LAPACK_ROW_MAJOR, 'U', (lapack_int)l, o->r, (lapack_int)l) != 0)
		return -1;
	dmin = dmax = fabs(o->r[0]);
	for (i = 1; i < l; i++) {
		d = fabs(o->r[i * l + i]);
		dmin = d < dmin ? d : dmin;
		dmax = d > dmax ? d : dmax;
	}
	if (!(dmin > 1e-6 * dmax))
		return -1;
	if (kappa != NULL)
		*kappa = LAPACKE_dtrcon(LAPACK_ROW_MAJOR, '1', 'U', 'N', (lapack_int)l, o->r,
		    (lapack_int)l, &rcond) == 0 && rcond > 0 ? 1 / rcond : HUGE_VAL;
	return LAPACKE_dtrtri(LAPACK_ROW_MAJOR, 'U', 'N', (lapack_int)l, o->r,
	    (lapack_int)l) == 0 ? 0 : -1;
}

/* Householder QR of w (the rare fallback), through a column-major copy. */
static int
orth_householder(struct orth *o)
{
	size_t i, c, m = o->m, l = o->l;
	double *cm = sp_xreallocarray(NULL, m * l, sizeof *cm);
	int rc;

	for (i = 0; i < m; i++)
		for (c = 0; c < l; c++)
			cm[c * m + i] = o->w[i * l + c];
	if ((rc = householder(cm, m, l)) == 0)
		for (i = 0; i < m; i++)
			for (c = 0; c < l; c++)
				o->w[i * l + c] = cm[c * m + i];
	free(cm);
	return rc;
}

/*
 * When the result goes out in float, the second CholeskyQR step is run
 * only if the first can have left a loss of orthogonality that float
 * would show.  One step leaves Q^T Q - I of the order of u kappa^2 times
 * a factor that grows with m (u the double unit roundoff, kappa the
 * columns' condition number; the worst-case bound's factor m is sqrt(m)
 * in practice).  Below ORTH_ONE_STEP (a sixth of float's unit roundoff),
 * the second step would change the result by less than its rounding to
 * float does.  On the bench's power iterations (kappa 300 to 800), the
 * loss measured after one step is 1e-15 to 5e-13, well below this
 * estimate, and the one step halves the work.
 */
#define ORTH_ONE_STEP 1e-8

/*
 * Runs the orthonormalisation set up in o (see struct orth): 0, or -1 if
 * LAPACK fails (message printed).  OpenBLAS's threads must be set to 1.
 */
static int
orth_run(struct orth *o)
{
	struct chunks c = { orth_chunk, o, o->m, ORTH_ROWS, o->l, o->part, 0, 0 };
	double kappa;

	if (o->m == 0 || o->l == 0)
		return 0;
	o->step = ORTH_IN;
	chunks_run(&c, o->r, 1);
	if (orth_factor(o, &kappa) == 0) {
		if (o->out != NULL &&
		    sqrt((double)o->m) * DBL_EPSILON / 2 * kappa * kappa < ORTH_ONE_STEP) {
			o->step = ORTH_LAST;
			chunks_run(&c, NULL, 0);
			return 0;
		}
		o->step = ORTH_MID;
		chunks_run(&c, o->r, 1);
		if (orth_factor(o, NULL) == 0) {
			o->step = ORTH_LAST;
			chunks_run(&c, NULL, 0);
			return 0;
		}
	}
	/*
	 * Too close to dependent for CholeskyQR: w, the input or the first
	 * step's result (which spans the same), goes to Householder QR.
	 */
	if (orth_householder(o) != 0)
		return -1;
	o->step = ORTH_OUT;
	if (o->out != NULL)
		chunks_run(&c, NULL, 0);
	return 0;
}

/* Allocates o's work space for m x l (the rest of o zero); orth_free frees it. */
static void
orth_init(struct orth *o, size_t m, size_t l)
{
	memset(o, 0, sizeof *o);
	o->m = m;
	o->l = l;
	o->w = sp_la_alloc_raw(m * l, sizeof *o->w);
	o->r = sp_xreallocarray(NULL, l * l + 1, sizeof *o->r);
	o->part = sp_xreallocarray(NULL, ((m + ORTH_ROWS - 1) / ORTH_ROWS) * l * l + 1,
	    sizeof *o->part);
}

static void
orth_free(struct orth *o)
{
	free(o->w);
	free(o->r);
	free(o->part);
}

int
sp_orth(float *a, size_t m, size_t l, size_t lda)
{
	struct orth o;
	int rc, ob;

	orth_init(&o, m, l);
	o.in = a;
	o.out = a;
	o.ld = lda;
	/* OpenBLAS's own threads only slow down these thin products. */
	ob = sp_blas_threads(1);
	rc = orth_run(&o);
	sp_blas_threads(ob);
	orth_free(&o);
	return rc;
}

/*
 * The Gram matrix is summed over fixed chunks of rows, each converted to
 * double a block at a time, the chunks spread over the threads and their
 * partial sums added in chunk order: the result does not depend on the
 * thread count.
 */
#define GRAM_CHUNK 8192

struct gram_args {
	const float *y;
	size_t n, l, ldy, nchunk;
	double *part;
};

static void
gram_part(void *p, int t, int nt)
{
	struct gram_args *a = p;
	double *b = sp_xreallocarray(NULL, GRAM_BLOCK * a->l, sizeof *b);
	size_t ch, i0, i1, nb, i, c;

	for (ch = (size_t)t; ch < a->nchunk; ch += (size_t)nt) {
		double *g = a->part + ch * a->l * a->l;

		i1 = (ch + 1) * GRAM_CHUNK < a->n ? (ch + 1) * GRAM_CHUNK : a->n;
		for (i0 = ch * GRAM_CHUNK; i0 < i1; i0 += nb) {
			nb = i1 - i0 < GRAM_BLOCK ? i1 - i0 : GRAM_BLOCK;
			for (i = 0; i < nb; i++)
				for (c = 0; c < a->l; c++)
					b[i * a->l + c] = a->y[(i0 + i) * a->ldy + c];
			cblas_dsyrk(CblasRowMajor, CblasUpper, CblasTrans, (blasint)a->l,
			    (blasint)nb, 1.0, b, (blasint)a->l, 1.0, g, (blasint)a->l);
		}
	}
	free(b);
}

void
sp_gram(const float *y, size_t n, size_t l, size_t ldy, double *g)
{
	struct gram_args a = { y, n, l, ldy, (n + GRAM_CHUNK - 1) / GRAM_CHUNK, NULL };
	int nt = sp_la_threads(), ob;
	size_t ch, i, c;

	memset(g, 0, l * l * sizeof *g);
	if (l == 0 || n == 0)
		return;
	a.part = sp_xcalloc(a.nchunk * l * l, sizeof *a.part);
	if ((size_t)nt > a.nchunk)
		nt = (int)a.nchunk;
	/* OpenBLAS's own threads only slow down these thin products. */
	ob = sp_blas_threads(1);
	sp_la_parallel(gram_part, &a, nt);
	sp_blas_threads(ob);
	for (ch = 0; ch < a.nchunk; ch++)
		for (i = 0; i < l; i++)
			for (c = i; c < l; c++)
				g[i * l + c] += a.part[(ch * l + i) * l + c];
	for (i = 0; i < l; i++)
		for (c = 0; c < i; c++)
			g[i * l + c] = g[c * l + i];
	free(a.part);
}

/*
 * sp_col_var: each thread sums its own range of columns over all the
 * rows, 4 columns a vector step: every column still sums its rows in row
 * order, so the sums are the same, bit for bit, whatever the thread count
 * or vector width.
 */
struct var_args {
	const float *e;
	size_t n, k, lde;
	double *s, *s2;
};

TARGETS static void
var_part(void *p, int t, int nt)
{
	struct var_args *g = p;
	size_t c0 = g->k * (size_t)t / (size_t)nt & ~(size_t)3;
	size_t c1 = t + 1 == nt ? g->k : g->k * (size_t)(t + 1) / (size_t)nt & ~(size_t)3;
	size_t i, c;
	const float *r;

	for (i = 0; i < g->n; i++) {
		r = g->e + i * g->lde;
		for (c = c0; c + 4 <= c1; c += 4) {
			v4df x = { r[c], r[c + 1], r[c + 2], r[c + 3] }, s, s2;

			VLOAD(s, g->s + c);
			VLOAD(s2, g->s2 + c);
			s += x;
			s2 += x * x;
			VSTORE(g->s + c, s);
			VSTORE(g->s2 + c, s2);
		}
		for (; c < c1; c++) {
			double x = r[c];

			g->s[c] += x;
			g->s2[c] += x * x;
		}
	}
}

void
sp_col_var(const float *e, size_t n, size_t k, size_t lde, double *var)
{
	struct var_args g = { e, n, k, lde, NULL, NULL };
	int nt = sp_la_threads();
	size_t c;

	g.s = sp_xcalloc(k + 1, sizeof *g.s);
	g.s2 = sp_xcalloc(k + 1, sizeof *g.s2);
	/* Threads only when each has whole vectors and enough rows to sum. */
	if ((size_t)nt > k / 8 || n * k < 100000)
		nt = 1;
	sp_la_parallel(var_part, &g, nt);
	for (c = 0; c < k; c++) {
		double mean = n ? g.s[c] / (double)n : 0;

		var[c] = n ? g.s2[c] / (double)n - mean * mean : 0;
		if (var[c] < 0)
			var[c] = 0;
	}
	free(g.s);
	free(g.s2);
}

double
sp_csr_total_var(const struct sp_csr *a)
{
	double *s = sp_xcalloc(a->cols ? a->cols : 1, sizeof *s);
	double *s2 = sp_xcalloc(a->cols ? a->cols : 1, sizeof *s2);
	double tot = 0, n = (double)a->rows;
	uint64_t e;
	size_t j;

	for (e = 0; e < a->nnz; e++) {
		double x = a->values[e];

		s[a->indices[e]] += x;
		s2[a->indices[e]] += x * x;
	}
	for (j = 0; j < a->cols && a->rows > 0; j++) {
		double v = s2[j] / n - (s[j] / n) * (s[j] / n);

		tot += v > 0 ? v : 0;
	}
	free(s);
	free(s2);
	return tot;
}

size_t
sp_rows_normalize(float *a, size_t n, size_t k, size_t lda)
{
	size_t i, c, zero = 0;

	for (i = 0; i < n; i++) {
		float *r = a + i * lda;
		double ss = 0;

		for (c = 0; c < k; c++)
			ss += (double)r[c] * r[c];
		if (ss == 0) {
			zero++;
			continue;
		}
		ss = 1 / sqrt(ss);
		for (c = 0; c < k; c++)
			r[c] = (float)(r[c] * ss);
	}
	return zero;
}

/*
 * sp_sign_flip walks v row by row (a column at a time would take a cache
 * line for each entry), keeping each column's largest |entry| so far:
 * strictly larger, so the first wins ties.
 */
void
sp_sign_flip(double *v, size_t m, size_t k)
{
	size_t *best = sp_xcalloc(k + 1, sizeof *best);
	double *top = sp_xcalloc(k + 1, sizeof *top);
	size_t i, c;

	for (i = 0; i < m; i++)
		for (c = 0; c < k; c++)
			if (fabs(v[i * k + c]) > top[c] || i == 0) {
				top[c] = fabs(v[i * k + c]);
				best[c] = i;
			}
	for (c = 0; c < k; c++)
		top[c] = m > 0 && v[best[c] * k + c] < 0 ? -1 : 1;
	for (i = 0; i < m; i++)
		for (c = 0; c < k; c++)
			if (top[c] < 0)
				v[i * k + c] = -v[i * k + c];
	free(best);
	free(top);
}

/* ---- randomized SVD ---- */

/*
 * The SVD of the column-major l x l m (destroyed) by dgesdd: s descending,
 * u and vt column-major.  When divide and conquer does not converge (info
 * > 0, as it does on some nearly rank-deficient Gram matrices), the same
 * SVD by QR iteration (dgesvd), slower but more robust, from a copy of m
 * kept for it (dgesdd destroys m even when it fails).  Returns 0, or -1
 * with a message.
 */
static int
svd_small(double *m, size_t l, double *s, double *u, double *vt)
{
	double *keep, *superb;
	lapack_int rc;

	keep = sp_xreallocarray(NULL, l * l, sizeof *keep);
	memcpy(keep, m, l * l * sizeof *keep);
	rc = LAPACKE_dgesdd(LAPACK_COL_MAJOR, 'S', (lapack_int)l, (lapack_int)l, m,
	    (lapack_int)l, s, u, (lapack_int)l, vt, (lapack_int)l);
	if (rc > 0) {
		superb = sp_xreallocarray(NULL, l > 1 ? l - 1 : 1, sizeof *superb);
		rc = LAPACKE_dgesvd(LAPACK_COL_MAJOR, 'S', 'S', (lapack_int)l,
		    (lapack_int)l, keep, (lapack_int)l, s, u, (lapack_int)l, vt,
		    (lapack_int)l, superb);
		free(superb);
		if (rc != 0)
			sp_warn("SVD failed (LAPACK dgesdd, then dgesvd info %d)", (int)rc);
	} else if (rc != 0)
		sp_warn("SVD failed (LAPACK dgesdd info %d)", (int)rc);
	free(keep);
	return rc == 0 ? 0 : -1;
}

size_t
sp_rsvd_width(size_t n, size_t d, size_t k, size_t p)
{
	size_t mn = n < d ? n : d;

	/* k + p rounded up to whole vectors: the kernels' scalar tail is slow. */
	return sp_la_ld(k + p) < mn ? sp_la_ld(k + p) : mn;
}

/*
 * The test matrix holds what gsl_ran_gaussian(rng, 1.0) draws from GSL's
 * gsl_rng_mt19937 seeded by gsl_rng_set(rng, seed), to the bit, in two
 * passes.  GSL's polar Box-Muller method takes uniform points of the
 * square (each coordinate gsl_rng_uniform_pos: a 32-bit draw, not 0, over
 * 2^32) until one falls inside the unit circle, then returns
 * y sqrt(-2 log(r2) / r2).  The points, the serial part, are drawn first
 * in stream order by the generator below, inline (through GSL's function
 * pointers they cost 20 ns each); the logarithms and roots then run on
 * the threads.  tests/unit/test_linalg.c checks the matrix against GSL's
 * own draws.
 */
struct mt19937 {
	uint32_t mt[624];
	int i;
};

/* GSL's mt_set: Matsumoto and Nishimura's 2002 seeding, seed 0 taken as 4357. */
static void
mt_seed(struct mt19937 *g, unsigned long seed)
{
	int i;

	if (seed == 0)
		seed = 4357;
	g->mt[0] = (uint32_t)(seed & 0xffffffffUL);
	for (i = 1; i < 624; i++)
		g->mt[i] = 1812433253U * (g->mt[i - 1] ^ (g->mt[i - 1] >> 30)) + (uint32_t)i;
	g->i = 624;
}

static inline uint32_t
mt_next(struct mt19937 *g)
{
	uint32_t y;
	int k;

#define MT_TWIST(k, k1, km) (y = (g->mt[k] & 0x80000000U) | (g->mt[k1] & 0x7fffffffU), \
	g->mt[k] = g->mt[km] ^ (y >> 1) ^ (-(y & 1) & 0x9908b0dfU))
	if (g->i >= 624) {
		for (k = 0; k < 624 - 397; k++)
			MT_TWIST(k, k + 1, k + 397);
		for (; k < 623; k++)
			MT_TWIST(k, k + 1, k + 397 - 624);
		MT_TWIST(623, 0, 396);
		g->i = 0;
	}
#undef MT_TWIST
	y = g->mt[g->i++];
	y ^= y >> 11;
	y ^= (y << 7) & 0x9d2c5680U;
	y ^= (y << 15) & 0xefc60000U;
	y ^= y >> 18;
	return y;
}

/* gsl_rng_uniform_pos */
static inline double
mt_uniform_pos(struct mt19937 *g)
{
	uint32_t k;

	while ((k = mt_next(g)) == 0)
		;
	return k / 4294967296.0;
}

/* The rows drawn at a time: the points wait in 2 doubles each, not the whole matrix's. */
#define DRAW_ROWS 4096

struct draw_args {
	double *y, *r2;	/* the block's accepted points: y and x^2 + y^2 */
	float *z;	/* the block's first row */
	size_t d, l, ld;	/* d: the block's rows */
};

static void
draw_part(void *p, int t, int nt)
{
	const struct draw_args *a = p;
	size_t j0 = a->d * (size_t)t / (size_t)nt, j1 = a->d * (size_t)(t + 1) / (size_t)nt;
	size_t j, c, i;

	for (j = j0; j < j1; j++)
		for (c = 0; c < a->l; c++) {
			i = j * a->l + c;
			/* gsl_ran_gaussian's expression, sigma 1 */
			a->z[j * a->ld + c] = (float)(1.0 * a->y[i] * sqrt(-2.0 * log(a->r2[i]) / a->r2[i]));
		}
}

float *
sp_rsvd_draw(size_t d, size_t l, unsigned long seed)
{
	size_t ld = sp_la_ld(l), i, j0, nb = d < DRAW_ROWS ? d : DRAW_ROWS;
	float *z = sp_la_alloc(d * ld, sizeof *z);
	struct draw_args a = { NULL, NULL, z, 0, l, ld };
	struct mt19937 g;
	double x, y, r2;
	int nt;

	/* Drawn row by row (independent of ld), a block of rows at a time. */
	mt_seed(&g, seed);
	a.y = sp_xreallocarray(NULL, nb * l + 1, sizeof *a.y);
	a.r2 = sp_xreallocarray(NULL, nb * l + 1, sizeof *a.r2);
	for (j0 = 0; j0 < d; j0 += a.d) {
		a.d = d - j0 < DRAW_ROWS ? d - j0 : DRAW_ROWS;
		a.z = z + j0 * ld;
		for (i = 0; i < a.d * l; i++) {
			do {
				x = -1 + 2 * mt_uniform_pos(&g);
				y = -1 + 2 * mt_uniform_pos(&g);
				r2 = x * x + y * y;
			} while (r2 > 1.0 || r2 == 0);
			a.y[i] = y;
			a.r2[i] = r2;
		}
		nt = sp_la_threads();
		if ((size_t)nt > a.d)
			nt = (int)a.d;
		sp_la_parallel(draw_part, &a, nt);
	}
	free(a.y);
	free(a.r2);
	return z;
}

/* The thin SVD's last products, over the chunks of the d rows (see sp_rsvd). */
struct tail {
	const double *q, *c, *u;	/* Qc and c (d x l), Ur (l x l) */
	double *v;			/* V (d x k) */
	size_t l, k;
};

/* The chunk's part of Qc^T c. */
static void
tail_rc(const struct chunks *c, size_t i0, size_t nb, double *part)
{
	const struct tail *t = c->arg;

	cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, (blasint)t->l,
	    (blasint)t->l, (blasint)nb, 1.0, t->q + i0 * t->l, (blasint)t->l,
	    t->c + i0 * t->l, (blasint)t->l, 0.0, part, (blasint)t->l);
}

/* The chunk's rows of V = Qc Ur, its first k columns. */
static void
tail_v(const struct chunks *c, size_t i0, size_t nb, double *part)
{
	const struct tail *t = c->arg;

	(void)part;
	cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (blasint)nb,
	    (blasint)t->k, (blasint)t->l, 1.0, t->q + i0 * t->l, (blasint)t->l, t->u,
	    (blasint)t->l, 0.0, t->v + i0 * t->k, (blasint)t->k);
}

int
sp_rsvd(struct sp_csr *a, const struct sp_rsvd_opts *o, double *sigma, double *v)
{
	size_t n = a->rows, d = a->cols, k = o->k, mn = n < d ? n : d;
	size_t l = sp_rsvd_width(n, d, k, o->p);
	size_t ld = sp_la_ld(l), j, c, it;
	float *z = o->z, *y = NULL;
	double *g = NULL, *s2 = NULL, *e = NULL, *et = NULL, *wd = NULL, *f = NULL;
	struct orth ow;
	struct tail tl;
	struct chunks ch;
	int ret = -1, ob;

	if (k == 0 || k > mn || d > INT_MAX / 2 || n > INT_MAX / 2) {
		sp_warn("randomized SVD: bad sizes (k %zu, %zu x %zu)", k, n, d);
		free(z);
		return -1;
	}
	/* OpenBLAS's own threads only slow down these thin products. */
	ob = sp_blas_threads(1);
	if (z == NULL)
		z = sp_rsvd_draw(d, l, o->seed);
	/* y is written whole (l columns) by each product before it is read. */
	if ((y = o->y) != NULL && ld != l)
		memset(y, 0, n * ld * sizeof *y);
	else if (y == NULL)
		y = ld == l ? sp_la_alloc_raw(n * ld, sizeof *y) : sp_la_alloc(n * ld, sizeof *y);
	/* One work space for every orthonormalisation of the d x l side. */
	orth_init(&ow, d, l);

	/*
	 * Power iterations: z <- orth(A^T A z), q times.  Orthonormalising the
	 * cols x l side is cheap (cols is the small dimension of an encoded
	 * matrix) and keeps the columns from collapsing onto the top singular
	 * vector.  The final span is that of Halko's (A A^T)^q A Omega seen
	 * from the row side.
	 */
	ow.in = z;
	ow.out = z;
	ow.ld = ld;
	for (it = 0; it < o->q; it++) {
		sp_csr_mm(a, z, ld, l, y, ld);
		sp_csr_tmm(a, y, ld, l, z, ld);
		if (orth_run(&ow) != 0)
			goto out;
	}
	if (o->q == 0 && orth_run(&ow) != 0)
		goto out;

	/*
	 * Halko's last step: Q = orth(A z), B = Q^T A, A ~ Q B = (Q U_B) S V^T.
	 * With y = A z and its Gram matrix y^T y = E Sy^2 E^T (formed in
	 * double, so the smaller values keep their accuracy), Q = y E Sy^-1
	 * and B^T = A^T y E Sy^-1 = c, whose thin SVD c = V S U_B^T gives V and
	 * S.  Directions where y is numerically rank-deficient (Sy below 1e-6
	 * of the largest) carry nothing and are dropped.  Using B rather than
	 * A z takes the range one half-iteration further for the price of one
	 * more product with A^T.
	 */
	sp_csr_mm(a, z, ld, l, y, ld);
	g = sp_xreallocarray(NULL, l * l, sizeof *g);
	sp_gram(y, n, l, ld, g);
	s2 = sp_xreallocarray(NULL, l, sizeof *s2);
	e = sp_xreallocarray(NULL, l * l, sizeof *e);
	et = sp_xreallocarray(NULL, l * l, sizeof *et);
	if (svd_small(g, l, s2, e, et) != 0)
		goto out;
	free(z);
	z = NULL;
	/* A^T y sums up to rows terms per entry: it is accumulated in double. */
	wd = sp_la_alloc_raw(d * l, sizeof *wd);	/* tmm_d zeroes its rows */
	sp_csr_tmm_d(a, y, ld, l, wd, l);
	if (y != o->y)
		free(y);
	y = NULL;
	/* F = E Sy^-1, row-major (e holds E column-major). */
	f = sp_xreallocarray(NULL, l * l, sizeof *f);
	for (j = 0; j < l; j++)
		for (c = 0; c < l; c++)
			f[j * l + c] = s2[c] > 1e-12 * s2[0] ? e[c * l + j] / sqrt(s2[c]) : 0;
	/*
	 * The thin SVD of c = W F (W = A^T y, d x l): c = Qc Rc (CholeskyQR2,
	 * forming c chunk by chunk as it starts, and leaving it in wd), Rc =
	 * Ur S Vr^T, V = Qc Ur.
	 */
	ow.in = NULL;
	ow.out = NULL;
	ow.src = wd;
	ow.f = f;
	if (orth_run(&ow) != 0)
		goto out;
	tl = (struct tail){ ow.w, wd, NULL, v, l, k };
	ch = (struct chunks){ tail_rc, &tl, d, ORTH_ROWS, l, ow.part, 0, 0 };
	chunks_run(&ch, g, 0);
	/*
	 * g holds Rc row-major, that is Rc^T column-major, whose SVD Vr S Ur^T
	 * dgesdd gives as u = Vr and vt = Ur^T column-major: Ur row-major.
	 */
	if (svd_small(g, l, s2, e, et) != 0)
		goto out;
	for (c = 0; c < k; c++)
		sigma[c] = s2[c];
	tl.u = et;
	ch.fn = tail_v;
	chunks_run(&ch, NULL, 0);
	sp_sign_flip(v, d, k);
	ret = 0;
out:
	sp_blas_threads(ob);
	orth_free(&ow);
	free(z);
	if (y != o->y)
		free(y);
	free(wd);
	free(f);
	free(g);
	free(s2);
	free(e);
	free(et);
	return ret;
}


__attribute__((target_clones("arch=x86-64-v3", "default"))) float
sp_dotf(const float *a, const float *b, int n)
{
	v8sf s0 = { 0 }, s1 = { 0 }, x, y;
	float t = 0;
	int i = 0;

	for (; i + 16 <= n; i += 16) {
		memcpy(&x, a + i, sizeof x);
		memcpy(&y, b + i, sizeof y);
		s0 += x * y;
		memcpy(&x, a + i + 8, sizeof x);
		memcpy(&y, b + i + 8, sizeof y);
		s1 += x * y;
	}
	for (; i + 8 <= n; i += 8) {
		memcpy(&x, a + i, sizeof x);
		memcpy(&y, b + i, sizeof y);
		s0 += x * y;
	}
	for (; i < n; i++)
		t += a[i] * b[i];
	s0 += s1;
	for (int j = 0; j < 8; j++)
		t += s0[j];
	return t;
}
