/* fuzz_mtx.c: Matrix Market input (mat.c's sp_mtx_read, as sp-mat from-mtx reads it). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mat.h"
#include "ndjson.h"
#include "fuzz.h"

/*
 * libfuzzer: -detect_leaks=0
 * The first byte picks the layout and dtype; the rest is the file.  Bad
 * data ends the tool with status 1 (sp_die): the guard catches it.  What
 * is accepted is written as an sp matrix and must read back the same.
 */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct sp_lines r;
	static FILE *fp;
	static struct sp_mat m;
	struct sp_mat back;
	char *buf = NULL;
	size_t len = 0;
	FILE *mem;
	int st, layout, dtype;

	if (size < 1)
		return 0;
	layout = data[0] % 3;	/* 0: as the file says */
	dtype = data[0] & 4 ? SP_MAT_F64 : SP_MAT_F32;
	if ((fp = fmemopen((void *)(data + 1), size - 1 ? size - 1 : 1, "r")) == NULL)
		abort();
	if (size == 1)
		fgetc(fp);
	sp_lines_init(&r, fp, "fuzz");
	memset(&m, 0, sizeof m);
	if ((st = SP_FUZZ_TRY()) == 0)
		sp_mtx_read(&r, layout, dtype, &m);
	sp_fuzz_done(st, 1u << 1);
	sp_lines_close(&r);
	fclose(fp);
	if (st != 0)
		return 0;
	if ((mem = open_memstream(&buf, &len)) == NULL)
		abort();
	if (sp_mat_write(mem, &m) != 0)
		abort();
	fclose(mem);
	if ((mem = fmemopen(buf, len, "r")) == NULL)
		abort();
	if (sp_mat_read(mem, "fuzz", &back) != 0) {
		fprintf(stderr, "fuzz: what sp_mtx_read built does not read back\n");
		abort();
	}
	fclose(mem);
	if (back.rows != m.rows || back.cols != m.cols || back.nnz != m.nnz ||
	    back.layout != m.layout || back.dtype != m.dtype)
		abort();
	sp_mat_free(&back);
	sp_mat_free(&m);
	free(buf);
	return 0;
}
