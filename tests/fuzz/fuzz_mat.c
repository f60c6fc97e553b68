/* fuzz_mat.c: mat.c's reader of sp matrix files, from a pipe-like stream and from a regular file. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mat.h"
#include "fuzz.h"

/* What schemas/matrix.md says a reader checks, checked on what it accepted. */
static void
check(const struct sp_mat *m)
{
	uint64_t i, k, lim = m->rows < 65536 ? m->rows : 65536;
	volatile double sum = 0;
	size_t len;

	if (m->layout == SP_MAT_CSR) {
		if (m->indptr[0] != 0 || m->indptr[m->rows] != m->nnz)
			abort();
		for (i = 0; i < m->rows; i++)
			if (m->indptr[i] > m->indptr[i + 1])
				abort();
		for (k = 0; k < m->nnz; k++)
			if (m->indices[k] >= m->cols)
				abort();
	} else if (m->layout != SP_MAT_DENSE) {
		abort();
	}
	for (k = 0; k < m->nnz && k < ((uint64_t)1 << 20); k++)
		sum += sp_mat_value(m, k);
	(void)sum;
	for (i = 0; i < lim; i++)
		if (m->labels != NULL && (sp_mat_label(m, i, &len) == NULL ||
		    memchr(sp_mat_label(m, i, &len), '\n', len) != NULL))
			abort();
	for (i = 0; i < m->cols && i < 65536; i++)
		if (m->colnames != NULL && sp_mat_colname(m, i, &len) == NULL)
			abort();
}

/*
 * The input is one matrix file.  It is read twice: through a stream
 * without a size (a pipe: memory grows as data arrives) and as a regular
 * file (sizes checked against the file's before any allocation).  Both
 * must agree, and what they accept must hold the documented invariants
 * and write back.
 */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *null;
	struct sp_mat a, b;
	FILE *fp;
	int ra, rb, fd;

	if (null == NULL && (null = fopen("/dev/null", "w")) == NULL)
		abort();
	if (size == 0)
		return 0;
	if ((fp = fmemopen((void *)data, size, "r")) == NULL)
		abort();
	ra = sp_mat_read(fp, "fuzz", &a);
	fclose(fp);
	if ((fp = fopen(sp_fuzz_memfile(data, size, &fd), "r")) == NULL)
		abort();
	rb = sp_mat_read(fp, "fuzz", &b);
	fclose(fp);
	close(fd);
	if (ra != rb) {
		fprintf(stderr, "fuzz: the stream read gives %d, the file read %d\n", ra, rb);
		abort();
	}
	if (ra == 0) {
		check(&a);
		if (a.rows != b.rows || a.cols != b.cols || a.nnz != b.nnz)
			abort();
		if (a.rows < 65536 && sp_mat_write(null, &a) != 0)
			abort();
		sp_mat_convert(&b, b.dtype == SP_MAT_F32 ? SP_MAT_F64 : SP_MAT_F32);
		sp_mat_free(&a);
		sp_mat_free(&b);
	}
	return 0;
}
