/* test_mat.c: unit tests of the matrix file reader and writer. */
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>

#include "diag.h"
#include "mat.h"
#include "unit.h"

/* A 3x4 CSR matrix with labels and column names. */
static void
make_csr(struct sp_mat *m)
{
	static const uint64_t indptr[] = { 0, 2, 2, 3 };
	static const uint32_t indices[] = { 0, 2, 3 };
	static const float values[] = { 1.5f, 2.0f, -1.0f };
	const char *lab = "{\"id\":\"a\"}\n{\"id\":\"b\"}\n{\"id\":\"c\"}\n";
	const char *col = "\"w\"\n\"x\"\n\"y\"\n\"z\"\n";

	memset(m, 0, sizeof *m);
	m->layout = SP_MAT_CSR;
	m->dtype = SP_MAT_F32;
	m->rows = 3;
	m->cols = 4;
	m->nnz = 3;
	m->indptr = memcpy(sp_xmalloc(sizeof indptr), indptr, sizeof indptr);
	m->indices = memcpy(sp_xmalloc(sizeof indices), indices, sizeof indices);
	m->values = memcpy(sp_xmalloc(sizeof values), values, sizeof values);
	sp_mat_set_labels(m, sp_xstrdup(lab), strlen(lab));
	sp_mat_set_colnames(m, sp_xstrdup(col), strlen(col));
}

/* Sends stderr to /dev/null; the caller restores it from a saved dup. */
static void
quiet(void)
{
	int fd = open("/dev/null", O_WRONLY);

	fflush(stderr);
	dup2(fd, 2);
	close(fd);
}

/* Writes m to a memory buffer; returns it (caller frees) and its size. */
static char *
to_bytes(const struct sp_mat *m, size_t *len)
{
	char *buf = NULL;
	FILE *fp = open_memstream(&buf, len);

	sp_mat_write(fp, m);
	fclose(fp);
	return buf;
}

static void
test_roundtrip_csr(void)
{
	struct sp_mat a, b;
	size_t len, l;
	char *bytes;
	FILE *fp;

	make_csr(&a);
	bytes = to_bytes(&a, &len);
	CHECK(len % 8 == 0);
	fp = fmemopen(bytes, len, "r");
	CHECK(sp_mat_read(fp, "mem", &b) == 0);
	fclose(fp);
	CHECK(b.rows == 3 && b.cols == 4 && b.nnz == 3);
	CHECK(b.indptr[3] == 3 && b.indices[2] == 3);
	CHECK(((float *)b.values)[0] == 1.5f);
	const char *s = sp_mat_label(&b, 1, &l);
	CHECK(l == 10 && strncmp(s, "{\"id\":\"b\"}", l) == 0);
	s = sp_mat_colname(&b, 3, &l);
	CHECK(l == 3 && strncmp(s, "\"z\"", l) == 0);
	sp_mat_free(&a);
	sp_mat_free(&b);
	free(bytes);
}

static void
test_roundtrip_dense_f64(void)
{
	struct sp_mat a, b;
	size_t len;
	char *bytes;
	FILE *fp;

	memset(&a, 0, sizeof a);
	a.layout = SP_MAT_DENSE;
	a.dtype = SP_MAT_F64;
	a.rows = 2;
	a.cols = 3;
	a.values = sp_xcalloc(6, sizeof(double));
	((double *)a.values)[5] = 0.25;
	bytes = to_bytes(&a, &len);
	CHECK(len == 64 + 48);
	fp = fmemopen(bytes, len, "r");
	CHECK(sp_mat_read(fp, "mem", &b) == 0);
	fclose(fp);
	CHECK(b.layout == SP_MAT_DENSE && b.dtype == SP_MAT_F64);
	CHECK(sp_mat_value(&b, 5) == 0.25);
	CHECK(b.labels == NULL && b.colnames == NULL);
	sp_mat_convert(&b, SP_MAT_F32);
	CHECK(((float *)b.values)[5] == 0.25f);
	sp_mat_free(&a);
	sp_mat_free(&b);
	free(bytes);
}

/* Every truncation of a valid file is an error, never a crash. */
static void
test_truncated(void)
{
	struct sp_mat a, b;
	size_t len, cut;
	char *bytes;
	FILE *fp;
	int saved = dup(2);

	make_csr(&a);
	bytes = to_bytes(&a, &len);
	quiet();
	for (cut = 0; cut < len; cut++) {
		fp = fmemopen(bytes, cut ? cut : 1, "r");
		if (cut == 0)
			fgetc(fp);
		int rc = sp_mat_read(fp, "mem", &b);
		fclose(fp);
		if (rc == 0) {
			fflush(stderr), dup2(saved, 2);
			printf("# accepted a file cut at %zu of %zu bytes\n", cut, len);
			CHECK(rc != 0);
		}
	}
	fflush(stderr), dup2(saved, 2);
	sp_mat_free(&a);
	free(bytes);
}

static void
test_bad_header(void)
{
	struct sp_mat a, b;
	size_t len;
	char *bytes;
	FILE *fp;
	int saved = dup(2);

	make_csr(&a);
	bytes = to_bytes(&a, &len);
	quiet();
	bytes[8] = 2;		/* a future version */
	fp = fmemopen(bytes, len, "r");
	CHECK(sp_mat_read(fp, "mem", &b) != 0);
	fclose(fp);
	bytes[8] = 1;
	memset(bytes + 24, 0xff, 8);	/* absurd row count */
	fp = fmemopen(bytes, len, "r");
	CHECK(sp_mat_read(fp, "mem", &b) != 0);
	fclose(fp);
	fflush(stderr), dup2(saved, 2);
	sp_mat_free(&a);
	free(bytes);
}

static void
test_labels_count(void)
{
	struct sp_mat m;

	memset(&m, 0, sizeof m);
	m.rows = 2;
	CHECK(sp_mat_set_labels(&m, sp_xstrdup("{}\n"), 3) != 0);
	CHECK(sp_mat_set_labels(&m, sp_xstrdup("{}\n{}\n{}\n"), 9) != 0);
	CHECK(sp_mat_set_labels(&m, sp_xstrdup("{}\n{}"), 5) != 0);
	CHECK(sp_mat_set_labels(&m, sp_xstrdup("{}\n{}\n"), 6) == 0);
	sp_mat_free(&m);
}

int
main(void)
{
	sp_init("test_mat");
	RUN(test_roundtrip_csr);
	RUN(test_roundtrip_dense_f64);
	RUN(test_truncated);
	RUN(test_bad_header);
	RUN(test_labels_count);
	return unit_failed != 0;
}
