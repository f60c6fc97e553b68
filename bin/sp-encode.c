/* sp-encode.c: encodes NDJSON feature rows into a sparse matrix, as a spec says. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "diag.h"
#include "encode.h"
#include "parallel.h"
#include "mat.h"
#include "ndjson.h"
#include "strtab.h"

/* The largest "dim" of a hash feature: bucket << 1 must fit in 32 bits. */
#define HASH_DIM_MAX (1u << 24)

enum xform { X_MINMAX, X_LOG1P_MINMAX, X_RANK, X_SCALE, X_ONEHOT, X_HASH };

static const char *const xform_names[] = {
	"minmax", "log1p-minmax", "rank", "scale", "onehot", "hash", NULL
};

/* Transforms name their columns in three families, each kept unique. */
enum family { FAM_NUMERIC, FAM_ONEHOT, FAM_HASH };

struct feature {
	const char *field;	/* borrowed from fields[] */
	size_t field_ix;	/* index into fields[] */
	enum xform xform;
	double weight;		/* multiplies every column of the feature */
	double missing;		/* numeric: the input value of a missing field */
	double by;		/* scale: the divisor */
	uint32_t dim;		/* hash: the number of buckets */
	char *prefix;		/* owned: the column-name prefix */
	uint64_t col0, ncols;	/* the feature's block of columns */
};

struct spec {
	const char *path;
	char *id;		/* the id field */
	char **labels;		/* label fields, in spec order */
	size_t nlabels;
	struct feature *feat;
	size_t nfeat;
	char **fields;		/* distinct fields read from each row */
	size_t *flen;		/* their lengths */
	size_t nfields;
	size_t id_ix, *label_ix;
};

static void __attribute__((noreturn))
usage(FILE *fp, int status)
{
	fprintf(fp, "usage: sp-encode -s SPEC [-v] [FILE]\n");
	if (fp == stdout)
		fprintf(fp,
		    "Encodes NDJSON feature rows (FILE or stdin) into a sparse CSR matrix\n"
		    "on stdout, as the JSON spec SPEC says (see sp-encode(1)).\n"
		    "  -s, --spec SPEC   the encoding spec (required)\n"
		    "  -v, --verbose     print the matrix's size to stderr\n"
		    "  -h, --help        this help\n"
		    "      --version     the version\n");
	exit(status);
}

static int
is_numeric(enum xform x)
{
	return x == X_MINMAX || x == X_LOG1P_MINMAX || x == X_RANK || x == X_SCALE;
}

static enum family
family_of(enum xform x)
{
	return x == X_ONEHOT ? FAM_ONEHOT : x == X_HASH ? FAM_HASH : FAM_NUMERIC;
}

/* ---- the spec ---- */

static void __attribute__((format(printf, 2, 3), noreturn))
spec_die(const struct spec *s, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	sp_die(SP_EXIT_USAGE, "%s: %s", s->path, msg);
}

static size_t
field_index(struct spec *s, const char *name)
{
	size_t i;

	for (i = 0; i < s->nfields; i++)
		if (strcmp(s->fields[i], name) == 0)
			return i;
	s->fields = sp_xreallocarray(s->fields, s->nfields + 1, sizeof *s->fields);
	s->fields[s->nfields] = sp_xstrdup(name);
	return s->nfields++;
}

/* A string member that holds no NUL byte, copied; NULL if absent. */
static char *
spec_string(const struct spec *s, jv o, const char *key, const char *where)
{
	jv v = sp_jv_get(o, key);
	char *r;

	if (jv_get_kind(v) == JV_KIND_NULL) {
		jv_free(v);
		return NULL;
	}
	if (jv_get_kind(v) != JV_KIND_STRING ||
	    strlen(jv_string_value(v)) != (size_t)jv_string_length_bytes(jv_copy(v)) ||
	    jv_string_length_bytes(jv_copy(v)) == 0) {
		jv_free(v);
		spec_die(s, "%s'%s': expected a non-empty string", where, key);
	}
	r = sp_xstrdup(jv_string_value(v));
	jv_free(v);
	return r;
}

/* A finite number member, or def when absent; *present says which. */
static double
spec_number(const struct spec *s, jv o, const char *key, const char *where,
    double def, int *present)
{
	jv v = sp_jv_get(o, key);
	double d;

	if (present != NULL)
		*present = jv_get_kind(v) != JV_KIND_NULL;
	if (jv_get_kind(v) == JV_KIND_NULL) {
		jv_free(v);
		return def;
	}
	if (jv_get_kind(v) != JV_KIND_NUMBER || !isfinite(jv_number_value(v))) {
		jv_free(v);
		spec_die(s, "%s'%s': expected a number", where, key);
	}
	d = jv_number_value(v);
	jv_free(v);
	return d;
}

/* Dies naming the first member of object o that is not in allowed. */
static void
spec_members(const struct spec *s, jv o, const char *const *allowed, const char *where)
{
	jv keys = jv_keys(jv_copy(o));
	int i, n = jv_array_length(jv_copy(keys));
	const char *const *a;

	for (i = 0; i < n; i++) {
		jv k = jv_array_get(jv_copy(keys), i);

		for (a = allowed; *a != NULL; a++)
			if (strcmp(*a, jv_string_value(k)) == 0)
				break;
		if (*a == NULL) {
			char name[256];

			snprintf(name, sizeof name, "%s", jv_string_value(k));
			jv_free(k);
			jv_free(keys);
			spec_die(s, "%sunknown member '%s'", where, name);
		}
		jv_free(k);
	}
	jv_free(keys);
}

static int
prefix_taken(const struct spec *s, size_t upto, enum family fam, const char *p)
{
	size_t i;

	for (i = 0; i < upto; i++)
		if (family_of(s->feat[i].xform) == fam && strcmp(s->feat[i].prefix, p) == 0)
			return 1;
	return 0;
}

/*
 * The column-name prefix of feature i: its field, unless an earlier
 * feature of the same family took it; then "FIELD:TRANSFORM", then
 * "FIELD:TRANSFORM:2", ":3", ...
 */
static char *
make_prefix(const struct spec *s, size_t i)
{
	const struct feature *f = &s->feat[i];
	enum family fam = family_of(f->xform);
	struct sp_buf b = { 0 };
	unsigned n;

	sp_buf_adds(&b, f->field);
	if (!prefix_taken(s, i, fam, b.data))
		return sp_buf_detach(&b, NULL);
	sp_buf_printf(&b, ":%s", xform_names[f->xform]);
	for (n = 2; prefix_taken(s, i, fam, b.data); n++) {
		sp_buf_reset(&b);
		sp_buf_printf(&b, "%s:%s:%u", f->field, xform_names[f->xform], n);
	}
	return sp_buf_detach(&b, NULL);
}

static void
parse_feature(struct spec *s, size_t i, jv o)
{
	static const char *const allowed[] = {
		"field", "transform", "weight", "missing", "by", "dim", NULL
	};
	struct feature *f = &s->feat[i];
	char where[64], *field, *t;
	int k, have_missing, have_by, have_dim;
	double dim;

	snprintf(where, sizeof where, "features[%zu]: ", i);
	if (jv_get_kind(o) != JV_KIND_OBJECT)
		spec_die(s, "features[%zu]: expected an object", i);
	spec_members(s, o, allowed, where);
	if ((field = spec_string(s, o, "field", where)) == NULL)
		spec_die(s, "%s'field' is missing", where);
	if ((t = spec_string(s, o, "transform", where)) == NULL)
		spec_die(s, "%s'transform' is missing", where);
	for (k = 0; xform_names[k] != NULL; k++)
		if (strcmp(xform_names[k], t) == 0)
			break;
	if (xform_names[k] == NULL) {
		char name[256];

		snprintf(name, sizeof name, "%s", t);
		free(t);
		spec_die(s, "%sunknown transform '%s'", where, name);
	}
	free(t);
	f->xform = (enum xform)k;
	f->field_ix = field_index(s, field);
	f->field = s->fields[f->field_ix];
	free(field);
	f->weight = spec_number(s, o, "weight", where, 1, NULL);
	if (!isfinite((float)f->weight))
		spec_die(s, "%s'weight': beyond a 32-bit float", where);
	f->missing = spec_number(s, o, "missing", where, 0, &have_missing);
	f->by = spec_number(s, o, "by", where, 0, &have_by);
	dim = spec_number(s, o, "dim", where, 0, &have_dim);
	if (have_missing && !is_numeric(f->xform))
		spec_die(s, "%s'missing' applies to numeric transforms only", where);
	if (f->xform == X_LOG1P_MINMAX && f->missing <= -1)
		spec_die(s, "%s'missing': log1p-minmax needs a value above -1", where);
	if (f->xform == X_SCALE && (!have_by || f->by == 0))
		spec_die(s, "%s'by': scale needs a non-zero number", where);
	if (f->xform != X_SCALE && have_by)
		spec_die(s, "%s'by' applies to the scale transform only", where);
	if (f->xform == X_HASH &&
	    (!have_dim || dim < 1 || dim > HASH_DIM_MAX || dim != floor(dim)))
		spec_die(s, "%s'dim': hash needs an integer from 1 to %u", where, HASH_DIM_MAX);
	if (f->xform != X_HASH && have_dim)
		spec_die(s, "%s'dim' applies to the hash transform only", where);
	f->dim = (uint32_t)dim;
	f->prefix = make_prefix(s, i);
}

static void
load_spec(struct spec *s, const char *path)
{
	static const char *const allowed[] = { "id", "labels", "features", NULL };
	char *text;
	size_t n, i, j;
	jv v, a;

	memset(s, 0, sizeof *s);
	s->path = path;
	if ((text = sp_read_file(path, 1u << 24, &n)) == NULL) {
		if (errno == EFBIG)
			spec_die(s, "larger than 16 MiB");
		sp_die(SP_EXIT_USAGE, "%s: %s", path, strerror(errno));
	}
	v = sp_jv_parse(text, n);
	free(text);
	if (!jv_is_valid(v)) {
		jv msg = jv_invalid_get_msg(v);
		char m[512], *p;

		snprintf(m, sizeof m, "%s", jv_get_kind(msg) == JV_KIND_STRING ?
		    jv_string_value(msg) : "empty or not JSON");
		jv_free(msg);
		/* jq quotes the whole text parsed so far: not useful here. */
		if ((p = strstr(m, " (while parsing")) != NULL)
			*p = '\0';
		spec_die(s, "invalid JSON: %s", m);
	}
	if (jv_get_kind(v) != JV_KIND_OBJECT)
		spec_die(s, "expected a JSON object");
	spec_members(s, v, allowed, "");

	if ((s->id = spec_string(s, v, "id", "")) == NULL)
		spec_die(s, "'id' is missing");
	s->id_ix = field_index(s, s->id);

	a = sp_jv_get(v, "labels");
	if (jv_get_kind(a) != JV_KIND_NULL && jv_get_kind(a) != JV_KIND_ARRAY)
		spec_die(s, "'labels': expected an array of strings");
	if (jv_get_kind(a) == JV_KIND_ARRAY) {
		s->nlabels = (size_t)jv_array_length(jv_copy(a));
		s->labels = sp_xcalloc(s->nlabels, sizeof *s->labels);
		s->label_ix = sp_xcalloc(s->nlabels, sizeof *s->label_ix);
		for (i = 0; i < s->nlabels; i++) {
			jv e = jv_array_get(jv_copy(a), (int)i);

			if (jv_get_kind(e) != JV_KIND_STRING ||
			    jv_string_length_bytes(jv_copy(e)) == 0 ||
			    strlen(jv_string_value(e)) != (size_t)jv_string_length_bytes(jv_copy(e)))
				spec_die(s, "labels[%zu]: expected a non-empty string", i);
			s->labels[i] = sp_xstrdup(jv_string_value(e));
			jv_free(e);
			if (strcmp(s->labels[i], s->id) == 0)
				spec_die(s, "labels[%zu]: '%s' is the id field", i, s->id);
			for (j = 0; j < i; j++)
				if (strcmp(s->labels[i], s->labels[j]) == 0)
					spec_die(s, "labels[%zu]: '%s' is listed twice", i, s->labels[i]);
			s->label_ix[i] = field_index(s, s->labels[i]);
		}
	}
	jv_free(a);

	a = sp_jv_get(v, "features");
	if (jv_get_kind(a) != JV_KIND_ARRAY)
		spec_die(s, "'features': expected an array");
	s->nfeat = (size_t)jv_array_length(jv_copy(a));
	s->feat = sp_xcalloc(s->nfeat ? s->nfeat : 1, sizeof *s->feat);
	for (i = 0; i < s->nfeat; i++) {
		jv e = jv_array_get(jv_copy(a), (int)i);

		parse_feature(s, i, e);
		jv_free(e);
	}
	jv_free(a);
	jv_free(v);
	s->flen = sp_xcalloc(s->nfields, sizeof *s->flen);
	for (i = 0; i < s->nfields; i++)
		s->flen[i] = strlen(s->fields[i]);
}

static void
free_spec(struct spec *s)
{
	size_t i;

	for (i = 0; i < s->nfeat; i++) {
		struct feature *f = &s->feat[i];

		free(f->prefix);
	}
	for (i = 0; i < s->nfields; i++)
		free(s->fields[i]);
	for (i = 0; i < s->nlabels; i++)
		free(s->labels[i]);
	free(s->labels);
	free(s->label_ix);
	free(s->feat);
	free(s->fields);
	free(s->flen);
	free(s->id);
}

/* ---- reading rows ---- */

/* One feature's values over the rows of a part. */
struct fdata {
	double *x;		/* numeric: one value per row */

	/*
	 * Categorical: the entries of all rows back to back (onehot: interned
	 * category ids; hash: bucket << 1 | negative), rowend[i] the end of
	 * row i's entries.
	 */
	struct sp_strtab cats;
	uint32_t *ent;
	size_t nent, capent;
	uint64_t *rowend;
	/*
	 * onehot, once the categories are sorted: each of this part's
	 * category ids to its position in the sorted categories of every part
	 * (join, finish_onehot).
	 */
	uint32_t *map;
};

/*
 * A part: the rows of a range of the input, read by one thread.  With two
 * threads the second part starts at a line boundary near the middle of a
 * regular file; join() adds what the transforms need of it to the first,
 * and build() builds each part's rows on a thread of its own: the result,
 * and the first error in line order, are those of one thread reading it
 * all.
 */
struct part {
	const struct spec *s;
	struct sp_flines r;
	uint64_t rows, cap;
	struct fdata *fd;	/* one per feature */
	struct sp_buf labels;	/* NDJSON, one line per row */
	struct sp_scan scan;	/* the current row's fields, by field index */
	jv *jvals;		/* the slow path's values, by field index */
	int slow;		/* whether the current row took the slow path */
	uint64_t nslow;		/* rows that took it */
	long errline;		/* the part's line of its error, 0 for none */
	char err[4096];		/* its message (sp_die_at's length) */
	atomic_int *stop;	/* set: an earlier part failed, stop reading */
	atomic_int *stop_next;	/* set on failure, to stop the next part */
};

struct input {
	const char *name;	/* for messages ("<stdin>") */
	int fd, owns_fd, nparts;
	struct part part[2];
	atomic_int stop;
};

/* Records the part's error, about its line line; returns -1. */
static int __attribute__((format(printf, 3, 4)))
part_fail(struct part *p, long line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(p->err, sizeof p->err, fmt, ap);
	va_end(ap);
	p->errline = line;
	return -1;
}

static void
part_init(struct part *p, const struct spec *s, int fd, int seekable, off_t pos, off_t end)
{
	size_t n = s->nfields ? s->nfields : 1;

	memset(p, 0, sizeof *p);
	p->s = s;
	sp_flines_init(&p->r, fd, seekable, pos, end);
	p->fd = sp_xcalloc(s->nfeat ? s->nfeat : 1, sizeof *p->fd);
	p->scan.fields = (const char *const *)s->fields;
	p->scan.flen = s->flen;
	p->scan.nfields = s->nfields;
	p->scan.vals = sp_xcalloc(n, sizeof *p->scan.vals);
	p->jvals = sp_xcalloc(n, sizeof *p->jvals);
}

static void
part_free(struct part *p)
{
	size_t i;

	for (i = 0; p->fd != NULL && i < p->s->nfeat; i++) {
		free(p->fd[i].x);
		sp_strtab_free(&p->fd[i].cats);
		free(p->fd[i].ent);
		free(p->fd[i].rowend);
		free(p->fd[i].map);
	}
	free(p->fd);
	sp_buf_free(&p->labels);
	free(p->scan.vals);
	free(p->jvals);
	sp_scan_free(&p->scan);
	sp_flines_free(&p->r);
	memset(p, 0, sizeof *p);
}

/* Room for n rows in every feature's per-row arrays. */
static void
reserve_rows(struct part *p, uint64_t n)
{
	size_t i;

	if (n <= p->cap)
		return;
	p->cap = n;
	for (i = 0; i < p->s->nfeat; i++) {
		struct fdata *d = &p->fd[i];

		if (is_numeric(p->s->feat[i].xform))
			d->x = sp_xreallocarray(d->x, p->cap, sizeof *d->x);
		else
			d->rowend = sp_xreallocarray(d->rowend, p->cap, sizeof *d->rowend);
	}
}

static void
push_entry(struct fdata *d, uint32_t e)
{
	if (d->nent == d->capent) {
		d->capent = d->capent ? d->capent * 2 : 4096;
		d->ent = sp_xreallocarray(d->ent, d->capent, sizeof *d->ent);
	}
	d->ent[d->nent++] = e;
}

static int
bad_type(struct part *p, const struct feature *f, const char *what)
{
	return part_fail(p, p->r.lineno, "field '%s': expected %s", f->field, what);
}

/* One category of a categorical feature: a string, number or boolean. */
static int
add_category(const struct feature *f, struct fdata *d, const struct sp_sval *v)
{
	char num[32];
	const char *s;
	size_t len;
	int neg;

	switch (v->kind) {
	case SP_JSON_STRING:
		s = v->s;
		len = v->len;
		break;
	case SP_JSON_NUMBER:
		if (!isfinite(v->num))
			return -1;
		s = sp_num_text(v->num, num);
		len = strlen(s);
		break;
	case SP_JSON_TRUE:
		s = "true", len = 4;
		break;
	case SP_JSON_FALSE:
		s = "false", len = 5;
		break;
	default:
		return -1;
	}
	if (f->xform == X_ONEHOT) {
		push_entry(d, sp_strtab_add(&d->cats, s, len, NULL));
	} else {
		uint32_t b = sp_hash_bucket(s, len, f->dim, &neg);

		push_entry(d, b << 1 | (uint32_t)neg);
	}
	return 0;
}

/* A numeric feature's value of the current row into x[row]. */
static int
read_numeric(struct part *p, const struct feature *f, struct fdata *dat,
    const struct sp_sval *v)
{
	char num[32];
	double d = 0;

	if (v->kind == SP_JSON_NULL)
		d = f->missing;
	else if (v->kind == SP_JSON_NUMBER && isfinite(v->num))
		d = v->num;
	else
		return bad_type(p, f, "a number");
	if (f->xform == X_LOG1P_MINMAX) {
		if (d <= -1)
			return part_fail(p, p->r.lineno,
			    "field '%s': log1p-minmax needs values above -1, got %s",
			    f->field, sp_num_text(d, num));
		d = log1p(d);
	}
	/* scale's result must fit the float32 matrix (1e39, or by 1e-320). */
	if (f->xform == X_SCALE && !isfinite((float)(d / f->by * f->weight)))
		return part_fail(p, p->r.lineno,
		    "field '%s': %s / %g (scale) is beyond a 32-bit float",
		    f->field, sp_num_text(d, num), f->by);
	dat->x[p->rows] = d;
	return 0;
}

static int
read_feature(struct part *p, size_t fi, const struct sp_sval *v)
{
	static const char cat_types[] = "a string, number, boolean or an array of them";
	const struct feature *f = &p->s->feat[fi];
	struct fdata *d = &p->fd[fi];
	size_t i;

	if (is_numeric(f->xform))
		return read_numeric(p, f, d, v);
	if (v->kind == SP_JSON_ARRAY) {
		for (i = 0; i < v->n; i++) {
			const struct sp_sval *e = &p->scan.pool[v->first + i];

			if (e->kind != SP_JSON_NULL && add_category(f, d, e) != 0)
				return bad_type(p, f, cat_types);
		}
	} else if (v->kind != SP_JSON_NULL && add_category(f, d, v) != 0) {
		return bad_type(p, f, cat_types);
	}
	d->rowend[p->rows] = d->nent;
	return 0;
}

static int
blank(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i] != ' ' && p[i] != '\t')
			return 0;
	return 1;
}

/* The slow path: jq parses the line, with sp_ndjson_next's messages. */
static int
parse_slow(struct part *p, const char *line, size_t len)
{
	jv v, msg;
	int rc = 0;

	if (len > (size_t)0x7fffffff)
		return part_fail(p, p->r.lineno, "line too long");
	v = sp_jv_parse(line, len);
	if (!jv_is_valid(v)) {
		msg = jv_invalid_get_msg(v);
		rc = part_fail(p, p->r.lineno, "invalid JSON: %s",
		    jv_get_kind(msg) == JV_KIND_STRING ? jv_string_value(msg) : "parse error");
		jv_free(msg);
		return rc;
	}
	if (jv_get_kind(v) != JV_KIND_OBJECT) {
		rc = part_fail(p, p->r.lineno, "expected a JSON object, got %s",
		    sp_jv_kind_name(jv_get_kind(v)));
		jv_free(v);
		return rc;
	}
	sp_scan_jv(&p->scan, v, p->jvals);
	jv_free(v);
	p->slow = 1;
	p->nslow++;
	return 0;
}

/*
 * The next row's fields into p->scan: the fast scanner when the line is
 * plain, else jq.  Returns 1, 0 at the end of the part, -1 on an error.
 */
static int
next_row(struct part *p)
{
	const char *line;
	size_t len;
	int rc;

	do {
		if ((rc = sp_flines_next(&p->r, &line, &len, p->err, sizeof p->err)) <= 0) {
			if (rc < 0)
				p->errline = p->r.lineno + 1;
			return rc;
		}
	} while (blank(line, len));
	p->slow = 0;
	if (sp_scan_line(&p->scan, line, len) == 0)
		return 1;
	return parse_slow(p, line, len) == 0 ? 1 : -1;
}

static void
add_label(struct part *p, const char *name, size_t ix)
{
	sp_buf_json_str(&p->labels, name, strlen(name));
	sp_buf_addc(&p->labels, ':');
	if (p->slow)
		sp_buf_add_jv(&p->labels, p->jvals[ix]);
	else
		sp_buf_add_sval(&p->labels, &p->scan, &p->scan.vals[ix]);
}

/* The current row: its id checked, its label line, its features. */
static int
read_row(struct part *p)
{
	const struct spec *s = p->s;
	const struct sp_sval *id = &p->scan.vals[s->id_ix];
	size_t i;

	if (id->kind == SP_JSON_NULL)
		return part_fail(p, p->r.lineno, "field '%s': the row id is missing", s->id);
	if (id->kind != SP_JSON_STRING && (id->kind != SP_JSON_NUMBER || !isfinite(id->num)))
		return part_fail(p, p->r.lineno, "field '%s': expected a string or a number",
		    s->id);
	if (p->rows == p->cap)
		reserve_rows(p, p->cap ? p->cap * 2 : 1024);

	/* The label line: the id first, then the labels in spec order. */
	sp_buf_addc(&p->labels, '{');
	add_label(p, s->id, s->id_ix);
	for (i = 0; i < s->nlabels; i++) {
		sp_buf_addc(&p->labels, ',');
		add_label(p, s->labels[i], s->label_ix[i]);
	}
	sp_buf_add(&p->labels, "}\n", 2);

	for (i = 0; i < s->nfeat; i++)
		if (read_feature(p, i, &p->scan.vals[s->feat[i].field_ix]) != 0)
			return -1;
	p->rows++;
	return 0;
}

/* Reads every row of part p (a thread's body); stops at the first error. */
static void *
read_part(void *arg)
{
	struct part *p = arg;
	size_t i;
	int rc;

	while ((p->stop == NULL || !atomic_load_explicit(p->stop, memory_order_relaxed)) &&
	    (rc = next_row(p)) > 0) {
		rc = read_row(p);
		if (p->slow)
			for (i = 0; i < p->s->nfields; i++)
				jv_free(p->jvals[i]);
		if (rc != 0)
			break;
	}
	return NULL;
}

/*
 * Joins part b (the rows after a's) to a for the transforms, which need
 * every row: b's numeric values are appended to a's, and b's categories
 * added to a's table, db->map taking b's ids to a's.  The entries and the
 * labels stay in their parts (build).  Categories sort by their text in
 * columns(), so the matrix does not depend on the split.
 */
static void
join(struct part *a, struct part *b)
{
	const struct spec *s = a->s;
	size_t i, j, len;
	const char *str;

	for (i = 0; i < s->nfeat; i++) {
		struct fdata *da = &a->fd[i], *db = &b->fd[i];

		if (is_numeric(s->feat[i].xform)) {
			da->x = sp_xreallocarray(da->x, a->rows + b->rows + 1, sizeof *da->x);
			memcpy(da->x + a->rows, db->x, b->rows * sizeof *da->x);
		} else if (s->feat[i].xform == X_ONEHOT) {
			db->map = sp_xreallocarray(NULL, db->cats.n + 1, sizeof *db->map);
			for (j = 0; j < db->cats.n; j++) {
				str = sp_strtab_str(&db->cats, (uint32_t)j, &len);
				db->map[j] = sp_strtab_add(&da->cats, str, len, NULL);
			}
		}
	}
	a->nslow += b->nslow;
}

/* Opens the input as sp_lines_open does: "prog: path: reason" and -1. */
static int
input_open(struct input *in, const char *path)
{
	memset(in, 0, sizeof *in);
	atomic_init(&in->stop, 0);
	in->fd = STDIN_FILENO;
	in->name = "<stdin>";
	if (path == NULL || strcmp(path, "-") == 0)
		return 0;
	if ((in->fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		sp_warn("%s: %s", path, strerror(errno));
		return -1;
	}
	in->name = path;
	in->owns_fd = 1;
	return 0;
}

static void
input_close(struct input *in)
{
	int i;

	for (i = 0; i < in->nparts; i++)
		part_free(&in->part[i]);
	if (in->owns_fd)
		close(in->fd);
	in->nparts = in->owns_fd = 0;
}

/*
 * Where a second part of [pos, size) starts: just after the first '\n'
 * from the middle on; -1 when there is none before the end (one part).
 */
static off_t
split_point(int fd, off_t pos, off_t size)
{
	off_t at = pos + (size - pos) / 2;
	char buf[1 << 16], *nl;
	ssize_t n;

	while (at < size) {
		if ((n = pread(fd, buf, sizeof buf, at)) <= 0)
			return -1;	/* the one part's reader will say why */
		if ((nl = memchr(buf, '\n', (size_t)n)) != NULL) {
			at += nl - buf + 1;
			return at < size ? at : -1;
		}
		at += n;
	}
	return -1;
}

/* A thread's body: reads part arg; a failure stops the part after it. */
static void *
run_part(void *arg)
{
	struct part *p = arg;

	read_part(p);
	if (p->errline != 0 && p->stop_next != NULL)
		atomic_store(p->stop_next, 1);
	return NULL;
}

/*
 * Reads the input's rows: in two parts on two threads when threads > 1
 * and the input is a regular file with a line boundary past its middle
 * (then joined: join), else in one.  Returns 0, or -1 with the first
 * error in line order in *line and *msg.
 */
static int
read_input(const struct spec *s, struct input *in, int threads, long *line, const char **msg)
{
	struct part *a = &in->part[0], *b = &in->part[1];
	off_t pos = -1, mid = -1;
	struct stat st;
	pthread_t t;
	int two;

	if (threads > 1 && fstat(in->fd, &st) == 0 && S_ISREG(st.st_mode) &&
	    (pos = lseek(in->fd, 0, SEEK_CUR)) >= 0)
		mid = split_point(in->fd, pos, st.st_size);
	in->nparts = mid < 0 ? 1 : 2;
	part_init(a, s, in->fd, mid >= 0, pos, mid);
	if (in->nparts == 1) {
		read_part(a);
	} else {
		part_init(b, s, in->fd, 1, mid, -1);
		b->stop = &in->stop;
		a->stop_next = &in->stop;
		two = pthread_create(&t, NULL, run_part, b) == 0;
		run_part(a);
		if (two)
			pthread_join(t, NULL);
		else if (a->errline == 0)
			read_part(b);
	}
	*msg = a->errline != 0 ? a->err : b->err;
	*line = a->errline != 0 ? a->errline :
	    in->nparts == 2 && b->errline != 0 ? a->r.lineno + b->errline : 0;
	if (*line != 0)
		return -1;
	if (in->nparts == 2)
		join(a, b);
	return 0;
}

/* ---- the transforms ---- */

static void
minmax(double *x, uint64_t n)
{
	double lo, hi;
	uint64_t i;

	if (n == 0)
		return;
	lo = hi = x[0];
	for (i = 1; i < n; i++) {
		if (x[i] < lo)
			lo = x[i];
		if (x[i] > hi)
			hi = x[i];
	}
	/* A constant column carries no information: it becomes all zeros. */
	if (!(hi > lo)) {
		memset(x, 0, n * sizeof *x);
		return;
	}
	/* Halved, a span near DBL_MAX does not overflow to infinity. */
	if (isfinite(hi - lo)) {
		for (i = 0; i < n; i++)
			x[i] = (x[i] - lo) / (hi - lo);
	} else {
		for (i = 0; i < n; i++)
			x[i] = (x[i] / 2 - lo / 2) / (hi / 2 - lo / 2);
	}
}

static const double *rank_x;

static int
cmp_rank(const void *a, const void *b)
{
	uint64_t i = *(const uint64_t *)a, j = *(const uint64_t *)b;

	if (rank_x[i] != rank_x[j])
		return rank_x[i] < rank_x[j] ? -1 : 1;
	return i < j ? -1 : i > j;
}

/*
 * Percentile rank: the 0-based position in sorted order divided by n - 1,
 * ties taking the mean of their positions; so the values span [0, 1].  A
 * constant column (or a single row) becomes all zeros.
 */
static void
rank(double *x, uint64_t n)
{
	uint64_t *ix, i, j, k;
	double *r;

	if (n == 0)
		return;
	ix = sp_xreallocarray(NULL, n, sizeof *ix);
	r = sp_xreallocarray(NULL, n, sizeof *r);
	for (i = 0; i < n; i++)
		ix[i] = i;
	rank_x = x;
	qsort(ix, n, sizeof *ix, cmp_rank);
	rank_x = NULL;
	for (i = 0; i < n; i = j) {
		for (j = i + 1; j < n && x[ix[j]] == x[ix[i]]; j++)
			;
		for (k = i; k < j; k++)
			r[ix[k]] = (n > 1 && !(i == 0 && j == n)) ?
			    ((double)i + (double)(j - 1)) / 2 / (double)(n - 1) : 0;
	}
	memcpy(x, r, n * sizeof *x);
	free(r);
	free(ix);
}

static void
finish_numeric(const struct feature *f, struct fdata *d, uint64_t n)
{
	uint64_t i;

	switch (f->xform) {
	case X_MINMAX:
	case X_LOG1P_MINMAX:
		minmax(d->x, n);
		break;
	case X_RANK:
		rank(d->x, n);
		break;
	case X_SCALE:
		for (i = 0; i < n; i++)
			d->x[i] /= f->by;
		break;
	default:
		break;
	}
	for (i = 0; i < n; i++)
		d->x[i] *= f->weight;
}

/*
 * Sorts the categories of d (the first part's, holding every part's):
 * d->map, and the next part's map when next is not NULL, then take the
 * parts' ids to their positions in sorted order.
 */
static void
finish_onehot(struct fdata *d, struct fdata *next)
{
	uint32_t *sorted = sp_strtab_sorted(&d->cats), *pos;
	size_t i;

	pos = sp_xreallocarray(NULL, d->cats.n + 1, sizeof *pos);
	for (i = 0; i < d->cats.n; i++)
		pos[sorted[i]] = (uint32_t)i;
	for (i = 0; next != NULL && i < next->cats.n; i++)
		next->map[i] = pos[next->map[i]];
	free(d->map);
	d->map = pos;
	free(sorted);
}

static int
cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

static void
sort_u32(uint32_t *a, size_t n)
{
	size_t i, j;
	uint32_t t;

	if (n > 32) {
		qsort(a, n, sizeof *a, cmp_u32);
		return;
	}
	for (i = 1; i < n; i++) {
		t = a[i];
		for (j = i; j > 0 && a[j - 1] > t; j--)
			a[j] = a[j - 1];
		a[j] = t;
	}
}

/* Appends the column names of feature f to b, one JSON string a line. */
static void
add_colnames(struct sp_buf *b, const struct feature *f, const struct fdata *d)
{
	struct sp_buf name = { 0 };
	const char *s;
	size_t i, len;
	uint32_t *sorted;

	if (is_numeric(f->xform)) {
		sp_buf_json_str(b, f->prefix, strlen(f->prefix));
		sp_buf_addc(b, '\n');
		return;
	}
	if (f->xform == X_HASH) {
		for (i = 0; i < f->dim; i++) {
			sp_buf_reset(&name);
			sp_buf_printf(&name, "%s#hash%zu", f->prefix, i);
			sp_buf_json_str(b, name.data, name.len);
			sp_buf_addc(b, '\n');
		}
		sp_buf_free(&name);
		return;
	}
	sorted = sp_strtab_sorted(&d->cats);
	for (i = 0; i < d->cats.n; i++) {
		sp_buf_reset(&name);
		sp_buf_printf(&name, "%s=", f->prefix);
		s = sp_strtab_str(&d->cats, sorted[i], &len);
		sp_buf_add(&name, s, len);
		sp_buf_json_str(b, name.data, name.len);
		sp_buf_addc(b, '\n');
	}
	free(sorted);
	sp_buf_free(&name);
}

/*
 * Finishes every feature's values over the input's rows and gives it its
 * block of columns; their names into names.  Returns the number of
 * columns.
 */
static uint64_t
columns(struct spec *s, struct input *in, uint64_t rows, struct sp_buf *names)
{
	uint64_t cols = 0;
	size_t i;

	for (i = 0; i < s->nfeat; i++) {
		struct feature *f = &s->feat[i];
		struct fdata *d = &in->part[0].fd[i];

		if (is_numeric(f->xform)) {
			finish_numeric(f, d, rows);
			f->ncols = 1;
		} else {
			if (f->xform == X_ONEHOT)
				finish_onehot(d, in->nparts > 1 ? &in->part[1].fd[i] : NULL);
			f->ncols = f->xform == X_HASH ? f->dim : d->cats.n;
		}
		f->col0 = cols;
		cols += f->ncols;
		if (cols > UINT32_MAX)
			sp_die(SP_EXIT_DATA, "%s: more than %u columns", in->name, UINT32_MAX);
		add_colnames(names, f, d);
	}
	return cols;
}

/*
 * The entries of a categorical feature in row i (of its part) into ind,
 * val from *nnz: as columns (onehot: through d->map), sorted, runs of one
 * column added up (hashed signs cancel).
 */
static void
add_categorical(const struct feature *f, const struct fdata *d, uint64_t i,
    uint32_t *ind, float *val, uint32_t **scratch, size_t *scap, uint64_t *nnz)
{
	uint64_t beg = i > 0 ? d->rowend[i - 1] : 0, end = d->rowend[i], k, run;
	uint32_t *sc;
	float v;

	if (end == beg)
		return;		/* no value: nothing to copy, and scratch may be NULL */
	if (end - beg > *scap) {
		*scap = end - beg;
		*scratch = sp_xreallocarray(*scratch, *scap, sizeof **scratch);
	}
	sc = *scratch;
	if (d->map != NULL)
		for (k = 0; k < end - beg; k++)
			sc[k] = d->map[d->ent[beg + k]];
	else
		memcpy(sc, d->ent + beg, (end - beg) * sizeof *sc);
	sort_u32(sc, end - beg);
	for (k = 0; k < end - beg; k = run) {
		uint32_t col = f->xform == X_HASH ? sc[k] >> 1 : sc[k];
		double sum = 0;

		for (run = k; run < end - beg; run++) {
			uint32_t e = sc[run];

			if ((f->xform == X_HASH ? e >> 1 : e) != col)
				break;
			sum += (f->xform == X_HASH && (e & 1)) ? -1 : 1;
		}
		if ((v = (float)(sum * f->weight)) != 0) {
			ind[*nnz] = (uint32_t)(f->col0 + col);
			val[(*nnz)++] = v;
		}
	}
}

/* The row labels of a matrix being built, joined and indexed beside the build. */
struct labels {
	struct sp_mat m;	/* only rows and the labels */
	struct input *in;
	char *text;
	size_t len;
	int rc;
};

static void *
index_labels(void *arg)
{
	struct labels *l = arg;
	struct part *a = &l->in->part[0];

	if (l->in->nparts > 1 && l->in->part[1].labels.len > 0) {
		sp_buf_add(&a->labels, l->in->part[1].labels.data, l->in->part[1].labels.len);
		sp_buf_free(&l->in->part[1].labels);
	}
	l->text = sp_buf_detach(&a->labels, &l->len);
	l->rc = sp_mat_set_labels(&l->m, l->text, l->len);
	return NULL;
}

/*
 * One part's rows of the matrix: its entries go to ind, val (room for at
 * most its entries), each row's end (from ind) to end[0 .. rows).  The
 * numeric values of every part are the first part's (join); row0 is the
 * part's first row.
 */
struct bpart {
	const struct spec *s;
	const struct part *p, *first;
	uint64_t row0, *end, nnz;
	uint32_t *ind;
	float *val;
};

static void *
build_part(void *arg)
{
	struct bpart *b = arg;
	uint32_t *scratch = NULL;
	size_t f_i, scap = 0;
	uint64_t i;
	float v;

	for (i = 0; i < b->p->rows; i++) {
		for (f_i = 0; f_i < b->s->nfeat; f_i++) {
			const struct feature *f = &b->s->feat[f_i];

			if (!is_numeric(f->xform)) {
				add_categorical(f, &b->p->fd[f_i], i, b->ind, b->val, &scratch, &scap,
				    &b->nnz);
			} else if ((v = (float)b->first->fd[f_i].x[b->row0 + i]) != 0) {
				b->ind[b->nnz] = (uint32_t)f->col0;
				b->val[b->nnz++] = v;
			}
		}
		b->end[i] = b->nnz;
	}
	free(scratch);
	return NULL;
}

/* The most entries part p's rows can give: a bound of their non-zeros. */
static uint64_t
part_cap(const struct spec *s, const struct part *p)
{
	uint64_t cap = 0;
	size_t i;

	for (i = 0; i < s->nfeat; i++)
		cap += is_numeric(s->feat[i].xform) ? p->rows : p->fd[i].nent;
	return cap;
}

/*
 * Builds the CSR matrix from the parts' per-row data, each part's rows on
 * a thread of their own (into its own stretch of the arrays, closed up
 * after), and with threads > 1 a further thread joining and indexing the
 * row labels meanwhile.
 */
static void
build(struct spec *s, struct input *in, int threads, struct sp_mat *m)
{
	uint64_t rows = 0, cols, cap = 0, i;
	struct sp_buf names = { 0 };
	struct labels lab = { 0 };
	struct bpart bp[2];
	size_t len;
	pthread_t t, tp;
	int two = 0, twop = 0, k;
	char *p;

	for (k = 0; k < in->nparts; k++)
		rows += in->part[k].rows;
	/* Before the threads: columns() may end the tool. */
	cols = columns(s, in, rows, &names);
	if (rows > 0) {
		lab.m.rows = rows;
		lab.in = in;
		if (threads > 1)
			two = pthread_create(&t, NULL, index_labels, &lab) == 0;
		if (!two)
			index_labels(&lab);
	}
	memset(m, 0, sizeof *m);
	m->layout = SP_MAT_CSR;
	m->dtype = SP_MAT_F32;
	m->rows = rows;
	m->cols = cols;
	m->indptr = sp_xreallocarray(NULL, rows + 1, sizeof *m->indptr);
	for (k = 0; k < in->nparts; k++)
		cap += part_cap(s, &in->part[k]);
	m->indices = sp_xreallocarray(NULL, cap ? cap : 1, sizeof *m->indices);
	m->values = sp_xreallocarray(NULL, cap ? cap : 1, sizeof(float));
	m->indptr[0] = 0;
	bp[0] = (struct bpart){ s, &in->part[0], &in->part[0], 0, m->indptr + 1, 0,
	    m->indices, m->values };
	if (in->nparts > 1) {
		uint64_t cap0 = part_cap(s, &in->part[0]);

		bp[1] = (struct bpart){ s, &in->part[1], &in->part[0], in->part[0].rows,
		    m->indptr + 1 + in->part[0].rows, 0, m->indices + cap0,
		    (float *)m->values + cap0 };
		twop = pthread_create(&tp, NULL, build_part, &bp[1]) == 0;
	}
	build_part(&bp[0]);
	if (in->nparts > 1) {
		if (twop)
			pthread_join(tp, NULL);
		else
			build_part(&bp[1]);
		/* The second part's entries, moved up to the first's end. */
		memmove(m->indices + bp[0].nnz, bp[1].ind, bp[1].nnz * sizeof *m->indices);
		memmove((float *)m->values + bp[0].nnz, bp[1].val, bp[1].nnz * sizeof(float));
		for (i = 0; i < in->part[1].rows; i++)
			bp[1].end[i] += bp[0].nnz;
	}
	m->nnz = m->indptr[rows];

	if (two)
		pthread_join(t, NULL);
	if (rows > 0) {
		if (lab.rc != 0)
			sp_die(SP_EXIT_DATA, "internal error: label lines do not match rows");
		m->labels = lab.m.labels;
		m->labels_len = lab.m.labels_len;
		m->label_off = lab.m.label_off;
	}
	if (cols > 0) {
		p = sp_buf_detach(&names, &len);
		if (sp_mat_set_colnames(m, p, len) != 0)
			sp_die(SP_EXIT_DATA, "internal error: column names do not match columns");
	}
	sp_buf_free(&names);
}

/*
 * sp-encode -s SPEC [FILE]
 *
 * Reads NDJSON feature rows, one object per track, from FILE or stdin, and
 * writes one sparse CSR float32 matrix (schemas/matrix.md) to stdout: one
 * row per input line, with the row labels (the spec's id and label fields)
 * and the column names.  The spec (a JSON file) says which fields become
 * which columns; see sp-encode(1).
 *
 * Exit status: 0 ok; 1 bad input data (invalid JSON, a value of the wrong
 * type, a missing id) or a read or write error; 2 bad usage or a spec that
 * cannot be read or is not valid.
 */
int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "spec", required_argument, NULL, 's' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	const char *spec_path = NULL, *path = NULL, *msg;
	struct spec spec;
	struct input in;
	struct sp_mat m;
	int c, verbose = 0, threads;
	long line;

	sp_init(argv[0]);
	while ((c = getopt_long(argc, argv, "hs:v", longopts, NULL)) != -1) {
		switch (c) {
		case 'h':
			usage(stdout, SP_EXIT_OK);
			break;
		case 's':
			spec_path = optarg;
			break;
		case 'v':
			verbose = 1;
			break;
		case 'V':
			sp_version();
			break;
		default:
			usage(stderr, SP_EXIT_USAGE);
		}
	}
	if (spec_path == NULL) {
		sp_warn("missing -s SPEC");
		usage(stderr, SP_EXIT_USAGE);
	}
	if (argc - optind > 1)
		usage(stderr, SP_EXIT_USAGE);
	if (optind < argc)
		path = argv[optind];
	if (isatty(STDOUT_FILENO)) {
		sp_warn("refusing to write a binary matrix to a terminal");
		sp_hint("redirect stdout to a file or a pipe: sp-encode -s SPEC FILE >x.spm");
		return SP_EXIT_USAGE;
	}

	load_spec(&spec, spec_path);
	if (input_open(&in, path) != 0)
		return SP_EXIT_DATA;
	threads = sp_la_threads() > 1 ? 2 : 1;
	if (read_input(&spec, &in, threads, &line, &msg) != 0)
		sp_die_at(SP_EXIT_DATA, in.name, line, "%s", msg);

	build(&spec, &in, threads, &m);
	if (verbose)
		sp_warn("%s: %llu rows (%llu parsed by jq), %llu columns, %llu non-zeros",
		    in.name, (unsigned long long)m.rows, (unsigned long long)in.part[0].nslow,
		    (unsigned long long)m.cols, (unsigned long long)m.nnz);
	/* The matrix holds all it needs: the parts' memory goes before the write. */
	input_close(&in);
	if (sp_mat_write(stdout, &m) != 0) {
		/* _exit: the atexit close of stdout would report it a second time. */
		sp_warn("write error on stdout: %s", strerror(errno));
		_exit(SP_EXIT_DATA);
	}

	sp_mat_free(&m);
	free_spec(&spec);
	return SP_EXIT_OK;
}
