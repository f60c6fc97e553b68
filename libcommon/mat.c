/* mat.c: reading and writing the sp matrix file through pipes or files. */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "diag.h"
#include "mat.h"
#include "ndjson.h"

#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "mat.c reads and writes arrays in host order and assumes little-endian"
#endif

#define PAD8(n) (((n) + 7) & ~(uint64_t)7)
#define BOM 0x01020304u

static void
put32(unsigned char *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static void
put64(unsigned char *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static uint32_t
get32(const unsigned char *p)
{
	uint32_t v = 0;

	for (int i = 3; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static uint64_t
get64(const unsigned char *p)
{
	uint64_t v = 0;

	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

size_t
sp_mat_dtype_size(int dtype)
{
	return dtype == SP_MAT_F64 ? 8 : 4;
}

const char *
sp_mat_layout_name(int layout)
{
	return layout == SP_MAT_CSR ? "csr" : layout == SP_MAT_DENSE ? "dense" : "?";
}

const char *
sp_mat_dtype_name(int dtype)
{
	return dtype == SP_MAT_F32 ? "float32" : dtype == SP_MAT_F64 ? "float64" : "?";
}

void
sp_mat_free(struct sp_mat *m)
{
	free(m->indptr);
	free(m->indices);
	free(m->values);
	free(m->labels);
	free(m->label_off);
	free(m->colnames);
	free(m->colname_off);
	memset(m, 0, sizeof *m);
}

/* Offsets of n newline-terminated lines in buf; NULL if the count differs. */
static uint64_t *
index_lines(const char *buf, size_t len, uint64_t n)
{
	uint64_t *off, k = 0;
	const char *p, *end = buf + len;

	if (len == 0 || buf[len - 1] != '\n')
		return NULL;
	/* Counted first: n comes from a header, the lines from the data. */
	for (p = buf; (p = memchr(p, '\n', (size_t)(end - p))) != NULL; p++)
		k++;
	if (k != n)
		return NULL;
	off = sp_xreallocarray(NULL, n + 1, sizeof *off);
	off[0] = 0;
	for (p = buf, k = 0; (p = memchr(p, '\n', (size_t)(end - p))) != NULL; p++)
		off[++k] = (uint64_t)(p - buf) + 1;
	return off;
}

int
sp_mat_set_labels(struct sp_mat *m, char *buf, size_t len)
{
	free(m->labels);
	free(m->label_off);
	m->labels = NULL;
	m->labels_len = 0;
	if ((m->label_off = index_lines(buf, len, m->rows)) == NULL) {
		free(buf);
		return -1;
	}
	m->labels = buf;
	m->labels_len = len;
	return 0;
}

int
sp_mat_set_colnames(struct sp_mat *m, char *buf, size_t len)
{
	free(m->colnames);
	free(m->colname_off);
	m->colnames = NULL;
	m->colnames_len = 0;
	if ((m->colname_off = index_lines(buf, len, m->cols)) == NULL) {
		free(buf);
		return -1;
	}
	m->colnames = buf;
	m->colnames_len = len;
	return 0;
}

const char *
sp_mat_label(const struct sp_mat *m, uint64_t i, size_t *len)
{
	if (m->labels == NULL || i >= m->rows)
		return NULL;
	*len = m->label_off[i + 1] - m->label_off[i] - 1;
	return m->labels + m->label_off[i];
}

const char *
sp_mat_colname(const struct sp_mat *m, uint64_t j, size_t *len)
{
	if (m->colnames == NULL || j >= m->cols)
		return NULL;
	*len = m->colname_off[j + 1] - m->colname_off[j] - 1;
	return m->colnames + m->colname_off[j];
}

double
sp_mat_value(const struct sp_mat *m, uint64_t k)
{
	return m->dtype == SP_MAT_F64 ? ((double *)m->values)[k] : ((float *)m->values)[k];
}

void
sp_mat_convert(struct sp_mat *m, int dtype)
{
	uint64_t n = m->layout == SP_MAT_CSR ? m->nnz : m->rows * m->cols, k;
	void *v;

	if (m->dtype == dtype)
		return;
	v = sp_xreallocarray(NULL, n, sp_mat_dtype_size(dtype));
	for (k = 0; k < n; k++) {
		if (dtype == SP_MAT_F64)
			((double *)v)[k] = ((float *)m->values)[k];
		else
			((float *)v)[k] = (float)((double *)m->values)[k];
	}
	free(m->values);
	m->values = v;
	m->dtype = dtype;
}

/* ---- writing ---- */

static int
write_all(FILE *fp, const void *p, uint64_t n)
{
	return n == 0 || fwrite(p, 1, n, fp) == n ? 0 : -1;
}

static int
write_pad(FILE *fp, uint64_t n)
{
	static const char zero[8];

	return write_all(fp, zero, PAD8(n) - n);
}

int
sp_mat_write(FILE *fp, const struct sp_mat *m)
{
	unsigned char h[SP_MAT_HEADER_SIZE];
	uint64_t nval = m->layout == SP_MAT_CSR ? m->nnz : m->rows * m->cols;
	uint64_t lab = m->labels ? m->labels_len : 0;
	uint64_t col = m->colnames ? m->colnames_len : 0;
	size_t vs = sp_mat_dtype_size(m->dtype);

	memset(h, 0, sizeof h);
	memcpy(h, SP_MAT_MAGIC, 8);
	put32(h + 8, SP_MAT_VERSION);
	put32(h + 12, BOM);
	h[16] = (unsigned char)m->layout;
	h[17] = (unsigned char)m->dtype;
	h[18] = 4;	/* column index width in bytes */
	put64(h + 24, m->rows);
	put64(h + 32, m->cols);
	put64(h + 40, nval);
	put64(h + 48, col);
	put64(h + 56, lab);
	if (write_all(fp, h, sizeof h) || write_all(fp, m->colnames, col) ||
	    write_pad(fp, col) || write_all(fp, m->labels, lab) ||
	    write_pad(fp, lab))
		return -1;
	if (m->layout == SP_MAT_CSR) {
		/* indptr and indices are written little-endian like the header. */
		if (write_all(fp, m->indptr, (m->rows + 1) * 8) ||
		    write_all(fp, m->indices, nval * 4) || write_pad(fp, nval * 4))
			return -1;
	}
	if (write_all(fp, m->values, nval * vs) || write_pad(fp, nval * vs))
		return -1;
	return fflush(fp) == 0 && !ferror(fp) ? 0 : -1;
}

/* ---- reading ---- */

struct rd {
	FILE *fp;
	const char *name;
	uint64_t left;		/* bytes known to remain (regular file), or UINT64_MAX */
};

static int
skip_pad(struct rd *r, uint64_t n, const char *what)
{
	unsigned char pad[8];
	uint64_t k = PAD8(n) - n;

	if (k == 0)
		return 0;
	if (fread(pad, 1, k, r->fp) != k) {
		sp_warn("%s: truncated after %s", r->name, what);
		return -1;
	}
	if (r->left != UINT64_MAX)
		r->left -= k;
	return 0;
}

/*
 * Reads exactly n bytes into a new buffer.  Memory grows as data arrives,
 * so a header that lies about sizes cannot force a huge allocation.
 */
static int
read_section(struct rd *r, uint64_t n, void **out, const char *what)
{
	const size_t chunk = (size_t)1 << 24;
	size_t have = 0, cap, want, got;
	char *buf;

	*out = NULL;
	if (n > r->left) {
		sp_warn("%s: truncated: the header announces %llu more bytes of %s, the file has %llu",
		    r->name, (unsigned long long)n, what, (unsigned long long)r->left);
		return -1;
	}
	/*
	 * A regular file holds the n bytes the check above found: the
	 * buffer is taken whole at once, in huge pages where it is large
	 * (a 40 MB section otherwise costs 10,000 page faults as it is read).
	 */
	cap = r->left != UINT64_MAX ? n : n < chunk ? n : chunk;
	buf = r->left != UINT64_MAX ? sp_xmalloc_huge(cap + 1) : sp_xmalloc(cap + 1);
	while (have < n) {
		want = n - have < chunk ? n - have : chunk;
		if (have + want > cap) {
			cap = have + want;
			buf = sp_xrealloc(buf, cap + 1);
		}
		got = fread(buf + have, 1, want, r->fp);
		have += got;
		if (got < want) {
			if (ferror(r->fp))
				sp_warn("%s: read error in %s: %s", r->name, what, strerror(errno));
			else
				sp_warn("%s: truncated in %s: expected %llu bytes, got %zu",
				    r->name, what, (unsigned long long)n, have);
			free(buf);
			return -1;
		}
	}
	buf[n] = '\0';
	if (r->left != UINT64_MAX)
		r->left -= n;
	if (skip_pad(r, n, what) != 0) {
		free(buf);
		return -1;
	}
	*out = buf;
	return 0;
}

static int
mul_ok(uint64_t a, uint64_t b, uint64_t *out)
{
	if (a != 0 && b > UINT64_MAX / a)
		return 0;
	*out = a * b;
	return 1;
}

/*
 * Column indices ascend strictly within each row (schemas/matrix.md): a
 * repeated index would be one cell stored twice, which readers disagree
 * on (summed, or the last wins) and which prints as a duplicate key.
 */
static int
check_ascending(const struct sp_mat *m, const char *name)
{
	uint64_t i, k;

	for (i = 0; i < m->rows; i++)
		for (k = m->indptr[i] + 1; k < m->indptr[i + 1]; k++)
			if (m->indices[k] <= m->indices[k - 1]) {
				sp_warn("%s: row %llu: column index %u %s", name,
				    (unsigned long long)i, m->indices[k],
				    m->indices[k] == m->indices[k - 1] ? "repeated" :
				    "out of order (indices ascend within a row)");
				return -1;
			}
	return 0;
}

int
sp_mat_read(FILE *fp, const char *name, struct sp_mat *m)
{
	return sp_mat_read_hook(fp, name, m, NULL, NULL);
}

int
sp_mat_read_hook(FILE *fp, const char *name, struct sp_mat *m, sp_mat_hook *hook,
    void *arg)
{
	unsigned char h[SP_MAT_HEADER_SIZE];
	struct rd r = { fp, name, UINT64_MAX };
	struct stat st;
	uint64_t nval, col, lab, need, t, i;
	size_t got, vs;
	void *p;
	long pos;

	memset(m, 0, sizeof *m);
	/* What tools allocate for the matrix follows its header's sizes. */
	sp_alloc_input(name);
	got = fread(h, 1, sizeof h, fp);
	if (got >= 8 && memcmp(h, SP_MAT_MAGIC, 8) != 0) {
		sp_warn("%s: not an sp matrix file (bad magic)", name);
		return -1;
	}
	if (got < sizeof h) {
		sp_warn("%s: truncated: %s", name, got == 0 ? "empty input" : "incomplete header");
		return -1;
	}
	if (get32(h + 8) != SP_MAT_VERSION) {
		sp_warn("%s: matrix format version %u is not supported (this tool reads version %d)",
		    name, get32(h + 8), SP_MAT_VERSION);
		return -1;
	}
	if (get32(h + 12) != BOM) {
		sp_warn("%s: unsupported byte order mark 0x%08x", name, get32(h + 12));
		return -1;
	}
	m->layout = h[16];
	m->dtype = h[17];
	if (m->layout != SP_MAT_CSR && m->layout != SP_MAT_DENSE) {
		sp_warn("%s: unknown layout %d", name, m->layout);
		goto fail;
	}
	if (m->dtype != SP_MAT_F32 && m->dtype != SP_MAT_F64) {
		sp_warn("%s: unknown dtype %d", name, m->dtype);
		goto fail;
	}
	if (h[18] != 4) {
		sp_warn("%s: unsupported index width %d", name, h[18]);
		goto fail;
	}
	m->rows = get64(h + 24);
	m->cols = get64(h + 32);
	nval = get64(h + 40);
	col = get64(h + 48);
	lab = get64(h + 56);
	vs = sp_mat_dtype_size(m->dtype);
	m->nnz = m->layout == SP_MAT_CSR ? nval : 0;

	/* The whole size the header announces, with overflow checks. */
	if (m->layout == SP_MAT_DENSE) {
		if (!mul_ok(m->rows, m->cols, &t) || t != nval) {
			sp_warn("%s: bad header: %llu x %llu dense but %llu values", name,
			    (unsigned long long)m->rows, (unsigned long long)m->cols,
			    (unsigned long long)nval);
			goto fail;
		}
		m->nnz = 0;
	} else if (m->cols > UINT32_MAX || m->rows == UINT64_MAX) {
		sp_warn("%s: bad header: dimensions too large", name);
		goto fail;
	}
	if (col > UINT64_MAX / 4 || lab > UINT64_MAX / 4 || !mul_ok(nval, vs + 4, &t) ||
	    !mul_ok(m->rows + 1, 8, &need) || t > UINT64_MAX / 4 || need > UINT64_MAX / 4) {
		sp_warn("%s: bad header: sizes overflow", name);
		goto fail;
	}
	need = PAD8(col) + PAD8(lab) + PAD8(nval * vs) +
	    (m->layout == SP_MAT_CSR ? (m->rows + 1) * 8 + PAD8(nval * 4) : 0);
	if (fstat(fileno(fp), &st) == 0 && S_ISREG(st.st_mode) &&
	    (pos = ftell(fp)) >= 0) {
		r.left = (uint64_t)st.st_size - (uint64_t)pos;
		if (need > r.left) {
			sp_warn("%s: truncated: the header announces %llu bytes of data, the file has %llu",
			    name, (unsigned long long)need, (unsigned long long)r.left);
			goto fail;
		}
	}
	if (hook != NULL)
		hook(m, arg);
	if (col > 0) {
		if (read_section(&r, col, &p, "column names"))
			goto fail;
		if (sp_mat_set_colnames(m, p, col) != 0) {
			sp_warn("%s: column names section does not hold %llu lines", name,
			    (unsigned long long)m->cols);
			goto fail;
		}
	}
	if (lab > 0) {
		if (read_section(&r, lab, &p, "row labels"))
			goto fail;
		if (sp_mat_set_labels(m, p, lab) != 0) {
			sp_warn("%s: row labels section does not hold %llu lines", name,
			    (unsigned long long)m->rows);
			goto fail;
		}
	}
	if (m->layout == SP_MAT_CSR) {
		if (read_section(&r, (m->rows + 1) * 8, &p, "row pointers"))
			goto fail;
		m->indptr = p;
		if (read_section(&r, nval * 4, &p, "column indices"))
			goto fail;
		m->indices = p;
		if (m->indptr[0] != 0 || m->indptr[m->rows] != nval) {
			sp_warn("%s: corrupt row pointers", name);
			goto fail;
		}
		for (i = 0; i < m->rows; i++)
			if (m->indptr[i + 1] < m->indptr[i]) {
				sp_warn("%s: corrupt row pointers at row %llu", name,
				    (unsigned long long)i);
				goto fail;
			}
		for (i = 0; i < nval; i++)
			if (m->indices[i] >= m->cols) {
				sp_warn("%s: column index %u out of range at entry %llu", name,
				    m->indices[i], (unsigned long long)i);
				goto fail;
			}
		if (check_ascending(m, name) != 0)
			goto fail;
	}
	if (read_section(&r, nval * vs, &p, "values"))
		goto fail;
	m->values = p;
	return 0;
fail:
	sp_mat_free(m);
	return -1;
}

int
sp_mat_load(const char *path, struct sp_mat *m)
{
	return sp_mat_load_hook(path, m, NULL, NULL);
}

int
sp_mat_load_hook(const char *path, struct sp_mat *m, sp_mat_hook *hook, void *arg)
{
	FILE *fp;
	int rc;

	if (path == NULL || strcmp(path, "-") == 0)
		return sp_mat_read_hook(stdin, "<stdin>", m, hook, arg);
	if ((fp = fopen(path, "rb")) == NULL) {
		sp_warn("%s: %s", path, strerror(errno));
		memset(m, 0, sizeof *m);
		return -1;
	}
	rc = sp_mat_read_hook(fp, path, m, hook, arg);
	fclose(fp);
	return rc;
}

/* ---- Matrix Market input (sp-mat from-mtx) ---- */

struct entry {
	uint64_t r, c;
	double v;
};

static int
cmp_entry(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;

	if (x->r != y->r)
		return x->r < y->r ? -1 : 1;
	if (x->c != y->c)
		return x->c < y->c ? -1 : 1;
	return 0;
}

/* Next non-comment line of a Matrix Market file, or NULL at the end. */
static char *
mtx_line(struct sp_lines *r)
{
	char *s;
	size_t len;

	while ((s = sp_lines_next(r, &len)) != NULL)
		if (s[0] != '%' && s[strspn(s, " \t")] != '\0')
			return s;
	return NULL;
}

/* A Matrix Market value: finite, and within the range of the output dtype. */
static void
check_value(const struct sp_lines *r, double v, int dtype)
{
	if (!isfinite(v))
		sp_die_at(SP_EXIT_DATA, r->name, r->lineno, "value is not a finite number");
	if (dtype == SP_MAT_F32 && !isfinite((float)v))
		sp_die_at(SP_EXIT_DATA, r->name, r->lineno,
		    "value %g is beyond a 32-bit float (--f64 keeps it)", v);
}

static void __attribute__((noreturn))
sum_overflow(const char *name, uint64_t i, uint64_t j, int dtype)
{
	sp_die(SP_EXIT_DATA, "%s: row %" PRIu64 ", column %" PRIu64
	    ": the sum of its repeated entries is beyond a %s float", name, i + 1, j + 1,
	    dtype == SP_MAT_F32 ? "32-bit" : "64-bit");
}

/*
 * Says what the matrix will take in memory before it is allocated, when
 * that is much (a size line of 44 bytes can ask for gigabytes: "500000000
 * 4 1" is a valid matrix of 4 GB of row pointers), and makes a failure to
 * get it name the file.
 */
static void
say_cost(const char *name, uint64_t rows, uint64_t cols, uint64_t ne, int layout, int dtype)
{
	double bytes, vs = (double)sp_mat_dtype_size(dtype);

	if (layout == SP_MAT_DENSE)
		bytes = (double)rows * (double)cols * vs;
	else	/* row pointers; indices, values and the sums of duplicates */
		bytes = ((double)rows + 1) * 8 + (double)ne * (4 + vs + 8);
	if (bytes >= 1e9)
		sp_warn("%s: %" PRIu64 " x %" PRIu64 " with %" PRIu64 " %s takes %.1f GB of memory",
		    name, rows, cols, ne, sp_plural((long)ne, "entry", "entries"), bytes / 1e9);
	sp_alloc_input(name);
}

void
sp_mtx_read(struct sp_lines *r, int want_layout, int dtype, struct sp_mat *out_m)
{
	struct sp_mat m;
	struct entry *e = NULL;
	char *s, obj[32], fmt[32], field[32], sym[32];
	unsigned long long rows, cols, nnz = 0, k, i, j;
	size_t ne = 0, cap = 0, q, out;
	int coordinate, pattern, symmetric, n, t;
	double v;

	s = sp_lines_next(r, NULL);
	if (s == NULL || sscanf(s, "%%%%MatrixMarket %31s %31s %31s %31s", obj, fmt, field, sym) != 4 ||
	    strcasecmp(obj, "matrix") != 0)
		sp_die_at(SP_EXIT_DATA, r->name, r->lineno ? r->lineno : 1, "not a Matrix Market file");
	coordinate = strcasecmp(fmt, "coordinate") == 0;
	if (!coordinate && strcasecmp(fmt, "array") != 0)
		sp_die_at(SP_EXIT_DATA, r->name, r->lineno, "unknown format '%s'", fmt);
	pattern = strcasecmp(field, "pattern") == 0;
	if (!pattern && strcasecmp(field, "real") != 0 && strcasecmp(field, "integer") != 0 &&
	    strcasecmp(field, "double") != 0)
		sp_die_at(SP_EXIT_DATA, r->name, r->lineno, "unsupported field '%s'", field);
	symmetric = strcasecmp(sym, "symmetric") == 0;
	if (!symmetric && strcasecmp(sym, "general") != 0)
		sp_die_at(SP_EXIT_DATA, r->name, r->lineno, "unsupported symmetry '%s'", sym);
	if ((s = mtx_line(r)) == NULL)
		sp_die_at(SP_EXIT_DATA, r->name, r->lineno, "missing size line");
	n = coordinate ? sscanf(s, "%llu %llu %llu", &rows, &cols, &nnz)
	    : sscanf(s, "%llu %llu", &rows, &cols);
	if (n != (coordinate ? 3 : 2) || rows > (1ull << 40) || cols > UINT32_MAX)
		sp_die_at(SP_EXIT_DATA, r->name, r->lineno, "bad size line");
	if (!coordinate) {
		if (rows != 0 && cols > (1ull << 34) / rows)
			sp_die_at(SP_EXIT_DATA, r->name, r->lineno, "matrix too large");
		nnz = rows * cols;
	}
	/* Entries are stored as they arrive: a lying size line allocates nothing. */
	for (k = 0; k < nnz; k++) {
		if ((s = mtx_line(r)) == NULL)
			sp_die_at(SP_EXIT_DATA, r->name, r->lineno,
			    "truncated: expected %llu entries, got %llu", nnz, k);
		v = 1;
		if (coordinate) {
			n = sscanf(s, "%llu %llu %lf", &i, &j, &v);
			if (n < (pattern ? 2 : 3) || i < 1 || i > rows || j < 1 || j > cols)
				sp_die_at(SP_EXIT_DATA, r->name, r->lineno, "bad entry");
			i--, j--;
		} else {
			if (sscanf(s, "%lf", &v) != 1)
				sp_die_at(SP_EXIT_DATA, r->name, r->lineno, "bad value");
			i = k % rows, j = k / rows;	/* arrays are column-major */
		}
		check_value(r, v, dtype);
		for (t = 0; t < (symmetric && i != j ? 2 : 1); t++) {
			if (ne == cap)
				e = sp_xreallocarray(e, cap = cap ? cap * 2 : 1024, sizeof *e);
			e[ne].r = t ? j : i;
			e[ne].c = t ? i : j;
			e[ne].v = v;
			ne++;
		}
	}
	if (mtx_line(r) != NULL)
		sp_die_at(SP_EXIT_DATA, r->name, r->lineno,
		    "more entries than the %llu the size line declares", nnz);
	if (ne > 0)
		qsort(e, ne, sizeof *e, cmp_entry);
	say_cost(r->name, rows, cols, ne, want_layout ? want_layout :
	    coordinate ? SP_MAT_CSR : SP_MAT_DENSE, dtype);

	memset(&m, 0, sizeof m);
	m.rows = rows;
	m.cols = cols;
	m.dtype = dtype;
	m.layout = want_layout ? want_layout : coordinate ? SP_MAT_CSR : SP_MAT_DENSE;
	if (m.layout == SP_MAT_DENSE) {
		if (rows != 0 && cols > (1ull << 34) / rows)
			sp_die(SP_EXIT_DATA, "%s: matrix too large to make dense", r->name);
		m.values = sp_xcalloc(rows * cols, sp_mat_dtype_size(dtype));
		for (q = 0; q < ne; q++) {
			uint64_t at = e[q].r * cols + e[q].c;

			if (dtype == SP_MAT_F64)
				((double *)m.values)[at] += e[q].v;
			else
				((float *)m.values)[at] += (float)e[q].v;
			if (!isfinite(sp_mat_value(&m, at)))
				sum_overflow(r->name, e[q].r, e[q].c, dtype);
		}
	} else {
		/* Duplicates are summed; explicit zeros are kept as entries. */
		m.indptr = sp_xcalloc(rows + 1, sizeof *m.indptr);
		m.indices = sp_xreallocarray(NULL, ne, sizeof *m.indices);
		m.values = sp_xreallocarray(NULL, ne, sp_mat_dtype_size(dtype));
		double *acc = sp_xreallocarray(NULL, ne, sizeof *acc);
		for (q = 0, out = 0; q < ne; q++) {
			if (out > 0 && q > 0 && e[q].r == e[q - 1].r && e[q].c == e[q - 1].c) {
				acc[out - 1] += e[q].v;
				continue;
			}
			m.indices[out] = (uint32_t)e[q].c;
			acc[out] = e[q].v;
			m.indptr[e[q].r + 1]++;
			out++;
		}
		for (q = 0; q < out; q++) {
			if (dtype == SP_MAT_F64)
				((double *)m.values)[q] = acc[q];
			else
				((float *)m.values)[q] = (float)acc[q];
		}
		free(acc);
		for (i = 0; i < rows; i++)
			m.indptr[i + 1] += m.indptr[i];
		m.nnz = out;
		for (i = 0; i < rows; i++)
			for (q = m.indptr[i]; q < m.indptr[i + 1]; q++)
				if (!isfinite(sp_mat_value(&m, q)))
					sum_overflow(r->name, i, m.indices[q], dtype);
	}
	free(e);
	*out_m = m;
}
