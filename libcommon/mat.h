/* mat.h: the sp matrix file (schemas/matrix.md): sparse CSR or dense. */
#ifndef SP_MAT_H
#define SP_MAT_H

#include <stdint.h>
#include <stdio.h>

#define SP_MAT_MAGIC "SPMAT\r\n\032"
#define SP_MAT_VERSION 1
#define SP_MAT_HEADER_SIZE 64

enum sp_mat_layout { SP_MAT_CSR = 1, SP_MAT_DENSE = 2 };
enum sp_mat_dtype { SP_MAT_F32 = 1, SP_MAT_F64 = 2 };

/*
 * An in-memory matrix.  Every pointer is owned by the struct and freed by
 * sp_mat_free.  For CSR: indptr[rows + 1], indices[nnz], values[nnz].  For
 * dense: values[rows * cols], row-major, and indptr/indices are NULL.
 * values points to float (SP_MAT_F32) or double (SP_MAT_F64).
 *
 * labels, when not NULL, is NDJSON: exactly rows lines, one JSON object per
 * row; label_off[i] is the offset of row i's line and label_off[rows] ==
 * labels_len.  colnames, when not NULL, is exactly cols lines, one JSON
 * string per column, indexed by colname_off the same way.
 */
struct sp_mat {
	int layout, dtype;
	uint64_t rows, cols, nnz;
	uint64_t *indptr;
	uint32_t *indices;
	void *values;
	char *labels;
	size_t labels_len;
	uint64_t *label_off;
	char *colnames;
	size_t colnames_len;
	uint64_t *colname_off;
};

/*
 * sp_mat_read: reads one matrix from fp (a file or a pipe; no seeking).
 * name is used in messages.  Every size in the header is checked against
 * the file size (for regular files) before anything is allocated, and
 * against the data actually read (for pipes, memory grows only as data
 * arrives).  On error prints "prog: name: reason" and returns -1 with m
 * zeroed; on success m owns everything (sp_mat_free).
 */
int sp_mat_read(FILE *fp, const char *name, struct sp_mat *m);
/*
 * sp_mat_read_hook: sp_mat_read, calling hook(m, arg) (when not NULL) once
 * the header is read and checked, before the data: m's layout, dtype,
 * rows and cols are set.  sp-svd starts drawing its test matrix there.
 */
typedef void sp_mat_hook(const struct sp_mat *m, void *arg);
int sp_mat_read_hook(FILE *fp, const char *name, struct sp_mat *m, sp_mat_hook *hook,
    void *arg);
int sp_mat_load_hook(const char *path, struct sp_mat *m, sp_mat_hook *hook, void *arg);
/* sp_mat_load: sp_mat_read of path ("-" or NULL for stdin). */
int sp_mat_load(const char *path, struct sp_mat *m);

/*
 * sp_mat_write: writes m to fp, sequentially.  Returns 0, or -1 with errno
 * set on a write error.  m is not modified.
 */
int sp_mat_write(FILE *fp, const struct sp_mat *m);

void sp_mat_free(struct sp_mat *m);

/*
 * sp_mtx_read: reads a Matrix Market file (coordinate or array; real,
 * integer, double or pattern; general or symmetric) from r into m, in
 * layout want_layout (0: CSR for coordinate, dense for array) and dtype;
 * duplicate entries are summed.  Bad data prints "prog: name:line:
 * reason" and exits 1.  m then owns everything (sp_mat_free); r stays the
 * caller's.
 */
struct sp_lines;
void sp_mtx_read(struct sp_lines *r, int want_layout, int dtype, struct sp_mat *m);

/*
 * sp_mat_set_labels: takes ownership of buf (NDJSON, rows lines) and builds
 * label_off.  Returns -1 (buf freed) if the line count is not m->rows.
 * sp_mat_set_colnames does the same for colnames and m->cols.
 */
int sp_mat_set_labels(struct sp_mat *m, char *buf, size_t len);
int sp_mat_set_colnames(struct sp_mat *m, char *buf, size_t len);

/* Row i's label line (without newline) and its length; NULL if none.  Both
 * this and sp_mat_colname point into m: valid until sp_mat_free. */
const char *sp_mat_label(const struct sp_mat *m, uint64_t i, size_t *len);
/* Column j's name line (a JSON string literal); NULL if none. */
const char *sp_mat_colname(const struct sp_mat *m, uint64_t j, size_t *len);

/* The k-th stored value as a double, whatever the dtype. */
double sp_mat_value(const struct sp_mat *m, uint64_t k);
/* Converts values to dtype in place (no-op if already). */
void sp_mat_convert(struct sp_mat *m, int dtype);

const char *sp_mat_layout_name(int layout);
const char *sp_mat_dtype_name(int dtype);
size_t sp_mat_dtype_size(int dtype);

#endif
