/* linalg.h: sparse x dense products, orthonormalisation and the randomized SVD. */
#ifndef SP_LINALG_H
#define SP_LINALG_H

#include <stddef.h>
#include <stdint.h>

#include "parallel.h"

struct sp_mat;

/*
 * A CSR matrix with float values, the form every product below takes.
 * Row i's entries are indices[k], values[k] for indptr[i] <= k < indptr[i+1],
 * with indices ascending within a row.
 * The arrays are owned by the struct (sp_csr_free); split is a private
 * cache of the column ranges that balance sp_csr_tmm across threads.
 */
struct sp_csr {
	size_t rows, cols, nnz;
	uint64_t *indptr;
	uint32_t *indices;
	float *values;
	size_t *split;
	int nsplit;
};

/*
 * sp_csr_from_mat: moves m's data into a (m keeps its labels and column
 * names; its indptr, indices and values are taken or freed).  A CSR matrix
 * is converted to float32 in place and its rows sorted by column if they
 * are not; a dense one is converted to CSR, keeping its non-zero values.
 * m stays valid for sp_mat_free.
 */
void sp_csr_from_mat(struct sp_mat *m, struct sp_csr *a);
void sp_csr_free(struct sp_csr *a);

/*
 * sp_la_alloc: n floats (or n * 4 bytes), zeroed, 64-byte aligned (2 MB
 * aligned and advised for transparent huge pages from 2 MB on); dies on
 * failure.  Free with free().  sp_la_ld rounds a row length up to a
 * multiple of 16 floats, so that rows of a matrix stay cache-line aligned.
 * sp_la_alloc_raw: the same, not zeroed, for a buffer the caller writes
 * whole before reading it (zeroing tens of megabytes that are overwritten
 * anyway costs page faults and a pass over memory).
 */
void *sp_la_alloc(size_t n, size_t elsize);

/* sp_dotf: the dot product of two float vectors of n, formed in float. */
float sp_dotf(const float *a, const float *b, int n);
void *sp_la_alloc_raw(size_t n, size_t elsize);
size_t sp_la_ld(size_t l);

/*
 * Dense matrices below are row-major float with a row stride (ld >= l).
 * sp_csr_mm:  y (a->rows x l) = A z, with z (a->cols x l).
 * sp_csr_tmm: z (a->cols x l) = A^T y, with y (a->rows x l); the transpose
 * is never formed: each thread owns a range of output rows and scans A.
 * Each output column is computed independently of l, so the first c
 * columns of a product do not depend on how many columns follow them.
 */
void sp_csr_mm(const struct sp_csr *a, const float *z, size_t ldz, size_t l,
    float *y, size_t ldy);
void sp_csr_tmm(struct sp_csr *a, const float *y, size_t ldy, size_t l,
    float *z, size_t ldz);
/* sp_csr_tmm with z in double, every term formed and summed in double. */
void sp_csr_tmm_d(struct sp_csr *a, const float *y, size_t ldy, size_t l,
    double *z, size_t ldz);

/*
 * sp_orth: replaces the columns of a (m x l, stride lda, m >= l) by an
 * orthonormal basis of their span, computed in double: CholeskyQR2 (dsyrk,
 * dpotrf, dtrtri, dtrmm, twice; the row-wise parts on the sparse products'
 * threads, over fixed chunks of rows, so the result does not depend on the
 * thread count), or Householder QR (dgeqrf, dorgqr) when the columns are
 * too close to dependent for it.  Returns 0, or -1 if LAPACK fails
 * (message printed).
 */
int sp_orth(float *a, size_t m, size_t l, size_t lda);

/*
 * sp_gram: g (l x l, double, both triangles) = y^T y, y being n x l,
 * summed in double.
 */
void sp_gram(const float *y, size_t n, size_t l, size_t ldy, double *g);

/*
 * Variances as scikit-learn computes them (population variance, ddof 0).
 * sp_col_var: of each of the k columns of the dense e (n x k, stride lde).
 * sp_csr_total_var: the sum over all columns of A of their variances,
 * from the stored entries (A is never densified).
 */
void sp_col_var(const float *e, size_t n, size_t k, size_t lde, double *var);
double sp_csr_total_var(const struct sp_csr *a);

/*
 * sp_rows_normalize: scales each row of a (n x k, stride lda) to unit L2
 * norm (the norm is summed in double).  Rows of norm 0 are left as they
 * are; returns how many there were.
 */
size_t sp_rows_normalize(float *a, size_t n, size_t k, size_t lda);

/*
 * sp_rsvd: the top k singular values and right singular vectors of A by
 * the randomized range finder of Halko, Martinsson and Tropp (2011): a
 * Gaussian test matrix Z (cols x l; GSL mt19937 seeded with seed), l = k + p
 * rounded up to a multiple of 16 (at most min(rows, cols)); q power
 * iterations Z <- orth(A^T A Z); then
 * Halko's last step: Q = orth(A Z), the SVD of B = Q^T A (Q and B are
 * formed through the Gram matrix of A Z, in double; the final SVD is
 * dgesdd's, or dgesvd's when dgesdd does not converge).  The range is
 * that of Halko's (A A^T)^q A Omega.  Requires 1 <= k <= min(rows,
 * cols).  sigma receives k values, descending; v (cols x k, row-major
 * double) the right singular vectors, each column's sign chosen so that
 * its largest |entry| (the first, on ties) is positive.  Returns 0, or -1 (message printed) if LAPACK fails.
 * Deterministic for a given seed, whatever the thread count.
 */
struct sp_rsvd_opts {
	size_t k, p, q;
	unsigned long seed;
	float *z;	/* NULL, or the test matrix drawn already (see below) */
	/*
	 * NULL, or a work buffer of rows x sp_la_ld(l) floats from
	 * sp_la_alloc_raw that stays the caller's (its contents undefined on
	 * return): sp-svd writes the embedding into it afterwards, sparing a
	 * second buffer of that size and its page faults.
	 */
	float *y;
};
int sp_rsvd(struct sp_csr *a, const struct sp_rsvd_opts *o, double *sigma, double *v);

/*
 * sp_rsvd_width: l, the test matrix's columns, for A of n x d and k, p.
 * sp_rsvd_draw: the test matrix sp_rsvd draws (d x l, row stride
 * sp_la_ld(l), padding zero) for seed.  Drawn beforehand (while A is
 * read, say) and passed in o->z, sp_rsvd takes it over (frees it) and
 * gives the same results as drawing it itself.
 */
size_t sp_rsvd_width(size_t n, size_t d, size_t k, size_t p);
float *sp_rsvd_draw(size_t d, size_t l, unsigned long seed);

/*
 * sp_sign_flip: flips the sign of each of the k columns of v (m x k,
 * row-major double) so that its largest |entry| (the first, on ties) is
 * positive.
 */
void sp_sign_flip(double *v, size_t m, size_t k);

#endif
