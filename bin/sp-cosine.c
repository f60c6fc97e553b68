/* sp-cosine: ranks new releases by cosine similarity to listening histories. */
#include <errno.h>
#include <float.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cblas.h>

#include "blaskern.h"
#include "buf.h"
#include "dates.h"
#include "diag.h"
#include "jscan.h"
#include "linalg.h"
#include "mat.h"
#include "ndjson.h"
#include "opt.h"
#include "strtab.h"
#include "topk.h"

/*
 * The similarity product is formed in tiles of BH history (union) rows x
 * CB candidates; the history x candidates matrix is never held whole.
 * Every sgemm call has the same shape, BH x CB x dim (the last blocks
 * padded with zero rows), so that a similarity is the same float whichever
 * tile and place in it the pair falls in: one listener scored alone or
 * among many (the union product below) gets the same scores and ties.
 */
#define BH 1152
#define PERIOD 48	/* BH is a multiple; see chunk_slots */
#define CB 64		/* candidates per block (the bits of lanes_t) */
#define MAX_THREADS 16

#define NO_DAY INT32_MIN
#define NONE UINT32_MAX

enum { SCORE_MAX, SCORE_TOPK, SCORE_CENTROID, SCORE_WEIGHTED };
static const char *const score_names[] = { "max", "topk-mean", "centroid", "weighted", NULL };

static struct {
	int score, topk, because, top, per_artist, days, threads, verbose, labels;
	int32_t now;
	const char *history, *exclude, *id_field, *date_field, *heard_field, *artist_field;
} o = {
	.score = SCORE_MAX, .topk = 5, .because = 3, .top = 25, .days = 7,
	.id_field = "track_id", .date_field = "release_date",
	.heard_field = "heard", .artist_field = "artist_ids",
};

/* What the labels say about one matrix row. */
struct row {
	uint32_t id;		/* index in ids */
	int32_t day;		/* release day, or NO_DAY */
	uint32_t art, nart;	/* its artists: arts[art .. art + nart) */
	int heard;
	int zero;		/* all zero: no direction, no cosine */
};

/* One history entry: a listener, a matrix row and the entry's weight. */
struct hent {
	uint32_t user, row;
	double w;
};

/* A listener: a name (NULL without --history) and its history entries. */
struct user {
	char *name;
	size_t name_len;
	uint32_t ent, nent;	/* hents[ent .. ent + nent), sorted by row */
	uint32_t given;		/* entries in the history file */
};

static const char *in_name;
static struct sp_mat mat;
static uint64_t nrows;
static int dim;
static float *X;		/* nrows x dim, each row of unit length (or zero) */
static struct row *rows;
static uint32_t *arts;
static size_t narts;
static struct sp_strtab ids, artists, unames;
static uint32_t *id_row;	/* the first row of each id */
static struct hent *hents;
static size_t nhents;
static struct user *users;
static uint32_t nusers;
static uint32_t *cand;		/* candidate rows */
static uint32_t ncand;
static float *Cp;		/* packed unit candidate vectors, ncand x dim,
				   then zero rows up to a whole block */
static uint32_t ncblk;		/* candidate blocks (of CB) */
static uint32_t *corig;		/* pruned: each candidate's index in the whole set */
#define CORIG(c) (corig != NULL ? corig[c] : (c))
static uint32_t *xfirst, *xid;	/* --exclude: listener u's ids xid[xfirst[u] .. xfirst[u + 1]) */
static size_t zero_hist;	/* history entries skipped: all-zero rows */
static uint32_t zero_cand;	/* candidates skipped: the same */

static double
seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

static void __attribute__((noreturn))
usage(FILE *fp, int status)
{
	fputs("usage: sp-cosine [-v] [-n N] [--score METHOD] [--history FILE] [--exclude FILE] [--now DATE] [--days N] [OPTIONS] [FILE]\n"
	    "Ranks the rows of a dense embedding (FILE or stdin) released within --days\n"
	    "before --now by cosine similarity to listening histories; writes NDJSON\n"
	    "(see sp-cosine(1)).\n"
	    "  -n, --top N            recommendations per listener (default 25)\n"
	    "      --score METHOD     max (default), topk-mean, centroid or weighted\n"
	    "      --topk N           the N of topk-mean (default 5)\n"
	    "      --because N        history tracks listed per recommendation (default 3)\n"
	    "      --per-artist N     at most N recommendations per artist (default 0: no cap)\n"
	    "      --history FILE     NDJSON {\"user\",\"track_id\",\"weight\"}: one history per user\n"
	    "      --exclude FILE     NDJSON {\"user\",\"track_id\"}: tracks never recommended to\n"
	    "                         the user, which neither score nor explain\n"
	    "      --now DATE         the window's last day, YYYY-MM-DD (default today, UTC)\n"
	    "      --days N           the window's length (default 7)\n"
	    "      --id FIELD         the track id label (default track_id)\n"
	    "      --date-field FIELD the release date label (default release_date)\n"
	    "      --heard-field FIELD the heard flag label (default heard)\n"
	    "      --artist-field FIELD the artists label (default artist_ids)\n"
	    "      --labels           add each candidate's labels to its line\n"
	    "      --threads N        threads (default: processors, at most 8)\n"
	    "  -v, --verbose          counts and timings on stderr\n"
	    "  -h, --help             this help\n"
	    "      --version          the version\n", fp);
	exit(status);
}

/* ---- reading the matrix and its labels ---- */

static void __attribute__((format(printf, 2, 3), noreturn))
row_die(uint64_t i, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	sp_die(SP_EXIT_DATA, "%s: row %llu: %s", in_name, (unsigned long long)i + 1, msg);
}

/*
 * The text of the string token t: its bytes in place when it has no
 * escapes, else decoded into tmp.
 */
static const char *
tok_str(const struct sp_jtok *t, struct sp_buf *tmp, size_t *len)
{
	if (memchr(t->p + 1, '\\', t->len - 2) == NULL) {
		*len = t->len - 2;
		return t->p + 1;
	}
	sp_buf_reset(tmp);
	sp_jstr_decode(t, tmp);
	*len = tmp->len;
	return tmp->data;
}

/*
 * The labels are read in two passes.  First each thread checks the JSON of
 * a range of rows, in order, and keeps the tokens of their ids and
 * artists; then one thread adds the ids to their table and another the
 * artists to theirs, each in row order.  The tables and every index are
 * those of one pass, and a bad label is reported as the first in row order
 * (each range stops at its first, and the earliest range's counts).
 */
#define LABEL_ROWS 8192		/* the least rows per thread of the first pass */

struct lpart {
	uint64_t r0, r1;		/* rows [r0, r1) */
	struct sp_jtok *atok;		/* their artists' tokens, in order */
	size_t natok, acap;
	uint64_t bad;			/* the first bad row, or r1 */
	char msg[512];			/* what is wrong with it */
};

static struct sp_jtok *idtok;		/* [row]: the id's token */

static int __attribute__((format(printf, 3, 4)))
label_bad(struct lpart *lp, uint64_t i, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(lp->msg, sizeof lp->msg, fmt, ap);
	va_end(ap);
	lp->bad = i;
	return -1;
}

static void
add_artist(struct lpart *lp, const struct sp_jtok *t)
{
	if (lp->natok == lp->acap) {
		lp->acap = lp->acap ? lp->acap * 2 : 1024;
		lp->atok = sp_xreallocarray(lp->atok, lp->acap, sizeof *lp->atok);
	}
	lp->atok[lp->natok++] = *t;
}

/* Row i's label into rows[i] (its artists counted from the range's first). */
static int
parse_label(struct lpart *lp, uint64_t i, struct sp_buf *tmp)
{
	struct sp_jtok lab, key, val, el, id = { 0 };
	struct sp_jiter it, ai;
	struct row *r = &rows[i];
	size_t len;
	const char *s = sp_mat_label(&mat, i, &len);

	if (sp_jscan(s, len, &lab) != 0 || lab.type != SP_JSON_OBJECT)
		return label_bad(lp, i, "the label is not a JSON object");
	r->day = NO_DAY;
	r->art = (uint32_t)lp->natok;
	sp_jiter_init(&it, &lab);
	while (sp_jiter_next(&it, &key, &val)) {
		if (sp_jstr_eq(&key, o.id_field)) {
			id = val;
		} else if (sp_jstr_eq(&key, o.date_field)) {
			r->day = NO_DAY;
			if (val.type == SP_JSON_NULL)
				continue;
			if (val.type == SP_JSON_STRING) {
				sp_buf_reset(tmp);
				sp_jstr_decode(&val, tmp);
				if (sp_date_parse(tmp->data, tmp->len, &r->day) == 0)
					continue;
			}
			return label_bad(lp, i, "label '%s': expected a date (YYYY, YYYY-MM or YYYY-MM-DD), got %.*s",
			    o.date_field, val.len > 40 ? 40 : (int)val.len, val.p);
		} else if (sp_jstr_eq(&key, o.heard_field)) {
			if (val.type != SP_JSON_TRUE && val.type != SP_JSON_FALSE &&
			    val.type != SP_JSON_NULL)
				return label_bad(lp, i, "label '%s': expected a boolean, got %s",
				    o.heard_field, sp_json_kind_name(val.type));
			r->heard = val.type == SP_JSON_TRUE;
		} else if (sp_jstr_eq(&key, o.artist_field)) {
			lp->natok = r->art;	/* a repeated member: the last one counts */
			if (val.type == SP_JSON_STRING) {
				add_artist(lp, &val);
			} else if (val.type == SP_JSON_ARRAY) {
				sp_jiter_init(&ai, &val);
				while (sp_jiter_next(&ai, NULL, &el)) {
					if (el.type == SP_JSON_STRING)
						add_artist(lp, &el);
					else if (el.type != SP_JSON_NULL)
						return label_bad(lp, i, "label '%s': expected strings in the array, got %s",
						    o.artist_field, sp_json_kind_name(el.type));
				}
			} else if (val.type != SP_JSON_NULL) {
				return label_bad(lp, i, "label '%s': expected a string or an array of strings, got %s",
				    o.artist_field, sp_json_kind_name(val.type));
			}
		}
	}
	r->nart = (uint32_t)(lp->natok - r->art);
	if (id.type != SP_JSON_STRING)
		return label_bad(lp, i, "label '%s': expected a string, got %s", o.id_field,
		    id.type ? sp_json_kind_name(id.type) : "nothing");
	idtok[i] = id;
	return 0;
}

static void
parse_part(void *arg, int t, int nt)
{
	struct lpart *lp = (struct lpart *)arg + t;
	struct sp_buf tmp = { 0 };
	uint64_t i;

	(void)nt;
	for (i = lp->r0; i < lp->r1; i++)
		if (parse_label(lp, i, &tmp) != 0)
			break;
	sp_buf_free(&tmp);
}

struct lparts {
	struct lpart *part;
	int n;
};

/* Thread 0 adds the ids to their table, thread 1 the artists (one thread: both). */
static void
add_strings(void *arg, int t, int nt)
{
	const struct lparts *lps = arg;
	struct sp_buf tmp = { 0 };
	const char *str;
	size_t len, k = 0;
	uint64_t i;

	if (t == 0) {
		for (i = 0; i < nrows; i++) {
			str = tok_str(&idtok[i], &tmp, &len);
			rows[i].id = sp_strtab_add(&ids, str, len, NULL);
		}
		id_row = sp_xreallocarray(NULL, ids.n, sizeof *id_row);
		memset(id_row, 0xff, (size_t)ids.n * sizeof *id_row);
		for (i = nrows; i-- > 0;)
			id_row[rows[i].id] = (uint32_t)i;
	}
	if (t == 1 || nt == 1) {
		for (int p = 0; p < lps->n; p++) {
			const struct lpart *lp = &lps->part[p];

			for (i = lp->r0; i < lp->r1; i++)
				rows[i].art += (uint32_t)k;
			for (size_t a = 0; a < lp->natok; a++) {
				str = tok_str(&lp->atok[a], &tmp, &len);
				arts[k++] = sp_strtab_add(&artists, str, len, NULL);
			}
		}
	}
	sp_buf_free(&tmp);
}

/* The rows' labels into rows[], ids, arts and artists, in threads (see above). */
static void
parse_labels(void)
{
	struct lparts lps;
	int nt = o.threads, p;
	uint64_t per;

	if ((uint64_t)nt > nrows / LABEL_ROWS)
		nt = nrows / LABEL_ROWS > 0 ? (int)(nrows / LABEL_ROWS) : 1;
	lps.n = nt;
	lps.part = sp_xcalloc((size_t)nt, sizeof *lps.part);
	idtok = sp_xcalloc(nrows + 1, sizeof *idtok);
	per = (nrows + (uint64_t)nt - 1) / (uint64_t)nt;
	for (p = 0; p < nt; p++) {
		lps.part[p].r0 = per * (uint64_t)p < nrows ? per * (uint64_t)p : nrows;
		lps.part[p].r1 = lps.part[p].r0 + per < nrows ? lps.part[p].r0 + per : nrows;
		lps.part[p].bad = lps.part[p].r1;
	}
	sp_la_parallel(parse_part, lps.part, nt);
	for (p = 0; p < nt; p++)
		if (lps.part[p].bad < lps.part[p].r1)
			row_die(lps.part[p].bad, "%s", lps.part[p].msg);
	for (p = 0, narts = 0; p < nt; p++)
		narts += lps.part[p].natok;
	arts = sp_xreallocarray(NULL, narts + 1, sizeof *arts);
	sp_la_parallel(add_strings, &lps, o.threads > 1 ? 2 : 1);
	for (p = 0; p < nt; p++)
		free(lps.part[p].atok);
	free(lps.part);
	free(idtok);
	idtok = NULL;
}

/*
 * Converts the values to float rows of unit length (sp_rows_normalize),
 * in place for float32.  A zero row stays zero, so that its cosine with
 * anything is 0, never NaN.
 */
static struct {
	uint64_t row;
	int col;		/* the first value not finite, 0 for none */
} nonfinite;

static void *
normalise(void *arg)
{
	const double *g = mat.dtype == SP_MAT_F64 ? mat.values : NULL;
	float *out;
	uint64_t i;
	int j;

	(void)arg;

	out = g == NULL ? mat.values : sp_xreallocarray(NULL, nrows * (uint64_t)dim, sizeof *out);
	for (i = 0; i < nrows; i++) {
		size_t base = (size_t)i * (size_t)dim;
		int nonzero = 0;

		for (j = 0; j < dim; j++) {
			double v = g != NULL ? g[base + j] : out[base + j];

			if (!isfinite(v)) {	/* reported after the labels' errors */
				nonfinite.row = i;
				nonfinite.col = j + 1;
				return NULL;
			}
			out[base + j] = (float)v;
			nonzero |= out[base + j] != 0;
		}
		rows[i].zero = nonzero == 0;
	}
	sp_rows_normalize(out, nrows, (size_t)dim, (size_t)dim);
	if (out != mat.values)
		free(mat.values);
	mat.values = NULL;
	X = out;
	return NULL;
}

static void
load_matrix(const char *path)
{
	pthread_t tid;
	int started;

	in_name = sp_input_name(path);
	if (sp_mat_load(path, &mat) != 0)
		exit(SP_EXIT_DATA);
	if (mat.layout != SP_MAT_DENSE) {
		sp_warn("%s: a sparse (csr) matrix: sp-cosine reads a dense embedding", in_name);
		sp_hint("embed it first: sp-svd -k 100 %s | sp-cosine", in_name);
		exit(SP_EXIT_DATA);
	}
	if (mat.rows > UINT32_MAX - 1 || mat.cols > INT_MAX)
		sp_die(SP_EXIT_DATA, "%s: %llu x %llu is too large", in_name,
		    (unsigned long long)mat.rows, (unsigned long long)mat.cols);
	nrows = mat.rows;
	dim = (int)mat.cols;
	if (nrows > 0 && mat.labels == NULL)
		sp_die(SP_EXIT_DATA, "%s: the matrix has no row labels (sp-cosine needs '%s', '%s', '%s')",
		    in_name, o.id_field, o.date_field, o.heard_field);
	rows = sp_xcalloc(nrows, sizeof *rows);
	/* The values are normalised in a thread while the labels are parsed. */
	started = pthread_create(&tid, NULL, normalise, NULL) == 0;
	parse_labels();
	if (started)
		pthread_join(tid, NULL);
	else
		normalise(NULL);
	if (nonfinite.col > 0)
		row_die(nonfinite.row, "column %d: the value is not finite", nonfinite.col);
}

/* ---- histories ---- */

static void
add_hent(uint32_t user, uint32_t row, double w, size_t *cap)
{
	if (nhents == *cap) {
		*cap = *cap ? *cap * 2 : 1024;
		hents = sp_xreallocarray(hents, *cap, sizeof *hents);
	}
	hents[nhents++] = (struct hent){ user, row, w };
}

/*
 * The history as read, before its track ids are looked up: it is read in
 * a thread while the matrix loads (whose ids are not known yet), and its
 * first error is kept for the main thread to report, after the matrix's.
 */
struct rawent {
	uint32_t user, track;	/* in unames, in hist's tracks */
	double w;
};

static struct {
	const char *path, *name;
	struct sp_buf text;	/* the track ids named, one after another: */
	size_t *toff;		/* track t's at text.data + toff[t], */
	uint32_t *tlen;		/* tlen[t] bytes long */
	uint32_t ntrack, tcap;
	struct rawent *ent;
	size_t n, cap;
	uint32_t *given;	/* entries per listener in the file */
	char err[512];		/* the first error, */
	long errline;		/* on this line (> 0) */
	int open_failed, threaded;
	double secs;
	pthread_t tid;
} hist;

static void __attribute__((format(printf, 2, 3)))
hist_fail(const struct sp_lines *lr, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(hist.err, sizeof hist.err, fmt, ap);
	va_end(ap);
	hist.errline = lr->lineno;
}

/* A string member of a history line, or NULL after the error sp_jv_str_field gives. */
static const char *
hist_str(const struct sp_lines *lr, const struct sp_jtok *t, const char *field,
    struct sp_buf *tmp, size_t *len)
{
	if (t->type != SP_JSON_STRING) {
		hist_fail(lr, "field '%s': expected a string, got %s",
		    field, t->type ? sp_json_kind_name(t->type) : "nothing");
		return NULL;
	}
	return tok_str(t, tmp, len);
}

/* Whether s[0, len) is only JSON whitespace. */
static int
blank(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n')
			return 0;
	return 1;
}

/* The members of a history line; 0 after an error. */
static int
hist_members(const struct sp_lines *lr, const char *s, size_t len, struct sp_jtok *user,
    struct sp_jtok *track, struct sp_jtok *weight)
{
	struct sp_jtok line, key, val;
	struct sp_jiter it;

	if (sp_jscan(s, len, &line) != 0) {
		jv v = sp_jv_parse(s, len), msg = jv_invalid_get_msg(v);

		hist_fail(lr, "invalid JSON: %s",
		    jv_get_kind(msg) == JV_KIND_STRING ? jv_string_value(msg) : "parse error");
		jv_free(msg);
		return 0;
	}
	if (line.type != SP_JSON_OBJECT) {
		hist_fail(lr, "expected a JSON object, got %s", sp_json_kind_name(line.type));
		return 0;
	}
	*user = *track = *weight = (struct sp_jtok){ 0 };
	sp_jiter_init(&it, &line);
	while (sp_jiter_next(&it, &key, &val)) {
		/* A repeated member: the last one counts, as in jq. */
		if (key.len == 6 && memcmp(key.p, "\"user\"", 6) == 0)
			*user = val;
		else if (key.len == 10 && memcmp(key.p, "\"track_id\"", 10) == 0)
			*track = val;
		else if (key.len == 8 && memcmp(key.p, "\"weight\"", 8) == 0)
			*weight = val;
		else if (memchr(key.p, '\\', key.len) != NULL) {
			/* An escaped spelling of a name (rare): decode it. */
			if (sp_jstr_eq(&key, "user"))
				*user = val;
			else if (sp_jstr_eq(&key, "track_id"))
				*track = val;
			else if (sp_jstr_eq(&key, "weight"))
				*weight = val;
		}
	}
	return 1;
}

/*
 * The fast path of hist_members, for the lines a history file is made of:
 * one flat object whose keys are plain ASCII, and whose values are strings
 * of printable ASCII without escapes, numbers or null, with JSON
 * whitespace between tokens.  Such a line is valid JSON and means the same
 * to both paths; any other line (escapes, other bytes, nesting, true or
 * false, an error) returns 0 and goes the general way, which also words
 * its errors.
 */
/* A plain string at p (its closing quote included), or NULL. */
static const char *
fast_str(const char *p, const char *end)
{
	if (p >= end || *p++ != '"')
		return NULL;
	for (; p < end; p++) {
		unsigned char ch = (unsigned char)*p;

		if (ch == '"')
			return p + 1;
		if (ch < 0x20 || ch >= 0x7f || ch == '\\')
			return NULL;
	}
	return NULL;
}

static int
fast_digit(const char *p, const char *end)
{
	return p < end && *p >= '0' && *p <= '9';
}

/* A JSON number at p, or NULL. */
static const char *
fast_num(const char *p, const char *end)
{
	if (p < end && *p == '-')
		p++;
	if (!fast_digit(p, end))
		return NULL;
	if (*p == '0')
		p++;
	else
		while (fast_digit(p, end))
			p++;
	if (p < end && *p == '.') {
		if (!fast_digit(++p, end))
			return NULL;
		while (fast_digit(p, end))
			p++;
	}
	if (p < end && (*p == 'e' || *p == 'E')) {
		p++;
		if (p < end && (*p == '+' || *p == '-'))
			p++;
		if (!fast_digit(p, end))
			return NULL;
		while (fast_digit(p, end))
			p++;
	}
	return p;
}

static int
hist_fast(const char *s, size_t len, struct sp_jtok *user, struct sp_jtok *track,
    struct sp_jtok *weight)
{
	const char *p = sp_jscan_ws(s, s + len), *end = s + len, *k, *v;
	struct sp_jtok val, *dst;

	*user = *track = *weight = (struct sp_jtok){ 0 };
	if (p >= end || *p++ != '{')
		return 0;
	p = sp_jscan_ws(p, end);
	if (p < end && *p == '}')
		return sp_jscan_ws(p + 1, end) == end;
	for (;;) {
		k = p;
		if ((p = fast_str(p, end)) == NULL)
			return 0;
		dst = p - k == 6 && memcmp(k, "\"user\"", 6) == 0 ? user :
		    p - k == 10 && memcmp(k, "\"track_id\"", 10) == 0 ? track :
		    p - k == 8 && memcmp(k, "\"weight\"", 8) == 0 ? weight : NULL;
		p = sp_jscan_ws(p, end);
		if (p >= end || *p++ != ':')
			return 0;
		v = p = sp_jscan_ws(p, end);
		if (p < end && *p == '"')
			p = fast_str(p, end), val.type = SP_JSON_STRING;
		else if (end - p >= 4 && memcmp(p, "null", 4) == 0)
			p += 4, val.type = SP_JSON_NULL;
		else
			p = fast_num(p, end), val.type = SP_JSON_NUMBER;
		if (p == NULL)
			return 0;
		val.p = v;
		val.len = (size_t)(p - v);
		if (dst != NULL)	/* a repeated member: the last one counts */
			*dst = val;
		p = sp_jscan_ws(p, end);
		if (p < end && *p == ',') {
			p = sp_jscan_ws(p + 1, end);
			continue;
		}
		return p < end && *p == '}' && sp_jscan_ws(p + 1, end) == end;
	}
}

/* The weight member of a history line (1 without one); -1 after an error. */
static double
hist_weight(const struct sp_lines *lr, const struct sp_jtok *weight)
{
	char num[64], *end;
	double w = 1;

	if (weight->type == SP_JSON_NUMBER) {
		size_t i = 0;
		uint64_t n = 0;

		/* A whole number of up to 15 digits is exact: strtod's value. */
		while (i < weight->len && i < 16 && weight->p[i] >= '0' && weight->p[i] <= '9')
			n = n * 10 + (uint64_t)(weight->p[i++] - '0');
		if (i == weight->len && i <= 15)
			return (double)n;
		if (weight->len >= sizeof num)
			w = -1;	/* no weight needs 64 characters */
		else {
			memcpy(num, weight->p, weight->len);
			num[weight->len] = '\0';
			w = strtod(num, &end);
		}
		if (!isfinite(w) || w < 0) {
			hist_fail(lr, "field 'weight': expected a number >= 0");
			return -1;
		}
	} else if (weight->type != 0 && weight->type != SP_JSON_NULL) {
		hist_fail(lr, "field 'weight': expected a number, got %s", sp_json_kind_name(weight->type));
		return -1;
	}
	return w;
}

/* The next line of --history (sp_flines: a megabyte a read), numbered in lr. */
static const char *
hist_line(struct sp_lines *lr, struct sp_flines *fl, size_t *len)
{
	const char *line;
	char err[128];
	int rc;

	if ((rc = sp_flines_next(fl, &line, len, err, sizeof err)) < 0)
		sp_die_at(SP_EXIT_DATA, lr->name, fl->lineno + 1, "%s", err);
	lr->lineno = fl->lineno;
	return rc > 0 ? line : NULL;
}

/*
 * The index of each track id read among hist's tracks (numbered in order
 * of first appearance): an open-addressing table whose slots hold their
 * key when it is up to TKEY bytes (a track id has 22), so that finding a
 * known id costs one cache line, not the four arrays of a strtab; a
 * longer key is compared in hist.text.
 */
#define TKEY 27

struct tslot {
	uint32_t id1;		/* index + 1; 0: empty */
	uint8_t len;		/* TKEY + 1: longer, see hist.text */
	char key[TKEY];
};

static struct {
	struct tslot *slot;
	size_t mask, n;
} tcache;

static uint64_t
tkey_hash(const char *s, size_t n)
{
	uint64_t h = n * 0x9e3779b97f4a7c15u, w;

	for (; n >= 8; s += 8, n -= 8) {
		memcpy(&w, s, 8);
		h = (h ^ w) * 0xff51afd7ed558ccdu;
		h ^= h >> 32;
	}
	w = 0;
	memcpy(&w, s, n);
	h = (h ^ w) * 0xc4ceb9fe1a85ec53u;
	return h ^ (h >> 29);
}

/* The key of a used slot. */
static const char *
tkey(const struct tslot *sl)
{
	return sl->len <= TKEY ? sl->key : hist.text.data + hist.toff[sl->id1 - 1];
}

static void
tcache_grow(void)
{
	struct tslot *old = tcache.slot;
	size_t nold = old ? tcache.mask + 1 : 0, i, j;

	tcache.mask = nold ? nold * 2 - 1 : 4095;
	tcache.slot = sp_xcalloc(tcache.mask + 1, sizeof *tcache.slot);
	for (i = 0; i < nold; i++) {
		if (old[i].id1 == 0)
			continue;
		j = tkey_hash(tkey(&old[i]), hist.tlen[old[i].id1 - 1]) & tcache.mask;
		while (tcache.slot[j].id1 != 0)
			j = (j + 1) & tcache.mask;
		tcache.slot[j] = old[i];
	}
	free(old);
}

static uint32_t
track_index(const char *s, size_t len)
{
	struct tslot *sl;
	size_t i;
	uint32_t id;

	if (len > UINT32_MAX)
		sp_die(SP_EXIT_DATA, "%s: a track id of %zu bytes", sp_input_name(hist.path), len);
	if (tcache.slot == NULL)
		tcache_grow();
	for (i = tkey_hash(s, len) & tcache.mask;; i = (i + 1) & tcache.mask) {
		sl = &tcache.slot[i];
		if (sl->id1 == 0)
			break;
		if ((sl->len == len || (sl->len > TKEY && hist.tlen[sl->id1 - 1] == len)) &&
		    memcmp(tkey(sl), s, len) == 0)
			return sl->id1 - 1;
	}
	if (hist.ntrack == hist.tcap) {
		hist.tcap = hist.tcap ? hist.tcap * 2 : 1024;
		hist.toff = sp_xreallocarray(hist.toff, hist.tcap, sizeof *hist.toff);
		hist.tlen = sp_xreallocarray(hist.tlen, hist.tcap, sizeof *hist.tlen);
	}
	id = hist.ntrack++;
	hist.toff[id] = hist.text.len;
	hist.tlen[id] = (uint32_t)len;
	sp_buf_add(&hist.text, s, len);
	sl->id1 = id + 1;
	sl->len = len <= TKEY ? (uint8_t)len : TKEY + 1;
	if (len <= TKEY)
		memcpy(sl->key, s, len);
	if (++tcache.n * 2 > tcache.mask + 1)
		tcache_grow();	/* sl moves */
	return id;
}

/*
 * Reads --history: one entry a line.  Lines are scanned in place (jscan),
 * not built as values: several hundred thousand lines a second.  A line
 * that is not JSON is parsed again by jq, for the message.  Stops at the
 * first error, kept in hist.
 */
static void *
hist_read(void *arg)
{
	struct sp_lines lr;
	struct sp_buf ubuf = { 0 }, tbuf = { 0 };
	struct sp_flines fl;
	struct sp_jtok user, track, weight;
	size_t len, ulen, lastlen = 0;
	uint32_t u = NONE;
	const char *s, *us;
	int added;
	double w, t0 = seconds();

	(void)arg;
	if (sp_lines_open(&lr, hist.path) != 0) {
		hist.open_failed = 1;
		return NULL;
	}
	hist.name = lr.name;
	/* Nothing of the stream is read yet: its descriptor is read directly. */
	sp_flines_init(&fl, fileno(lr.fp), 0, 0, -1);
	fl.max_len = lr.max_len;
	while ((s = hist_line(&lr, &fl, &len)) != NULL) {
		if (blank(s, len))
			continue;
		if ((!hist_fast(s, len, &user, &track, &weight) &&
		    !hist_members(&lr, s, len, &user, &track, &weight)) ||
		    (us = hist_str(&lr, &user, "user", &ubuf, &ulen)) == NULL)
			break;
		/* A history file comes grouped by listener: most lines name the last one. */
		if (u == NONE || ulen != lastlen || memcmp(us, sp_strtab_str(&unames, u, NULL), ulen) != 0) {
			u = sp_strtab_add(&unames, us, ulen, &added);
			lastlen = ulen;
			if (added) {
				hist.given = sp_xreallocarray(hist.given, unames.n, sizeof *hist.given);
				hist.given[u] = 0;
			}
		}
		hist.given[u]++;
		if ((w = hist_weight(&lr, &weight)) < 0 ||
		    (s = hist_str(&lr, &track, "track_id", &tbuf, &len)) == NULL)
			break;
		if (hist.n == hist.cap) {
			hist.cap = hist.cap ? hist.cap * 2 : 1024;
			hist.ent = sp_xreallocarray(hist.ent, hist.cap, sizeof *hist.ent);
		}
		hist.ent[hist.n++] = (struct rawent){ u, track_index(s, len), w };
	}
	sp_lines_close(&lr);
	sp_flines_free(&fl);
	free(tcache.slot);
	tcache.slot = NULL;
	tcache.n = 0;
	sp_buf_free(&ubuf);
	sp_buf_free(&tbuf);
	hist.secs = seconds() - t0;
	return NULL;
}

/* Starts reading --history path, in a thread unless it is stdin. */
static void
hist_start(const char *path)
{
	hist.path = path;
	hist.threaded = path != NULL && strcmp(path, "-") != 0 &&
	    pthread_create(&hist.tid, NULL, hist_read, NULL) == 0;
}

/*
 * Ends the reading of --history once the matrix is loaded: reports its
 * error, or looks its tracks up (once per track named) and groups its
 * entries per listener.
 */
static void
hist_finish(void)
{
	size_t cap = 0, missing = 0, zero = 0, len;
	uint32_t u, id, *trow;
	double t0;
	const char *s;

	if (hist.threaded)
		pthread_join(hist.tid, NULL);
	else
		hist_read(NULL);
	t0 = seconds();
	if (hist.open_failed)
		exit(SP_EXIT_DATA);
	if (hist.errline > 0)
		sp_die_at(SP_EXIT_DATA, hist.name, hist.errline, "%s", hist.err);
	trow = sp_xreallocarray(NULL, hist.ntrack + 1, sizeof *trow);
	for (uint32_t t = 0; t < hist.ntrack; t++) {
		s = hist.text.data + hist.toff[t];
		len = hist.tlen[t];
		id = sp_strtab_find(&ids, s, len);
		trow[t] = id == SP_STRTAB_NONE ? NONE : id_row[id];
	}
	for (size_t i = 0; i < hist.n; i++) {
		uint32_t r = trow[hist.ent[i].track];

		if (r == NONE)
			missing++;
		else if (rows[r].zero)
			zero++;
		else
			add_hent(hist.ent[i].user, r, hist.ent[i].w, &cap);
	}
	if (o.verbose)
		sp_warn("%s: %u %s, %zu %s; %zu %s not in %s (ignored); read in %.3f s",
		    sp_input_name(hist.path), unames.n, sp_plural(unames.n, "listener", "listeners"),
		    hist.n, sp_plural((long)hist.n, "entry", "entries"),
		    missing, sp_plural((long)missing, "name track", "name tracks"), in_name,
		    hist.secs + seconds() - t0);
	zero_hist += zero;
	nusers = unames.n;
	users = sp_xcalloc(nusers, sizeof *users);
	for (u = 0; u < nusers; u++) {
		users[u].name = (char *)sp_strtab_str(&unames, u, &users[u].name_len);
		users[u].given = hist.given[u];
	}
	free(trow);
	free(hist.given);
	free(hist.ent);
	sp_buf_free(&hist.text);
	free(hist.toff);
	free(hist.tlen);
}

/* Without --history: one listener whose history is the heard, older rows. */
static void
label_history(void)
{
	size_t cap = 0;
	int32_t old = o.now - o.days;

	for (uint64_t i = 0; i < nrows; i++) {
		const struct row *r = &rows[i];

		if (r->heard && (r->day == NO_DAY || r->day <= old) && id_row[r->id] == i) {
			if (r->zero)
				zero_hist++;
			else
				add_hent(0, (uint32_t)i, 1, &cap);
		}
	}
	nusers = 1;
	users = sp_xcalloc(1, sizeof *users);
}

static int
hent_row_cmp(const void *a, const void *b)
{
	const struct hent *x = a, *y = b;

	return (x->row > y->row) - (x->row < y->row);
}

/*
 * Sorts the entries per listener and row, summing the weights of repeats:
 * by listener in one counting pass (their order in the file kept), then
 * each listener's by row.
 */
static void
group_history(void)
{
	struct hent *by;
	size_t i, k = 0, *at = sp_xcalloc((size_t)nusers + 1, sizeof *at);
	uint32_t u;

	for (i = 0; i < nhents; i++)
		at[hents[i].user + 1]++;
	for (u = 0; u < nusers; u++)
		at[u + 1] += at[u];
	by = sp_xreallocarray(NULL, nhents + 1, sizeof *by);
	for (i = 0; i < nhents; i++)
		by[at[hents[i].user]++] = hents[i];
	free(hents);
	hents = by;
	for (u = 0, i = 0; u < nusers; i = at[u++])
		if (at[u] - i > 1)
			qsort(hents + i, at[u] - i, sizeof *hents, hent_row_cmp);
	free(at);
	for (i = 0; i < nhents; i++) {
		if (k > 0 && hents[k - 1].user == hents[i].user && hents[k - 1].row == hents[i].row)
			hents[k - 1].w += hents[i].w;
		else
			hents[k++] = hents[i];
	}
	nhents = k;
	for (i = 0; i < nhents; i++) {
		struct user *us = &users[hents[i].user];

		if (us->nent++ == 0)
			us->ent = (uint32_t)i;
	}
}

/*
 * Reads --exclude: each line's track is never recommended to its user (a
 * recording the listener heard under another id), though it is not the
 * listener's history: it neither scores nor explains.  Without --history
 * the one listener is every line's.  Users and tracks sp-cosine does not
 * know are skipped.  Without --exclude every listener has none.
 */
static void
read_exclude(void)
{
	struct sp_lines r;
	size_t n = 0, cap = 0, len, skipped = 0;
	uint32_t *pu = NULL, *pi = NULL, u, id;
	const char *s;
	jv v;

	xfirst = sp_xcalloc((size_t)nusers + 2, sizeof *xfirst);
	if (o.exclude == NULL)
		return;
	if (sp_lines_open(&r, o.exclude) != 0)
		exit(SP_EXIT_DATA);
	while (sp_ndjson_next(&r, &v, 1)) {
		u = 0;
		if (o.history != NULL) {
			s = sp_jv_str_field(v, "user", 0, &r, &len);
			u = sp_strtab_find(&unames, s, len);
		}
		s = sp_jv_str_field(v, "track_id", 0, &r, &len);
		id = sp_strtab_find(&ids, s, len);
		if (u == SP_STRTAB_NONE || id == SP_STRTAB_NONE) {
			skipped++;
		} else {
			if (n == cap) {
				cap = cap ? cap * 2 : 256;
				pu = sp_xreallocarray(pu, cap, sizeof *pu);
				pi = sp_xreallocarray(pi, cap, sizeof *pi);
			}
			pu[n] = u;
			pi[n++] = id;
		}
		jv_free(v);
	}
	if (o.verbose)
		sp_warn("%s: %zu %s, %zu of unknown users or tracks (ignored)", r.name, n + skipped,
		    sp_plural((long)(n + skipped), "exclusion", "exclusions"), skipped);
	sp_lines_close(&r);
	/* Grouped by listener, in one counting pass. */
	xid = sp_xreallocarray(NULL, n + 1, sizeof *xid);
	for (size_t i = 0; i < n; i++)
		xfirst[pu[i] + 2]++;
	for (u = 0; u < nusers; u++)
		xfirst[u + 2] += xfirst[u + 1];
	for (size_t i = 0; i < n; i++)
		xid[xfirst[pu[i] + 1]++] = pi[i];
	free(pu);
	free(pi);
}

/* ---- candidates ---- */

static void
pick_candidates(void)
{
	int32_t lo = o.now - o.days;

	cand = sp_xreallocarray(NULL, nrows ? nrows : 1, sizeof *cand);
	for (uint64_t i = 0; i < nrows; i++) {
		if (rows[i].day != NO_DAY && rows[i].day > lo && rows[i].day <= o.now) {
			if (rows[i].zero)
				zero_cand++;
			else
				cand[ncand++] = (uint32_t)i;
		}
	}
	/* Blocks of CB, whatever the threads or listeners: see BH. */
	ncblk = (ncand + CB - 1) / CB;
	Cp = sp_xcalloc((size_t)ncblk * CB * (size_t)dim + 1, sizeof *Cp);
	for (uint32_t c = 0; c < ncand; c++)
		memcpy(Cp + (size_t)c * dim, X + (size_t)cand[c] * dim, (size_t)dim * sizeof *Cp);
}

/* ---- the blocked product and its reduction ---- */

/*
 * Listeners share tracks, so the product is formed once over the union of
 * the histories of a chunk of listeners (one listener: its history).  A
 * thread takes a block of CB candidates and forms its panel, union x CB,
 * in tiles of BH union rows (every tile the same sgemm call, see BH).  It
 * folds each tile, while it is in the cache, into the largest similarity
 * of each listener with entries among its rows (its weighted one for
 * --score weighted).  That bounds each candidate's score from above, and
 * is the score for max and weighted, so only the candidates that may
 * enter the listener's best M get their explanations worked out, in a
 * second pass over the panel; the others are dropped.  Each thread keeps
 * the best M of the candidates it saw; ranking merges them.  A listener
 * whose best M run out before -n lines (duplicate ids, the artist cap) is
 * scored again alone, keeping every candidate.
 */
#define UNION_MAX ((size_t)128 << 20)	/* bytes of union rows and panels */
#define KEEP_MAX ((size_t)96 << 20)	/* bytes of per-listener state */

typedef uint64_t lanes_t;	/* a bit per candidate of a block */

/* One thread's panel, its running state and the best M it saw of each listener. */
struct keep {
	float *panel;		/* [slot][CB]: similarities of one candidate block */
	float *bound;		/* [listener][CB]: the block's largest (weighted) similarity */
	float *thr;		/* [listener][CB], one listener [cand]: a list's last, +inf: none */
	float *hb;		/* one listener: the rows of the block it works on */
	float *lks;		/* [listener][CB][K]: the block's lists */
	uint32_t *lki;		/* [listener][CB][K]: and their slots */
	lanes_t *want;		/* [listener]: candidates whose lists are needed */
	double *score;		/* [listener][M]: kept candidates' scores */
	uint32_t *cand;		/* [listener][M]: their indices */
	float *ks;		/* [listener][M][K]: their best similarities */
	uint32_t *kr;		/* [listener][M][K]: and history rows, or NONE */
	uint32_t *heap;		/* [listener][M]: places in use, the worst first */
	uint32_t *n;		/* [listener]: places in use */
	uint32_t *scored;	/* [listener]: candidates scored */
	_Atomic double *worst;	/* [listener]: the worst of a full M, or -inf */
};

/* One listener's entries among the rows of one union block. */
struct seg {
	uint32_t user;		/* the listener, from the chunk's first */
	uint32_t e0, e1;	/* its entries: ecol[e0 .. e1), ew[e0 .. e1) */
};

/* The union of a chunk of listeners and what each keeps of the product. */
struct chunk {
	uint32_t u0, u1, nu;	/* the listeners */
	uint32_t n, nblk;	/* union rows, blocks of BH slots */
	uint32_t *urow;		/* slot -> matrix row, or NONE */
	float *H;		/* [slot][dim]: the union rows, zero for empty slots */
	uint32_t *bseg;		/* [nblk + 1]: each block's segments */
	struct seg *seg;
	uint16_t *ecol;		/* an entry's row in its block */
	float *ew;		/* its weight divided by the listener's largest */
	uint32_t *xoff, *xc;	/* [listener + 1]: candidates of its own history, sorted */
	double *mvec, *mnorm;	/* --score centroid: [listener][dim], [listener] */
	int K, nt, product;	/* list length, threads, whether a product is needed */
	int fused;		/* one listener: lists while each tile is in the cache */
	uint32_t M;		/* candidates kept per listener and thread */
	struct keep kp[MAX_THREADS];
	atomic_uint next;	/* the next candidate block to take */
};

static uint32_t *row_uidx;	/* matrix row -> its slot, or NONE */
static uint32_t *row_mark;	/* matrix row -> the chunk that counted it + 1 */
static uint32_t *cfirst, *cnext;	/* id -> its candidates, a chain */

/* Whether history row a sorts before b among equal similarities. */
static int
h_before(const uint32_t *hrow, uint32_t a, uint32_t b)
{
	if (b == NONE)
		return 1;
	return sp_strtab_cmp(&ids, rows[hrow[a]].id, rows[hrow[b]].id) < 0;
}

/*
 * Inserts (s, h) into a best-first list of K if it belongs there.  The
 * order (similarity, then track id) is total, so the list a set of pairs
 * gives does not depend on the order they come in.
 */
static void
kinsert(const uint32_t *hrow, float *ks, uint32_t *ki, int K, float s, uint32_t h)
{
	int p = K - 1;

	if (s < ks[p] || (s == ks[p] && !h_before(hrow, h, ki[p])))
		return;
	while (p > 0 && (s > ks[p - 1] || (s == ks[p - 1] && h_before(hrow, h, ki[p - 1])))) {
		ks[p] = ks[p - 1];
		ki[p] = ki[p - 1];
		p--;
	}
	ks[p] = s;
	ki[p] = h;
}

static int
needed_k(void)
{
	int k = o.because;

	if (o.score == SCORE_MAX && k < 1)
		k = 1;
	if (o.score == SCORE_TOPK && k < o.topk)
		k = o.topk;
	return k;
}

/* Links each id to its candidates, for a listener's own history. */
static void
index_candidates(void)
{
	cfirst = sp_xreallocarray(NULL, ids.n + 1, sizeof *cfirst);
	cnext = sp_xreallocarray(NULL, ncand + 1, sizeof *cnext);
	memset(cfirst, 0xff, (size_t)ids.n * sizeof *cfirst);
	for (uint32_t c = ncand; c-- > 0;) {
		cnext[c] = cfirst[rows[cand[c]].id];
		cfirst[rows[cand[c]].id] = c;
	}
}

static int
u32_cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x > y) - (x < y);
}

/* h = the rows of union blocks [b0, b1): every slot written, a zero row when empty. */
static void
gather_rows(const struct chunk *ch, uint32_t b0, uint32_t b1, float *h)
{
	for (size_t j = (size_t)b0 * BH; j < (size_t)b1 * BH; j++, h += dim) {
		if (ch->urow[j] != NONE)
			memcpy(h, X + (size_t)ch->urow[j] * dim, (size_t)dim * sizeof *h);
		else
			memset(h, 0, (size_t)dim * sizeof *h);
	}
}

/*
 * Places the union rows of listeners [u0, u1) in slots.  Some sgemm
 * kernels compute a similarity differently by its place in the tile
 * (OpenBLAS's Haswell kernels by place mod 12), so a row always takes a
 * place congruent to its row number mod PERIOD, alone or among many
 * listeners; the slots of a residue fill in order, block by block.
 */
static void
chunk_slots(struct chunk *ch)
{
	uint32_t u, e, b, q, cnt[PERIOD] = { 0 };

	for (u = ch->u0; u < ch->u1; u++)
		for (e = users[u].ent; e < users[u].ent + users[u].nent; e++)
			row_uidx[hents[e].row] = 0;
	for (uint64_t i = 0; i < nrows; i++)
		if (row_uidx[i] != NONE) {
			q = (uint32_t)(i % PERIOD);
			b = cnt[q] / (BH / PERIOD);
			row_uidx[i] = b * BH + cnt[q] % (BH / PERIOD) * PERIOD + q;
			cnt[q]++;
			if (b + 1 > ch->nblk)
				ch->nblk = b + 1;
			ch->n++;
		}
	ch->urow = sp_xreallocarray(NULL, (size_t)ch->nblk * BH + 1, sizeof *ch->urow);
	memset(ch->urow, 0xff, (size_t)ch->nblk * BH * sizeof *ch->urow);
	for (u = ch->u0; u < ch->u1; u++)
		for (e = users[u].ent; e < users[u].ent + users[u].nent; e++)
			ch->urow[row_uidx[hents[e].row]] = hents[e].row;
	/* One listener gathers a block at a time (fused_work). */
	if (!ch->fused) {
		ch->H = sp_la_alloc_raw((size_t)ch->nblk * BH * dim + 1, sizeof *ch->H);
		gather_rows(ch, 0, ch->nblk, ch->H);
	}
}

/*
 * Each block's entries, grouped by listener (a listener's entries of one
 * block are contiguous in the block's bucket), with their weights.
 */
static void
chunk_segs(struct chunk *ch)
{
	uint32_t u, e, b, k, x, ns = 0, ne = 0, *ecnt, *scnt, *bfirst;

	ecnt = sp_xcalloc((size_t)ch->nblk + 1, sizeof *ecnt);
	scnt = sp_xcalloc((size_t)ch->nblk + 1, sizeof *scnt);
	bfirst = sp_xcalloc((size_t)ch->nblk + 1, sizeof *bfirst);
	for (u = ch->u0; u < ch->u1; u++) {
		for (e = users[u].ent; e < users[u].ent + users[u].nent; e++) {
			b = row_uidx[hents[e].row] / BH;
			ecnt[b]++;
			if (bfirst[b] != u + 1)
				scnt[b]++, bfirst[b] = u + 1;
		}
	}
	for (b = 0; b < ch->nblk; b++) {
		k = ecnt[b], ecnt[b] = ne, ne += k;
		k = scnt[b], scnt[b] = ns, ns += k;
		bfirst[b] = 0;
	}
	ch->bseg = sp_xreallocarray(NULL, (size_t)ch->nblk + 1, sizeof *ch->bseg);
	memcpy(ch->bseg, scnt, (size_t)ch->nblk * sizeof *ch->bseg);
	ch->bseg[ch->nblk] = ns;
	ch->seg = sp_xreallocarray(NULL, (size_t)ns + 1, sizeof *ch->seg);
	ch->ecol = sp_xreallocarray(NULL, (size_t)ne + 1, sizeof *ch->ecol);
	ch->ew = sp_xreallocarray(NULL, (size_t)ne + 1, sizeof *ch->ew);
	for (u = ch->u0; u < ch->u1; u++) {
		const struct user *us = &users[u];
		double wmax = 0;

		for (e = us->ent; e < us->ent + us->nent; e++)
			if (hents[e].w > wmax)
				wmax = hents[e].w;
		for (e = us->ent; e < us->ent + us->nent; e++) {
			x = row_uidx[hents[e].row];
			b = x / BH;
			if (bfirst[b] != u + 1) {
				ch->seg[scnt[b]++] = (struct seg){ u - ch->u0, ecnt[b], ecnt[b] };
				bfirst[b] = u + 1;
			}
			ch->seg[scnt[b] - 1].e1++;
			ch->ecol[ecnt[b]] = (uint16_t)(x % BH);
			/* The weight as one listener's own product gives it. */
			ch->ew[ecnt[b]++] = wmax > 0 ? (float)(hents[e].w / wmax) : 0;
		}
	}
	free(ecnt);
	free(scnt);
	free(bfirst);
}

/* Each listener's own history among the candidates, and its centroid. */
static void
chunk_listeners(struct chunk *ch)
{
	uint32_t u, k, e, c, nx = 0, xcap = 64;

	ch->xoff = sp_xreallocarray(NULL, ch->nu + 1, sizeof *ch->xoff);
	ch->xc = sp_xreallocarray(NULL, xcap, sizeof *ch->xc);
	if (o.score == SCORE_CENTROID) {
		ch->mvec = sp_xcalloc((size_t)ch->nu * dim + 1, sizeof *ch->mvec);
		ch->mnorm = sp_xcalloc(ch->nu + 1, sizeof *ch->mnorm);
	}
	for (k = 0, u = ch->u0; u < ch->u1; k++, u++) {
		const struct user *us = &users[u];
		double *mv = ch->mvec != NULL ? ch->mvec + (size_t)k * dim : NULL;

		ch->xoff[k] = nx;
		for (e = us->ent; e < us->ent + us->nent; e++) {
			for (c = cfirst[rows[hents[e].row].id]; c != NONE; c = cnext[c]) {
				if (nx == xcap)
					ch->xc = sp_xreallocarray(ch->xc, xcap *= 2, sizeof *ch->xc);
				ch->xc[nx++] = c;
			}
			for (int j = 0; mv != NULL && j < dim; j++)
				mv[j] += hents[e].w * X[(size_t)hents[e].row * dim + j];
		}
		for (e = xfirst[u]; e < xfirst[u + 1]; e++) {
			for (c = cfirst[xid[e]]; c != NONE; c = cnext[c]) {
				if (nx == xcap)
					ch->xc = sp_xreallocarray(ch->xc, xcap *= 2, sizeof *ch->xc);
				ch->xc[nx++] = c;
			}
		}
		if (nx > ch->xoff[k])
			qsort(ch->xc + ch->xoff[k], nx - ch->xoff[k], sizeof *ch->xc, u32_cmp);
		for (int j = 0; mv != NULL && j < dim; j++)
			ch->mnorm[k] += mv[j] * mv[j];
		if (mv != NULL)
			ch->mnorm[k] = sqrt(ch->mnorm[k]);
	}
	ch->xoff[ch->nu] = nx;
}

/* Sets up listeners [u0, u1), keeping M candidates each per thread. */
static void
chunk_build(struct chunk *ch, uint32_t u0, uint32_t u1, uint32_t M, int nt)
{
	size_t per, lane;

	memset(ch, 0, sizeof *ch);
	ch->u0 = u0;
	ch->u1 = u1;
	ch->nu = u1 - u0;
	ch->K = needed_k();
	ch->M = M;
	ch->nt = nt < (int)ncblk ? nt : (int)ncblk;
	ch->product = ch->K > 0 || o.score != SCORE_CENTROID;
	ch->fused = ch->nu == 1;
	chunk_slots(ch);
	chunk_segs(ch);
	chunk_listeners(ch);
	for (uint32_t u = u0; u < u1; u++)
		for (uint32_t e = users[u].ent; e < users[u].ent + users[u].nent; e++)
			row_uidx[hents[e].row] = NONE;
	per = (size_t)ch->nu * M;
	/* One listener keeps the lists of every candidate (fused_work). */
	lane = ch->fused ? (size_t)ncblk * CB : (size_t)ch->nu * CB;
	for (int t = 0; t < ch->nt; t++) {
		struct keep *kp = &ch->kp[t];

		/* sgemm writes every float of a panel; each block sets the rest. */
		if (ch->product)
			kp->panel = sp_la_alloc_raw((size_t)(ch->fused ? 1 : ch->nblk) * BH * CB + 1,
			    sizeof *kp->panel);
		kp->bound = sp_la_alloc_raw(lane + 1, sizeof *kp->bound);
		kp->thr = sp_la_alloc_raw(lane + 1, sizeof *kp->thr);
		if (ch->fused)
			kp->hb = sp_la_alloc_raw((size_t)BH * dim + 1, sizeof *kp->hb);
		kp->lks = sp_xreallocarray(NULL, lane * ch->K + 1, sizeof *kp->lks);
		kp->lki = sp_xreallocarray(NULL, lane * ch->K + 1, sizeof *kp->lki);
		kp->want = sp_xcalloc(ch->nu + 1, sizeof *kp->want);
		kp->score = sp_xreallocarray(NULL, per + 1, sizeof *kp->score);
		kp->cand = sp_xreallocarray(NULL, per + 1, sizeof *kp->cand);
		kp->ks = sp_xreallocarray(NULL, per * ch->K + 1, sizeof *kp->ks);
		kp->kr = sp_xreallocarray(NULL, per * ch->K + 1, sizeof *kp->kr);
		kp->heap = sp_xreallocarray(NULL, per + 1, sizeof *kp->heap);
		kp->n = sp_xcalloc(ch->nu + 1, sizeof *kp->n);
		kp->scored = sp_xcalloc(ch->nu + 1, sizeof *kp->scored);
		kp->worst = sp_xreallocarray(NULL, ch->nu + 1, sizeof *kp->worst);
		for (uint32_t u = 0; u < ch->nu; u++)
			atomic_init(&kp->worst[u], -INFINITY);
	}
}

static void
chunk_free(struct chunk *ch)
{
	for (int t = 0; t < ch->nt; t++) {
		struct keep *kp = &ch->kp[t];

		free(kp->panel);
		free(kp->bound);
		free(kp->thr);
		free(kp->hb);
		free(kp->lks);
		free(kp->lki);
		free(kp->want);
		free(kp->score);
		free(kp->cand);
		free(kp->ks);
		free(kp->kr);
		free(kp->heap);
		free(kp->n);
		free(kp->scored);
		free(kp->worst);
	}
	free(ch->urow);
	free(ch->H);
	free(ch->bseg);
	free(ch->seg);
	free(ch->ecol);
	free(ch->ew);
	free(ch->xoff);
	free(ch->xc);
	free(ch->mvec);
	free(ch->mnorm);
}

/*
 * The end of the chunk from listener u0: as many listeners as the union
 * rows and panels (UNION_MAX) and the per-listener state (KEEP_MAX) allow,
 * at least one; one with SP_COSINE_PRODUCT=per-listener.
 */
static uint32_t
chunk_end(uint32_t u0, uint32_t M, int nt, int per_listener)
{
	size_t rows_max = UNION_MAX / ((size_t)dim * sizeof(float) + (size_t)nt * CB * sizeof(float) + 1);
	size_t K = (size_t)needed_k();
	size_t lis_max = KEEP_MAX / ((size_t)nt * (M * (16 + 8 * K) + CB * (8 + 8 * K) + 16));
	size_t n = 0;
	uint32_t u, e;

	if (per_listener)
		return u0 + 1;
	for (u = u0; u < nusers && (u == u0 || u - u0 < lis_max); u++) {
		size_t add = 0;

		for (e = users[u].ent; e < users[u].ent + users[u].nent; e++)
			if (row_mark[hents[e].row] != u0 + 1)
				add++;
		if (u > u0 && n + add > rows_max)
			break;
		for (e = users[u].ent; e < users[u].ent + users[u].nent; e++)
			row_mark[hents[e].row] = u0 + 1;
		n += add;
	}
	return u;
}

/*
 * tile (BH x CB, row stride CB) = h c^T: h is BH union rows, c CB
 * candidates, both dim wide.  Always this one shape (see BH).
 */
static void
tile_product(const float *h, const float *c, float *tile)
{
	if (dim > 0)
		cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, BH, CB, dim, 1.0f,
		    h, dim, c, dim, 0.0f, tile, CB);
	else
		memset(tile, 0, (size_t)CB * BH * sizeof *tile);
}

/*
 * bound[l] = the largest of bound[l] and w[e] * tile[col[e]][l] over the n
 * entries (w NULL: weight 1), for the CB candidates of a block: the hot
 * loop of many listeners, in vectors; AVX2 where the CPU has it.
 */
typedef float v8f __attribute__((vector_size(32)));
typedef int32_t v8i __attribute__((vector_size(32)));

/*
 * The larger of x and m, lane by lane (m where they compare equal or x is
 * NaN), in registers: the lanes of m stay in registers over the entries,
 * each of the CB / 8 vectors unrolled.
 */
#define LANE_MAX(x, mk) do {						\
	v8i gt_ = (x) > (mk);						\
	(mk) = (v8f)(((v8i)(x) & gt_) | ((v8i)(mk) & ~gt_));		\
} while (0)

__attribute__((target_clones("avx2", "default"))) static void
lane_max(const float *tile, const uint16_t *col, const float *w, uint32_t n, float *bound)
{
	v8f m[CB / 8], x, wv;
	uint32_t e;
	int k;

	memcpy(m, bound, sizeof m);
	if (w == NULL) {
		for (e = 0; e < n; e++) {
			const float *r = tile + (size_t)col[e] * CB;

			_Pragma("GCC unroll 8")
			for (k = 0; k < CB / 8; k++) {
				memcpy(&x, r + 8 * k, sizeof x);
				LANE_MAX(x, m[k]);
			}
		}
	} else {
		for (e = 0; e < n; e++) {
			const float *r = tile + (size_t)col[e] * CB;
			float we = w[e];

			wv = (v8f){ we, we, we, we, we, we, we, we };
			_Pragma("GCC unroll 8")
			for (k = 0; k < CB / 8; k++) {
				memcpy(&x, r + 8 * k, sizeof x);
				x = x * wv;
				LANE_MAX(x, m[k]);
			}
		}
	}
	memcpy(bound, m, sizeof m);
}
#undef LANE_MAX

/* Whether candidate a with score sa sorts before b with sb: item_cmp's order. */
static int
cbetter(double sa, uint32_t a, double sb, uint32_t b)
{
	int c;

	if (sa != sb)
		return sa > sb;
	c = sp_strtab_cmp(&ids, rows[cand[a]].id, rows[cand[b]].id);
	if (c != 0)
		return c < 0;
	return CORIG(a) < CORIG(b);
}

/* Whether kept place a sorts after place b. */
static int
kworse(const struct keep *kp, size_t a, size_t b)
{
	return cbetter(kp->score[b], kp->cand[b], kp->score[a], kp->cand[a]);
}

/*
 * Keeps candidate c (score s, its list ks/ki, slots) among listener u's
 * best M of this thread: a heap with the worst on top.
 */
static void
keep_insert(const struct chunk *ch, struct keep *kp, uint32_t u, double s, uint32_t c,
    const float *ks, const uint32_t *ki)
{
	size_t base = (size_t)u * ch->M, at, K = (size_t)ch->K;
	uint32_t *h = kp->heap + base, i, j, n = kp->n[u], t;

	if (n < ch->M) {
		i = n;
		h[i] = n;
		kp->n[u]++;
	} else {
		/* The place on top is reused when the new one is better. */
		if (!cbetter(s, c, kp->score[base + h[0]], kp->cand[base + h[0]]))
			return;
		i = 0;
	}
	at = base + h[i];
	kp->score[at] = s;
	kp->cand[at] = c;
	for (size_t k = 0; k < K; k++) {
		kp->ks[at * K + k] = ks[k];
		kp->kr[at * K + k] = ki[k] == NONE ? NONE : ch->urow[ki[k]];
	}
	if (n < ch->M) {
		for (; i > 0 && kworse(kp, base + h[i], base + h[(i - 1) / 2]); i = (i - 1) / 2)
			t = h[i], h[i] = h[(i - 1) / 2], h[(i - 1) / 2] = t;
	} else {
		for (;;) {
			j = 2 * i + 1;
			if (j >= n)
				break;
			if (j + 1 < n && kworse(kp, base + h[j + 1], base + h[j]))
				j++;
			if (!kworse(kp, base + h[j], base + h[i]))
				break;
			t = h[i], h[i] = h[j], h[j] = t;
			i = j;
		}
	}
	if (kp->n[u] == ch->M)
		atomic_store_explicit(&kp->worst[u], kp->score[base + h[0]], memory_order_relaxed);
}

/* The candidates of the block from c0 in listener u's own history: a bit each. */
static lanes_t
own_mask(const struct chunk *ch, uint32_t u, uint32_t c0)
{
	const uint32_t *x = ch->xc + ch->xoff[u];
	size_t lo = 0, hi = ch->xoff[u + 1] - ch->xoff[u], mid, n = hi;
	lanes_t m = 0;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (x[mid] < c0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < n && x[lo] < c0 + CB; lo++)
		m |= (lanes_t)1 << (x[lo] - c0);
	return m;
}

/* --score centroid: candidate c's cosine with listener u's centroid. */
static double
centroid_score(const struct chunk *ch, uint32_t u, uint32_t c)
{
	const double *mv = ch->mvec + (size_t)u * dim;
	double s = 0;

	if (ch->mnorm[u] <= 0)
		return 0;
	for (int j = 0; j < dim; j++)
		s += (double)Cp[(size_t)c * dim + j] * mv[j];
	return s / ch->mnorm[u];
}

/* Pass one over a tile: each listener's largest similarity per candidate. */
static void
fold_bound(const struct chunk *ch, struct keep *kp, const float *tile, uint32_t b)
{
	const struct seg *g;
	int w = o.score == SCORE_WEIGHTED;

	for (g = ch->seg + ch->bseg[b]; g < ch->seg + ch->bseg[b + 1]; g++)
		lane_max(tile, ch->ecol + g->e0, w ? ch->ew + g->e0 : NULL, g->e1 - g->e0,
		    kp->bound + (size_t)g->user * CB);
}

/* Candidate l of listener u's block: its bound, or its score for centroid. */
static double
lane_bound(const struct chunk *ch, const struct keep *kp, uint32_t u, uint32_t c0, uint32_t l)
{
	if (o.score == SCORE_CENTROID)
		return centroid_score(ch, u, c0 + l);
	return kp->bound[(size_t)u * CB + l];
}

/*
 * Which of listener u's candidates of the block from c0 (lanes: those
 * there are) may enter its best M: their lists are started.  Without
 * lists, each is kept or dropped at once.
 */
static void
fold_pick(const struct chunk *ch, struct keep *kp, uint32_t u, uint32_t c0, lanes_t lanes)
{
	size_t at = (size_t)u * CB;
	lanes_t want = 0;
	uint32_t l;
	double s, worst;
	int K = ch->K;

	lanes &= ~own_mask(ch, u, c0);
	kp->scored[u] += (uint32_t)__builtin_popcountll(lanes);
	for (l = 0; l < CB; l++)
		kp->thr[at + l] = INFINITY;
	for (; lanes != 0; lanes &= lanes - 1) {
		l = (uint32_t)__builtin_ctzll(lanes);
		s = lane_bound(ch, kp, u, c0, l);
		/*
		 * A candidate below the worst of any thread's full M has M
		 * better ones: it is not among the best M.  The mean of the
		 * best few is at most the best (to rounding).
		 */
		worst = -INFINITY;
		for (int t = 0; t < ch->nt; t++) {
			double w = atomic_load_explicit(&ch->kp[t].worst[u], memory_order_relaxed);

			worst = w > worst ? w : worst;
		}
		if (o.score == SCORE_TOPK ? s < worst - fabs(worst) * 1e-9 : s < worst)
			continue;
		if (K == 0) {
			keep_insert(ch, kp, u, s, c0 + l, NULL, NULL);
			continue;
		}
		want |= (lanes_t)1 << l;
		kp->thr[at + l] = -INFINITY;
		for (int k = 0; k < K; k++) {
			kp->lks[(at + l) * K + k] = -INFINITY;
			kp->lki[(at + l) * K + k] = NONE;
		}
	}
	kp->want[u] = want;
}

/*
 * Bit k set for each k in [0, 16) where r[k] >= t[k].  GCC's generic
 * 16-byte vectors compile to SIMD compares on x86-64's baseline (SSE2)
 * and on arm64; SSE's movemask gathers the bits where there is one.
 */
typedef float v4f __attribute__((vector_size(16)));
typedef int32_t v4i __attribute__((vector_size(16)));

static inline unsigned
ge_mask16(const float *r, const float *t)
{
	v4f x, y;
	v4i m;
	unsigned bits = 0;

	for (int k = 0; k < 16; k += 4) {
		memcpy(&x, r + k, sizeof x);
		memcpy(&y, t + k, sizeof y);
		m = x >= y;
#if defined(__SSE2__)
		bits |= (unsigned)__builtin_ia32_movmskps((v4f)m) << k;
#else
		for (int j = 0; j < 4; j++)
			bits |= (unsigned)(m[j] != 0) << (k + j);
#endif
	}
	return bits;
}

/*
 * Pass two for one segment of a listener with many candidates picked (its
 * first blocks, before its best M fill): each entry's row compared with
 * the lists' last, 16 candidates at a time.
 */
static void
fold_lists_many(const struct chunk *ch, struct keep *kp, const float *tile, uint32_t b,
    const struct seg *g)
{
	size_t K = (size_t)ch->K, at = (size_t)g->user * CB;
	lanes_t want = kp->want[g->user];
	float *thr = kp->thr + at, *ks = kp->lks + at * K;
	uint32_t *ki = kp->lki + at * K, h, t;

	for (uint32_t e = g->e0; e < g->e1; e++) {
		const float *r = tile + (size_t)ch->ecol[e] * CB;

		h = b * BH + ch->ecol[e];
		for (uint32_t c = 0; c < CB; c += 16) {
			if ((want >> c & 0xffff) == 0)
				continue;
			for (unsigned m = ge_mask16(r + c, thr + c); m != 0; m &= m - 1) {
				t = c + (uint32_t)__builtin_ctz(m);
				kinsert(ch->urow, ks + t * K, ki + t * K, (int)K, r[t], h);
				thr[t] = ks[t * K + K - 1];
			}
		}
	}
}

/*
 * Pass two over a tile: the lists of the candidates picked, a few of the
 * listener's (most fell below the worst of a full M), one at a time.
 */
static void
fold_lists(const struct chunk *ch, struct keep *kp, const float *tile, uint32_t b)
{
	const struct seg *g;
	int K = ch->K;

	for (g = ch->seg + ch->bseg[b]; g < ch->seg + ch->bseg[b + 1]; g++) {
		size_t at = (size_t)g->user * CB;
		uint32_t l, e;
		float v;

		if (__builtin_popcountll(kp->want[g->user]) >= CB / 4) {
			fold_lists_many(ch, kp, tile, b, g);
			continue;
		}
		for (lanes_t want = kp->want[g->user]; want != 0; want &= want - 1) {
			l = (uint32_t)__builtin_ctzll(want);
			float *ks = kp->lks + (at + l) * K;
			uint32_t *ki = kp->lki + (at + l) * K;

			for (e = g->e0; e < g->e1; e++) {
				v = tile[(size_t)ch->ecol[e] * CB + l];
				if (v >= ks[K - 1])
					kinsert(ch->urow, ks, ki, K, v, b * BH + ch->ecol[e]);
			}
		}
	}
}

/*
 * A candidate's score from its list (max, topk-mean), else its bound
 * (weighted) or centroid score.
 */
static double
list_score(const float *ks, const uint32_t *ki, double bound)
{
	double s = 0;
	int k;

	if (o.score == SCORE_MAX)
		return ks[0];
	if (o.score != SCORE_TOPK)
		return bound;
	for (k = 0; k < o.topk && ki[k] != NONE; k++)
		s += ks[k];
	return k > 0 ? s / k : 0;
}

/* The picked candidates' scores from their lists: kept when good enough. */
static void
fold_keep(const struct chunk *ch, struct keep *kp, uint32_t u, uint32_t c0)
{
	size_t K = (size_t)ch->K;
	uint32_t l;
	double s;

	for (lanes_t want = kp->want[u]; want != 0; want &= want - 1) {
		l = (uint32_t)__builtin_ctzll(want);
		const float *ks = kp->lks + ((size_t)u * CB + l) * K;
		const uint32_t *ki = kp->lki + ((size_t)u * CB + l) * K;

		s = list_score(ks, ki, lane_bound(ch, kp, u, c0, l));
		keep_insert(ch, kp, u, s, c0 + l, ks, ki);
	}
}

/* The candidates of block cb there are: a bit each. */
static lanes_t
block_lanes(uint32_t cb)
{
	uint32_t nc = ncand - cb * CB < CB ? ncand - cb * CB : CB;

	return nc == CB ? ~(lanes_t)0 : ((lanes_t)1 << nc) - 1;
}

/*
 * One listener (a long history: many entries a tile): the union blocks
 * are shared out, and each thread keeps the lists of every candidate
 * (thr, ks, ki from candidate c0), built while each tile is in the cache,
 * a tile row compared with the lists' last 16 candidates at a time; most
 * fall below.  A union block stays in the cache for all candidates.
 */
static void
fused_tile(const struct chunk *ch, const float *tile, uint32_t b, float *thr, float *ks,
    uint32_t *ki)
{
	size_t K = (size_t)ch->K;
	uint32_t t, h;

	for (const struct seg *g = ch->seg + ch->bseg[b]; g < ch->seg + ch->bseg[b + 1]; g++) {
		for (uint32_t e = g->e0; e < g->e1; e++) {
			const float *r = tile + (size_t)ch->ecol[e] * CB;

			h = b * BH + ch->ecol[e];
			for (uint32_t c = 0; c < CB; c += 16) {
				for (unsigned m = ge_mask16(r + c, thr + c); m != 0; m &= m - 1) {
					t = c + (uint32_t)__builtin_ctz(m);
					kinsert(ch->urow, ks + t * K, ki + t * K, (int)K, r[t], h);
					thr[t] = ks[t * K + K - 1];
				}
			}
		}
	}
}

static void
fused_work(const struct chunk *ch, struct keep *kp, atomic_uint *next)
{
	size_t K = (size_t)ch->K, nl = (size_t)ncblk * CB;
	uint32_t b, cb;
	lanes_t lanes;

	for (cb = 0; cb < ncblk; cb++) {
		lanes = block_lanes(cb) & ~own_mask(ch, 0, cb * CB);
		for (uint32_t l = 0; l < CB; l++)
			kp->thr[cb * CB + l] = K > 0 && (lanes >> l & 1) ? -INFINITY : INFINITY;
	}
	for (size_t i = 0; i < nl; i++)
		kp->bound[i] = -INFINITY;
	for (size_t i = 0; i < nl * K; i++) {
		kp->lks[i] = -INFINITY;
		kp->lki[i] = NONE;
	}
	while (ch->product && (b = atomic_fetch_add(next, 1)) < ch->nblk) {
		gather_rows(ch, b, b + 1, kp->hb);
		for (cb = 0; cb < ncblk; cb++) {
			size_t c0 = (size_t)cb * CB;
			const struct seg *g = ch->seg + ch->bseg[b];

			tile_product(kp->hb, Cp + c0 * dim, kp->panel);
			if (o.score == SCORE_WEIGHTED && g < ch->seg + ch->bseg[b + 1])
				lane_max(kp->panel, ch->ecol + g->e0, ch->ew + g->e0, g->e1 - g->e0,
				    kp->bound + c0);
			if (K > 0)
				fused_tile(ch, kp->panel, b, kp->thr + c0, kp->lks + c0 * K, kp->lki + c0 * K);
		}
	}
}

/* Merges the threads' lists into the first's and keeps the candidates. */
static void
fused_finish(struct chunk *ch)
{
	struct keep *kp = &ch->kp[0];
	size_t K = (size_t)ch->K, c;
	lanes_t lanes;
	double s;

	for (int t = 1; t < ch->nt; t++) {
		const struct keep *o2 = &ch->kp[t];

		for (c = 0; c < ncand; c++) {
			for (size_t k = 0; k < K && o2->lki[c * K + k] != NONE; k++)
				kinsert(ch->urow, kp->lks + c * K, kp->lki + c * K, (int)K,
				    o2->lks[c * K + k], o2->lki[c * K + k]);
			kp->bound[c] = o2->bound[c] > kp->bound[c] ? o2->bound[c] : kp->bound[c];
		}
	}
	for (uint32_t cb = 0; cb < ncblk; cb++) {
		lanes = block_lanes(cb) & ~own_mask(ch, 0, cb * CB);
		kp->scored[0] += (uint32_t)__builtin_popcountll(lanes);
		for (; lanes != 0; lanes &= lanes - 1) {
			c = (size_t)cb * CB + (size_t)__builtin_ctzll(lanes);
			s = o.score == SCORE_CENTROID ? centroid_score(ch, 0, (uint32_t)c) : kp->bound[c];
			s = list_score(kp->lks + c * K, kp->lki + c * K, s);
			keep_insert(ch, kp, 0, s, (uint32_t)c, kp->lks + c * K, kp->lki + c * K);
		}
	}
}

struct warg {
	struct chunk *ch;
	int t;
};

/* Takes candidate blocks until none is left: forms each panel and folds it. */
static void *
chunk_work(void *arg)
{
	const struct warg *a = arg;
	struct chunk *ch = a->ch;
	struct keep *kp = &ch->kp[a->t];
	uint32_t cb, b, u, c0, nc;
	lanes_t any;

	if (ch->fused) {
		fused_work(ch, kp, &ch->next);
		return NULL;
	}
	while ((cb = atomic_fetch_add(&ch->next, 1)) < ncblk) {
		c0 = cb * CB;
		nc = ncand - c0 < CB ? ncand - c0 : CB;
		for (size_t i = 0; i < (size_t)ch->nu * CB; i++)
			kp->bound[i] = -INFINITY;
		for (b = 0; ch->product && b < ch->nblk; b++) {
			tile_product(ch->H + (size_t)b * BH * dim, Cp + (size_t)c0 * dim,
			    kp->panel + (size_t)b * BH * CB);
			if (o.score != SCORE_CENTROID)
				fold_bound(ch, kp, kp->panel + (size_t)b * BH * CB, b);
		}
		any = 0;
		for (u = 0; u < ch->nu; u++) {
			kp->want[u] = 0;
			if (users[ch->u0 + u].nent > 0)
				fold_pick(ch, kp, u, c0, nc == CB ? ~(lanes_t)0 : ((lanes_t)1 << nc) - 1);
			any |= kp->want[u];
		}
		/* Last tile first: the latest are the likeliest still in the cache. */
		for (b = ch->nblk; any != 0 && b-- > 0;)
			fold_lists(ch, kp, kp->panel + (size_t)b * BH * CB, b);
		for (u = 0; any != 0 && u < ch->nu; u++)
			fold_keep(ch, kp, u, c0);
	}
	return NULL;
}

/* Runs the product of the chunk on its threads. */
static void
chunk_run(struct chunk *ch)
{
	pthread_t tid[MAX_THREADS];
	struct warg a[MAX_THREADS];
	int i;

	atomic_store(&ch->next, 0);
	for (i = 0; i < ch->nt; i++)
		a[i] = (struct warg){ ch, i };
	if (ch->fused && users[ch->u0].nent == 0)
		return;
	if (ch->nt <= 1) {
		chunk_work(&a[0]);
	} else {
		for (i = 0; i < ch->nt; i++)
			if (pthread_create(&tid[i], NULL, chunk_work, &a[i]) != 0)
				sp_die(SP_EXIT_DATA, "cannot start a thread: %s", strerror(errno));
		for (i = 0; i < ch->nt; i++)
			pthread_join(tid[i], NULL);
	}
	if (ch->fused)
		fused_finish(ch);
}

/*
 * A queue of n independent tasks for nt threads (sp_la_parallel): each
 * thread takes the next task until none is left, with a scratch of its
 * own of `scratch` floats.
 */
struct queue {
	void (*fn)(void *arg, size_t i, float *scratch);
	void *arg;
	size_t n, scratch;
	atomic_size_t next;
};

static void
queue_main(void *p, int t, int nt)
{
	struct queue *q = p;
	float *s = sp_xreallocarray(NULL, q->scratch + 1, sizeof *s);
	size_t i;

	(void)t, (void)nt;
	while ((i = atomic_fetch_add(&q->next, 1)) < q->n)
		q->fn(q->arg, i, s);
	free(s);
}

static void
queue_run(void (*fn)(void *, size_t, float *), void *arg, size_t n, size_t scratch, int nt)
{
	struct queue q = { fn, arg, n, scratch, 0 };

	/* No more threads than tasks (and at least one). */
	if ((size_t)nt > n)
		nt = n > 0 ? (int)n : 1;
	sp_la_parallel(queue_main, &q, nt);
}

/* ---- one listener: the candidates that may enter its best M ---- */

/*
 * A listener scored alone keeps only its best M candidates, but the
 * product forms every candidate's similarity to every history track.
 * Before it, a cheaper pass finds the candidates that may enter the best
 * M (--score max and weighted); only those go to the product.  The
 * product keeps its shape and each candidate its place mod CB in its
 * block, so the lists, scores and ranking are those of the whole product,
 * to the bit.  The similarities formed here only choose candidates.
 *
 * The candidates are grouped in small caps (about CAP candidates within
 * a small angle r of a centre, by k-means), and a history track at angle
 * a from a cap's centre has a cosine of at most cos(a - r) with each of
 * its candidates: one product of the caps' centres with the history
 * (a CAP-th of the full one) bounds every similarity.  For the pairs of a
 * cap and a track whose bound reaches what matters, each candidate's
 * similarity is bounded again by its first HEAD components and the length
 * of the rest (c.x <= c1.x1 + |ct| |xt|: the rows of an SVD embedding
 * carry most of their length in their first components), and only the
 * pairs that pass both get their full dot product.  What matters to a
 * candidate is its best similarity so far and tau, the M-th best of those
 * bests (at most the M-th best score), raised after each block of history
 * rows.  A candidate may enter the best M if its best reaches tau at the
 * end: every pair left out was bounded below tau or below its best.
 * Every comparison allows for the rounding of float products (eps).
 */
#define CAP 8		/* candidates per cap, about */
#define HEAD 16		/* components in the second bound */
#define PH 2048		/* history rows per round */
#define PH0 256		/* and in the first */
#define PC 64		/* caps per task */
#define PRUNE_TRIAL 1000000	/* pairs taken before the share formed in full counts */
/*
 * The least product it pays on: measured on the bench's embedding
 * (d = 100, 5,000 candidates), it breaks even at about 6,000 history
 * tracks, or 3e7 pairs, and loses on smaller products and fewer
 * dimensions (1,207 tracks, a real export's: 0.097 s against 0.042 s).
 */
#define PRUNE_PAIRS 1e8

struct prune {
	const uint32_t *hrow;	/* [m]: the listener's history rows (of X) */
	float *H;		/* [PH][dim]: this round's, gathered for the product */
	const float *ew;	/* [m]: their weights / the largest, or NULL */
	float *ht, *ct;		/* [m], [ncand]: the lengths of the rows' tails */
	float *best;		/* [candidate]: its best similarity so far (-inf) */
	uint32_t ncap, *cfirst, *cmem;	/* cap j: candidates cmem[cfirst[j] .. cfirst[j + 1]) */
	/*
	 * The candidates of each cap in groups of eight, a lane each, with
	 * their first HEAD components and their tails' lengths.
	 */
	uint32_t *gfirst;	/* [cap + 1]: each cap's groups of eight */
	float *hd;		/* [group][HEAD][8] */
	float *gct;		/* [group][8]: tails' lengths (0 for no member) */
	uint32_t *gmem;		/* [group][8]: candidates, NONE for no member */
	float *gthr;		/* [group][8]: their thresholds (prune_thr), +inf for none */
	float *mu;		/* [cap][dim]: unit centres */
	double *cosr;		/* [cap]: the cosine of the radius */
	uint32_t m, h0, nh;	/* history rows; this round's */
	float tau;		/* the M-th best of the best similarities, less eps */
	double eps;
	atomic_size_t full;	/* full dot products */
	atomic_size_t pairs;	/* the pairs of the caps taken so far */
	atomic_int lost;	/* too many full: the bounds do not pay */
	size_t pairs0, full0;	/* the counts when tau was first set */
};

/*
 * The least bound of a pair that may matter to a candidate whose best is
 * `best`.  A weighted similarity is at most its bound when that is
 * positive (weights are at most 1), and at most 0 otherwise, so below a
 * positive threshold either way.
 */
static inline float
prune_thr(const struct prune *pr, float best)
{
	float thr = (best > pr->tau ? best : pr->tau) - (float)pr->eps;

	return pr->ew != NULL && thr <= pr->eps ? -INFINITY : thr;
}

/*
 * The least cosine g of a track with the centre of a cap (radius cosine
 * cosr) for which cos(a - r) reaches thr, a = acos(g): a track with a
 * smaller cosine has similarities below thr with every candidate of the
 * cap.  Lowered by margins for g's rounding and acos's and cos's.
 */
static float
cap_threshold(double thr, double cosr, double eps)
{
	double r, a;

	if (thr > 1)
		return INFINITY;
	if (thr <= -1)
		return -INFINITY;
	r = acos(cosr < -1 ? -1 : cosr > 1 ? 1 : cosr);
	a = r + acos(thr);
	return a >= M_PI ? -INFINITY : (float)(cos(a) - eps - 1e-9);
}

/*
 * Candidate c's full similarity with history row h of the listener, whose
 * vector is hv (weighted: times its weight).
 */
static inline float
prune_sim(const struct prune *pr, const float *cv, const float *hv, uint32_t h)
{
	float s = sp_dotf(cv, hv, dim);

	return pr->ew != NULL ? s * pr->ew[h] : s;
}

/* The largest of the eight lanes of *x (a pointer: vector arguments trip -Wpsabi). */
static inline float
hmax8(const v8f *x)
{
	float m = (*x)[0];

	for (int l = 1; l < 8; l++)
		m = (*x)[l] > m ? (*x)[l] : m;
	return m;
}

/*
 * History row h (of the listener) against the candidates of cap j, which
 * passed the cap's bound: eight candidates at a time are bounded by their
 * first HEAD components and the tails' lengths, and those whose bound
 * reaches their threshold get their full similarity, counted in *full (the
 * task's own count: a shared counter, bumped for each, had the threads
 * fight over its cache line, which also holds tau).
 */
static inline __attribute__((always_inline)) void
cap_pairs(struct prune *pr, uint32_t j, uint32_t h, size_t *full)
{
	/* The round's copy of the row (X's would be a cache miss). */
	const float *hv = pr->H + (size_t)(h - pr->h0) * dim;
	v8f a0, a1, y0, y1, t8;
	v8i pass;
	float s;
	uint32_t c;

	for (uint32_t q = pr->gfirst[j]; q < pr->gfirst[j + 1]; q++) {
		const float *hd = pr->hd + (size_t)q * HEAD * 8;

		/* Two sums, so that the adds do not wait on one another. */
		a0 = a1 = (v8f){ 0 };
		for (int d = 0; d < HEAD; d += 2) {
			memcpy(&y0, hd + d * 8, sizeof y0);
			memcpy(&y1, hd + (d + 1) * 8, sizeof y1);
			a0 += hv[d] * y0;
			a1 += hv[d + 1] * y1;
		}
		memcpy(&y0, pr->gct + (size_t)q * 8, sizeof y0);
		a0 += y0 * pr->ht[h];
		memcpy(&t8, pr->gthr + (size_t)q * 8, sizeof t8);
		pass = (a0 + a1) >= t8;
		/* Mostly none passes. */
		if ((pass[0] | pass[1] | pass[2] | pass[3] | pass[4] | pass[5] | pass[6] |
		    pass[7]) == 0)
			continue;
		for (int l = 0; l < 8; l++) {
			if (pass[l] == 0)
				continue;
			c = pr->gmem[(size_t)q * 8 + l];
			++*full;
			if ((s = prune_sim(pr, Cp + (size_t)c * dim, hv, h)) > pr->best[c]) {
				pr->best[c] = s;
				pr->gthr[(size_t)q * 8 + l] = prune_thr(pr, s);
			}
		}
	}
}

/*
 * Cap j against this round's history rows (g: their cosines with its
 * centre): each candidate with the track nearest the centre first (the
 * likeliest to raise the bests), then with each track whose cosine
 * reaches the cap's threshold, in runs of 64 whose largest is compared
 * first.
 */
__attribute__((target_clones("arch=x86-64-v3", "default"))) static void
prune_cap(struct prune *pr, uint32_t j, const float *g, size_t *full)
{
	float gmin, rmax[PH / 64 + 1], top = -INFINITY, thr = INFINITY;
	v8f v, m;
	v8i gt;
	uint32_t i0, i, n = pr->nh, r, nrun = (n + 63) / 64, itop = 0;

	for (r = 0; r < nrun; r++) {
		i0 = r * 64;
		if (i0 + 64 <= n) {
			m = (v8f){ 0 } - INFINITY;
			for (i = i0; i < i0 + 64; i += 8) {
				memcpy(&v, g + i, sizeof v);
				gt = v > m;
				m = (v8f)(((v8i)v & gt) | ((v8i)m & ~gt));
			}
			rmax[r] = hmax8(&m);
		} else {
			rmax[r] = -INFINITY;
			for (i = i0; i < n; i++)
				rmax[r] = g[i] > rmax[r] ? g[i] : rmax[r];
		}
		if (rmax[r] > top) {
			top = rmax[r];
			itop = i0;
		}
	}
	for (i = itop; i < n && g[i] != top; i++)
		;
	itop = i < n ? i : itop;
	for (size_t q = (size_t)pr->gfirst[j] * 8; q < (size_t)pr->gfirst[j + 1] * 8; q++)
		pr->gthr[q] = pr->gmem[q] == NONE ? INFINITY : prune_thr(pr, pr->best[pr->gmem[q]]);
	cap_pairs(pr, j, pr->h0 + itop, full);
	/* The cap's threshold: the least of its candidates'. */
	for (size_t q = (size_t)pr->gfirst[j] * 8; q < (size_t)pr->gfirst[j + 1] * 8; q++)
		thr = pr->gthr[q] < thr ? pr->gthr[q] : thr;
	gmin = cap_threshold(thr, pr->cosr[j], pr->eps);
	for (r = 0; r < nrun; r++) {
		if (rmax[r] < gmin)
			continue;
		for (i = r * 64; i < n && i < r * 64 + 64; i++)
			if (g[i] >= gmin && i != itop)
				cap_pairs(pr, j, pr->h0 + i, full);
	}
}

/* This round's product of the centres of caps [t * PC, ...) with the history rows, and their pairs. */
static void
prune_task(void *arg, size_t t, float *g)
{
	struct prune *pr = arg;
	uint32_t j0 = (uint32_t)(t * PC), nc = pr->ncap - j0 < PC ? pr->ncap - j0 : PC;
	size_t pairs = atomic_load(&pr->pairs) - pr->pairs0, full = 0;

	/*
	 * Embeddings without the structure the bounds need (random ones)
	 * would have every similarity formed here, and more slowly than by
	 * the product: once tau is set (the first round sets it), a quarter
	 * of the similarities formed in full, past the first million pairs,
	 * gives up.
	 */
	if (atomic_load(&pr->lost) || (pr->tau > -INFINITY && pairs > PRUNE_TRIAL &&
	    atomic_load(&pr->full) - pr->full0 > pairs / 4)) {
		atomic_store(&pr->lost, 1);
		return;
	}
	atomic_fetch_add(&pr->pairs, (size_t)(pr->cfirst[j0 + nc] - pr->cfirst[j0]) * pr->nh);
	cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)nc, (int)pr->nh, dim, 1.0f,
	    pr->mu + (size_t)j0 * dim, dim, pr->H, dim, 0.0f, g, PH);
	for (uint32_t j = j0; j < j0 + nc; j++)
		prune_cap(pr, j, g + (size_t)(j - j0) * PH, &full);
	atomic_fetch_add(&pr->full, full);
}

/* The length of the tail (components HEAD on) of a row, rounded up. */
static float
tail_length(const float *x)
{
	double q = 0;

	for (int j = HEAD; j < dim; j++)
		q += (double)x[j] * x[j];
	return (float)(sqrt(q) * (1 + 1e-6));
}

/* Rows [b * 256, ...) of p (n x dim) to their nearest of the k centres mu (the first of equals). */
struct nearest {
	const float *p, *mu;
	uint32_t n, k, *a;
};

static void
nearest_block(void *arg, size_t b, float *S)
{
	const struct nearest *nr = arg;
	uint32_t i = (uint32_t)b * 256, nb = nr->n - i < 256 ? nr->n - i : 256, j;

	cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)nb, (int)nr->k, dim, 1.0f,
	    nr->p + (size_t)i * dim, dim, nr->mu, dim, 0.0f, S, (int)nr->k);
	for (uint32_t r = 0; r < nb; r++) {
		const float *sr = S + (size_t)r * nr->k;

		nr->a[i + r] = 0;
		for (j = 1; j < nr->k; j++)
			if (sr[j] > sr[nr->a[i + r]])
				nr->a[i + r] = j;
	}
}

/*
 * The caps of the candidates but those with skip[c]: k-means (evenly spaced
 * seeds, two Lloyd steps, ties to the first centre), each cap's centre
 * the direction of its members' sum and its radius the widest angle from
 * it to a member.
 */
static void
prune_caps(struct prune *pr, const uint8_t *skip)
{
	uint32_t n = 0, k, c, i, j, *a, *mem;
	float *mu, *P;
	double *sum;

	mem = sp_xreallocarray(NULL, ncand + 1, sizeof *mem);
	for (c = 0; c < ncand; c++)
		if (!skip[c])
			mem[n++] = c;
	k = (n + CAP - 1) / CAP;
	a = sp_xreallocarray(NULL, n + 1, sizeof *a);
	mu = sp_xreallocarray(NULL, (size_t)k * dim + 1, sizeof *mu);
	sum = sp_xreallocarray(NULL, (size_t)k * dim + 1, sizeof *sum);
	P = sp_xreallocarray(NULL, (size_t)n * dim + 1, sizeof *P);
	for (i = 0; i < n; i++)
		memcpy(P + (size_t)i * dim, Cp + (size_t)mem[i] * dim, (size_t)dim * sizeof *P);
	for (j = 0; j < k; j++)
		memcpy(mu + (size_t)j * dim, P + ((uint64_t)j * n / k) * dim, (size_t)dim * sizeof *mu);
	for (int step = 0; step <= 2; step++) {
		struct nearest nr = { P, mu, n, k, a };

		queue_run(nearest_block, &nr, (n + 255) / 256, (size_t)256 * k, o.threads);
		memset(sum, 0, (size_t)k * dim * sizeof *sum);
		for (i = 0; i < n; i++)
			for (int d = 0; d < dim; d++)
				sum[(size_t)a[i] * dim + d] += P[(size_t)i * dim + d];
		for (j = 0; j < k; j++) {
			double q = 0;

			for (int d = 0; d < dim; d++)
				q += sum[(size_t)j * dim + d] * sum[(size_t)j * dim + d];
			if (!(q > 1e-24))
				continue;	/* no members, or they cancel: the seed stays */
			q = sqrt(q);
			for (int d = 0; d < dim; d++)
				mu[(size_t)j * dim + d] = (float)(sum[(size_t)j * dim + d] / q);
		}
	}
	/* The caps, by a counting sort of the members. */
	pr->ncap = k;
	pr->mu = mu;
	pr->cfirst = sp_xcalloc((size_t)k + 2, sizeof *pr->cfirst);
	pr->cmem = sp_xreallocarray(NULL, n + 1, sizeof *pr->cmem);
	pr->cosr = sp_xreallocarray(NULL, (size_t)k + 1, sizeof *pr->cosr);
	for (i = 0; i < n; i++)
		pr->cfirst[a[i] + 2]++;
	for (j = 0; j < k; j++)
		pr->cfirst[j + 2] += pr->cfirst[j + 1];
	for (i = 0; i < n; i++)
		pr->cmem[pr->cfirst[a[i] + 1]++] = mem[i];
	for (j = 0; j < k; j++) {
		double cmin = 1, q = 0, d, hn;

		for (int x = 0; x < dim; x++)
			q += (double)mu[(size_t)j * dim + x] * mu[(size_t)j * dim + x];
		q = sqrt(q);
		for (i = pr->cfirst[j]; i < pr->cfirst[j + 1]; i++) {
			const float *cv = Cp + (size_t)pr->cmem[i] * dim;

			d = hn = 0;
			for (int x = 0; x < dim; x++) {
				d += (double)cv[x] * mu[(size_t)j * dim + x];
				hn += (double)cv[x] * cv[x];
			}
			d = q > 0 && hn > 0 ? d / (q * sqrt(hn)) : -1;
			cmin = d < cmin ? d : cmin;
		}
		pr->cosr[j] = cmin < -1 ? -1 : cmin;
	}
	/* Each cap's candidates in groups of eight, for cap_pairs. */
	pr->gfirst = sp_xreallocarray(NULL, (size_t)k + 1, sizeof *pr->gfirst);
	for (pr->gfirst[0] = 0, j = 0; j < k; j++)
		pr->gfirst[j + 1] = pr->gfirst[j] + (pr->cfirst[j + 1] - pr->cfirst[j] + 7) / 8;
	pr->hd = sp_xcalloc((size_t)pr->gfirst[k] * HEAD * 8 + 1, sizeof *pr->hd);
	pr->gct = sp_xcalloc((size_t)pr->gfirst[k] * 8 + 1, sizeof *pr->gct);
	pr->gmem = sp_xreallocarray(NULL, (size_t)pr->gfirst[k] * 8 + 1, sizeof *pr->gmem);
	pr->gthr = sp_xreallocarray(NULL, (size_t)pr->gfirst[k] * 8 + 1, sizeof *pr->gthr);
	memset(pr->gmem, 0xff, (size_t)pr->gfirst[k] * 8 * sizeof *pr->gmem);
	for (j = 0; j < k; j++)
		for (i = pr->cfirst[j]; i < pr->cfirst[j + 1]; i++) {
			size_t q = pr->gfirst[j] + (i - pr->cfirst[j]) / 8, l = (i - pr->cfirst[j]) % 8;

			c = pr->cmem[i];
			pr->gmem[q * 8 + l] = c;
			pr->gct[q * 8 + l] = pr->ct[c];
			for (int d = 0; d < HEAD; d++)
				pr->hd[(q * HEAD + d) * 8 + l] = Cp[(size_t)c * dim + d];
		}
	free(P);
	free(sum);
	free(a);
	free(mem);
}

/* The whole candidate set while a listener's pruned one is in use. */
static struct {
	uint32_t *cand, ncand, ncblk, *cfirst, *cnext;
	float *Cp;
} whole;

/* Puts the whole candidate set back (a no-op when it is in place). */
static void
unprune(void)
{
	if (corig == NULL)
		return;
	free(cand);
	free(Cp);
	free(cfirst);
	free(cnext);
	cand = whole.cand, ncand = whole.ncand, ncblk = whole.ncblk, Cp = whole.Cp;
	cfirst = whole.cfirst, cnext = whole.cnext;
	free(corig);
	corig = NULL;
}

/*
 * Lays the kept candidates out in blocks, each in its place mod CB (the
 * block's free places filled with other candidates of that place, in
 * order: scoring more candidates changes nothing), and puts that set in
 * place of the whole one.  0 when that saves less than two blocks.
 */
static int
prune_swap(const uint8_t *keep)
{
	uint32_t l, c, nb = 0, cnt[CB] = { 0 }, *fill;

	for (c = 0; c < ncand; c++)
		if (keep[c] && ++cnt[c % CB] > nb)
			nb = cnt[c % CB];
	if (nb + 2 > ncblk)
		return 0;
	whole.cand = cand, whole.ncand = ncand, whole.ncblk = ncblk, whole.Cp = Cp;
	whole.cfirst = cfirst, whole.cnext = cnext;
	corig = sp_xreallocarray(NULL, (size_t)nb * CB, sizeof *corig);
	fill = sp_xcalloc(nb > CB ? nb : CB, sizeof *fill);
	/* The kept ones first, then the others, each place's in order. */
	for (int pass = 0; pass < 2; pass++)
		for (c = 0; c < ncand; c++) {
			l = c % CB;
			if ((keep[c] != 0) == (pass == 0) && fill[l] < nb)
				corig[(size_t)fill[l]++ * CB + l] = c;
		}
	/* In whole-set order within each place: ties keep their order. */
	for (l = 0; l < CB; l++) {
		for (c = 0; c < nb; c++)
			fill[c] = corig[(size_t)c * CB + l];
		qsort(fill, nb, sizeof *fill, u32_cmp);
		for (c = 0; c < nb; c++)
			corig[(size_t)c * CB + l] = fill[c];
	}
	free(fill);
	ncand = nb * CB;
	ncblk = nb;
	cand = sp_xreallocarray(NULL, ncand, sizeof *cand);
	Cp = sp_xcalloc((size_t)ncand * dim + 1, sizeof *Cp);
	for (c = 0; c < ncand; c++) {
		cand[c] = whole.cand[corig[c]];
		memcpy(Cp + (size_t)c * dim, whole.Cp + (size_t)corig[c] * dim, (size_t)dim * sizeof *Cp);
	}
	index_candidates();
	return 1;
}

/* -1 for descending floats. */
static int
flt_desc(const void *a, const void *b)
{
	float x = *(const float *)a, y = *(const float *)b;

	return (x < y) - (x > y);
}

/*
 * Listener u (scored alone, keeping M): puts in place the candidates that
 * may enter its best M, when that pays: at least PRUNE_PAIRS pairs, twice
 * as many history tracks as candidates, 64 dimensions.  SP_COSINE_PRUNE=
 * off never does, =on does whatever the sizes (to test it on small inputs).
 */
static void
prune(uint32_t u, uint32_t M)
{
	const struct user *us = &users[u];
	const char *env = getenv("SP_COSINE_PRUNE");
	int force = env != NULL && strcmp(env, "on") == 0;
	struct prune pr;
	uint32_t c, e, nkeep = 0, nel = 0;
	float *ew = NULL, *lo;
	uint32_t *hrow;
	uint8_t *skip, *keep;
	double wmax = 0, t0 = seconds();

	if ((env != NULL && strcmp(env, "off") == 0) || dim <= HEAD || M >= ncand || us->nent == 0 ||
	    (o.score != SCORE_MAX && o.score != SCORE_WEIGHTED) ||
	    (!force && ((double)us->nent * ncand < PRUNE_PAIRS || us->nent < 2 * (size_t)ncand ||
	    ncand < 4 * CB || (size_t)M * 4 > ncand || dim < 4 * HEAD)))
		return;
	skip = sp_xcalloc(ncand + 1, 1);
	for (e = us->ent; e < us->ent + us->nent; e++)
		for (c = cfirst[rows[hents[e].row].id]; c != NONE; c = cnext[c])
			skip[c] = 1;
	for (e = xfirst[u]; e < xfirst[u + 1]; e++)
		for (c = cfirst[xid[e]]; c != NONE; c = cnext[c])
			skip[c] = 1;
	for (c = 0; c < ncand; c++)
		nel += !skip[c];
	if (nel <= M) {
		free(skip);
		return;
	}
	memset(&pr, 0, sizeof pr);
	pr.m = us->nent;
	pr.hrow = hrow = sp_xreallocarray(NULL, pr.m + 1, sizeof *hrow);
	pr.H = sp_xreallocarray(NULL, (size_t)PH * dim + 1, sizeof *pr.H);
	pr.ht = sp_xreallocarray(NULL, pr.m + 1, sizeof *pr.ht);
	for (e = 0; e < pr.m; e++) {
		hrow[e] = hents[us->ent + e].row;
		pr.ht[e] = tail_length(X + (size_t)hrow[e] * dim);
		wmax = hents[us->ent + e].w > wmax ? hents[us->ent + e].w : wmax;
	}
	if (o.score == SCORE_WEIGHTED) {
		/* The weights as the product's pass gives them (chunk_segs). */
		ew = sp_xreallocarray(NULL, pr.m + 1, sizeof *ew);
		for (e = 0; e < pr.m; e++)
			ew[e] = wmax > 0 ? (float)(hents[us->ent + e].w / wmax) : 0;
	}
	pr.ew = ew;
	pr.ct = sp_xreallocarray(NULL, ncand + 1, sizeof *pr.ct);
	pr.best = sp_xreallocarray(NULL, ncand + 1, sizeof *pr.best);
	for (c = 0; c < ncand; c++) {
		pr.ct[c] = tail_length(Cp + (size_t)c * dim);
		pr.best[c] = -INFINITY;
	}
	prune_caps(&pr, skip);
	/*
	 * A float similarity is within dim * FLT_EPSILON / 2 of the exact dot
	 * product, here and in the product (sgemm), and the unit rows' lengths
	 * within about that of 1: twice the sum of these covers both.
	 */
	pr.eps = 2.0 * dim * FLT_EPSILON + 1e-6;
	pr.tau = -INFINITY;
	lo = sp_xreallocarray(NULL, nel + 1, sizeof *lo);
	/* A short first round: tau is set the sooner. */
	for (pr.h0 = 0; pr.h0 < pr.m; pr.h0 += pr.nh) {
		pr.nh = pr.h0 == 0 ? PH0 : PH;
		pr.nh = pr.m - pr.h0 < pr.nh ? pr.m - pr.h0 : pr.nh;
		for (e = 0; e < pr.nh; e++)
			memcpy(pr.H + (size_t)e * dim, X + (size_t)hrow[pr.h0 + e] * dim, (size_t)dim * sizeof *pr.H);
		queue_run(prune_task, &pr, (pr.ncap + PC - 1) / PC, (size_t)PC * PH, o.threads);
		if (atomic_load(&pr.lost))
			break;
		if (pr.h0 == 0) {
			pr.pairs0 = atomic_load(&pr.pairs);
			pr.full0 = atomic_load(&pr.full);
		}
		for (nel = 0, c = 0; c < ncand; c++)
			if (!skip[c])
				lo[nel++] = pr.best[c];
		sp_topk(lo, nel, sizeof *lo, M, flt_desc);
		pr.tau = lo[M - 1] - (float)(2 * pr.eps);
	}
	keep = sp_xcalloc(ncand + 1, 1);
	for (c = 0; c < ncand && !atomic_load(&pr.lost); c++)
		if (!skip[c] && pr.best[c] + (float)pr.eps >= pr.tau)
			keep[c] = 1, nkeep++;
	if (atomic_load(&pr.lost) && o.verbose)
		sp_warn("listener '%s': the bounds of its similarities do not pay here (%.0f%% formed in full "
		    "in the first %zu); the product scores every candidate", us->name != NULL ? us->name : "-",
		    100.0 * (double)atomic_load(&pr.full) / (double)atomic_load(&pr.pairs), atomic_load(&pr.pairs));
	/* At least the M whose bests made tau are kept. */
	if (nkeep >= M && prune_swap(keep) && o.verbose)
		sp_warn("listener '%s': %u of %u candidates may enter its best %u (%.2f%% of the similarities "
		    "formed in full first, in %.3f s)",
		    us->name != NULL ? us->name : "-", nkeep, nel, M,
		    100.0 * (double)atomic_load(&pr.full) / ((double)nel * pr.m), seconds() - t0);
	free(keep);
	free(lo);
	free(pr.ht);
	free(pr.ct);
	free(pr.best);
	free(pr.mu);
	free(pr.cosr);
	free(pr.cfirst);
	free(pr.cmem);
	free(pr.gfirst);
	free(pr.hd);
	free(pr.gct);
	free(pr.gmem);
	free(pr.gthr);
	free(ew);
	free(pr.H);
	free(hrow);
	free(skip);
}

/* ---- ranking and output ---- */

/* A kept candidate: its score, index and list. */
struct item {
	double score;
	uint32_t c;
	const float *ks;	/* best similarities first */
	const uint32_t *kr;	/* their history rows, or NONE */
};

static int
item_cmp(const void *a, const void *b)
{
	const struct item *x = a, *y = b;
	int c;

	if (x->score != y->score)
		return x->score > y->score ? -1 : 1;
	c = sp_strtab_cmp(&ids, rows[cand[x->c]].id, rows[cand[y->c]].id);
	if (c != 0)
		return c;
	return (CORIG(x->c) > CORIG(y->c)) - (CORIG(x->c) < CORIG(y->c));
}

/* Everything one thread needs to rank listeners. */
struct worker {
	struct item *items;
	size_t cap;
	uint32_t stamp;			/* one per ranking */
	uint32_t *seen;			/* per id: the ranking that printed it */
	uint32_t *astamp, *acount;	/* per artist: the same, and its count */
};

static void
worker_init(struct worker *wk)
{
	memset(wk, 0, sizeof *wk);
	wk->seen = sp_xcalloc(ids.n + 1, sizeof *wk->seen);
	wk->astamp = sp_xcalloc(artists.n + 1, sizeof *wk->astamp);
	wk->acount = sp_xcalloc(artists.n + 1, sizeof *wk->acount);
}

static void
worker_free(struct worker *wk)
{
	free(wk->items);
	free(wk->seen);
	free(wk->astamp);
	free(wk->acount);
}

/*
 * Listener u's kept candidates from every thread, best first: the best M
 * of them are its best M overall.  *pruned: whether any was dropped, so
 * that the list ends before the candidates do.
 */
static size_t
gather(struct worker *wk, const struct chunk *ch, uint32_t u, int *pruned)
{
	size_t n = 0, scored = 0, base = (size_t)u * ch->M, K = (size_t)ch->K, at;

	if (wk->cap < (size_t)ch->nt * ch->M + 1) {
		wk->cap = (size_t)ch->nt * ch->M + 1;
		wk->items = sp_xreallocarray(wk->items, wk->cap, sizeof *wk->items);
	}
	for (int t = 0; t < ch->nt; t++) {
		const struct keep *kp = &ch->kp[t];

		for (uint32_t i = 0; i < kp->n[u]; i++) {
			at = base + i;
			wk->items[n++] = (struct item){ kp->score[at], kp->cand[at],
			    kp->ks + at * K, kp->kr + at * K };
		}
		scored += kp->scored[u];
	}
	if (n > 1)
		qsort(wk->items, n, sizeof *wk->items, item_cmp);
	/* A pruned candidate set left out others too. */
	*pruned = scored > n || corig != NULL;
	return *pruned && n > ch->M ? ch->M : n;
}

static void
put_id(FILE *fp, uint32_t id)
{
	size_t len;
	const char *s = sp_strtab_str(&ids, id, &len);

	sp_json_str(fp, s, len);
}

/* Rounding can print -0.000000, which reads badly: print 0 instead. */
static double
tidy(double v)
{
	return fabs(v) < 5e-7 ? 0 : v;
}

/* Whether the artist cap leaves room for row r; counts it when it does. */
static int
artist_room(struct worker *wk, const struct row *r)
{
	uint32_t a, ai;

	if (o.per_artist <= 0)
		return 1;
	for (a = 0; a < r->nart; a++) {
		ai = arts[r->art + a];
		if (wk->astamp[ai] == wk->stamp && wk->acount[ai] >= (uint32_t)o.per_artist)
			return 0;
	}
	for (a = 0; a < r->nart; a++) {
		ai = arts[r->art + a];
		if (wk->astamp[ai] != wk->stamp)
			wk->astamp[ai] = wk->stamp, wk->acount[ai] = 0;
		wk->acount[ai]++;
	}
	return 1;
}

/*
 * Ranks listener ui's kept candidates and writes them to fp.  Returns 1
 * when they ran out before -n lines while some were dropped: the lines
 * written are then not the listener's, and it must be scored again.
 */
static int
rank_user(struct worker *wk, const struct chunk *ch, uint32_t ui, FILE *fp)
{
	const struct user *u = &users[ui];
	uint32_t rank = 0, i;
	size_t n, k, len;
	int pruned;
	const char *lab;

	wk->stamp++;
	n = gather(wk, ch, ui - ch->u0, &pruned);
	for (k = 0; k < n && rank < (uint32_t)o.top; k++) {
		const struct item *it = &wk->items[k];
		const struct row *r = &rows[cand[it->c]];

		if (wk->seen[r->id] == wk->stamp)
			continue;	/* a duplicate id: its best row came first */
		if (!artist_room(wk, r))
			continue;
		wk->seen[r->id] = wk->stamp;
		rank++;
		putc('{', fp);
		if (u->name != NULL) {
			fputs("\"user\":", fp);
			sp_json_str(fp, u->name, u->name_len);
			putc(',', fp);
		}
		fprintf(fp, "\"rank\":%u,\"track_id\":", rank);
		put_id(fp, r->id);
		fprintf(fp, ",\"score\":%.6f,\"because\":[", tidy(it->score));
		for (i = 0; i < (uint32_t)o.because && it->kr[i] != NONE; i++) {
			fputs(i ? ",{\"track_id\":" : "{\"track_id\":", fp);
			put_id(fp, rows[it->kr[i]].id);
			fprintf(fp, ",\"similarity\":%.6f}", tidy(it->ks[i]));
		}
		putc(']', fp);
		if (o.labels && (lab = sp_mat_label(&mat, cand[it->c], &len)) != NULL) {
			fputs(",\"labels\":", fp);
			fwrite(lab, 1, len, fp);
		}
		fputs("}\n", fp);
	}
	return rank < (uint32_t)o.top && pruned;
}

/* Scores listener ui again alone, keeping every candidate, and ranks it. */
static void
rank_again(struct worker *wk, uint32_t ui, uint32_t M)
{
	struct chunk one;

	if (o.verbose)
		sp_warn("listener '%s': its best %u candidates ran out before -n %d lines; scored again keeping all",
		    users[ui].name != NULL ? users[ui].name : "-", M, o.top);
	unprune();
	chunk_build(&one, ui, ui + 1, ncand, o.threads);
	chunk_run(&one);
	rank_user(wk, &one, ui, stdout);
	chunk_free(&one);
}

/*
 * Ranking a chunk of listeners: each thread ranks whole listeners into
 * per-listener buffers that are written in listener order.
 */
struct pool {
	const struct chunk *ch;
	uint32_t u0, nu;
	char **out;
	size_t *outlen;
	int *again;
	atomic_uint next;
};

static void *
pool_run(void *arg)
{
	struct pool *p = ((struct pool **)arg)[0];
	struct worker *wk = ((struct worker **)arg)[1];
	uint32_t k;
	FILE *fp;

	while ((k = atomic_fetch_add(&p->next, 1)) < p->nu) {
		uint32_t ui = p->u0 + k;

		p->out[k] = NULL;
		p->outlen[k] = 0;
		p->again[k] = 0;
		if (users[ui].nent == 0)
			continue;
		if ((fp = open_memstream(&p->out[k], &p->outlen[k])) == NULL)
			sp_die(SP_EXIT_DATA, "open_memstream: %s", strerror(errno));
		p->again[k] = rank_user(wk, p->ch, ui, fp);
		if (fclose(fp) != 0)
			sp_die(SP_EXIT_DATA, "out of memory for the output");
	}
	return NULL;
}

/* Ranks the listeners of the chunk on nt threads, in order to stdout. */
static void
rank_chunk(struct worker *wks, int nt, const struct chunk *ch)
{
	void *args[MAX_THREADS][2];
	pthread_t tid[MAX_THREADS];
	struct pool p;
	uint32_t batch = 64 * (uint32_t)nt, u, k;
	int i, n;

	memset(&p, 0, sizeof p);
	p.ch = ch;
	p.out = sp_xcalloc(batch, sizeof *p.out);
	p.outlen = sp_xcalloc(batch, sizeof *p.outlen);
	p.again = sp_xcalloc(batch, sizeof *p.again);
	for (i = 0; i < nt; i++) {
		args[i][0] = &p;
		args[i][1] = &wks[i];
	}
	for (u = ch->u0; u < ch->u1 && !ferror(stdout); u += p.nu) {
		p.u0 = u;
		p.nu = ch->u1 - u < batch ? ch->u1 - u : batch;
		n = p.nu < (uint32_t)nt ? (int)p.nu : nt;
		atomic_store(&p.next, 0);
		if (n == 1)
			pool_run(args[0]);
		for (i = 0; n > 1 && i < n; i++)
			if (pthread_create(&tid[i], NULL, pool_run, args[i]) != 0)
				sp_die(SP_EXIT_DATA, "cannot start a thread: %s", strerror(errno));
		for (i = 0; n > 1 && i < n; i++)
			pthread_join(tid[i], NULL);
		for (k = 0; k < p.nu; k++) {
			if (p.again[k])
				rank_again(&wks[0], u + k, ch->M);
			else if (p.out[k] != NULL)
				fwrite(p.out[k], 1, p.outlen[k], stdout);
			free(p.out[k]);
		}
	}
	free(p.out);
	free(p.outlen);
	free(p.again);
}

/*
 * Scores and ranks every listener: the product of a chunk of listeners at
 * a time, as many as UNION_MAX and KEEP_MAX allow (one at a time, each
 * keeping every candidate, with SP_COSINE_PRODUCT=per-listener, to
 * compare), then their rankings.
 */
static void
recommend(void)
{
	struct worker wks[MAX_THREADS];
	struct chunk ch;
	const char *how = getenv("SP_COSINE_PRODUCT");
	int per = how != NULL && strcmp(how, "per-listener") == 0, nt = o.threads, i;
	uint32_t M, u0, u1;
	size_t ne;

	/* Enough for -n lines unless many are duplicates or capped. */
	M = (uint32_t)o.top * 2 + 16;
	if (per || M > ncand)
		M = ncand;
	index_candidates();
	row_uidx = sp_xreallocarray(NULL, nrows + 1, sizeof *row_uidx);
	memset(row_uidx, 0xff, (size_t)nrows * sizeof *row_uidx);
	row_mark = sp_xcalloc(nrows + 1, sizeof *row_mark);
	for (i = 0; i < nt; i++)
		worker_init(&wks[i]);
	for (u0 = 0; u0 < nusers && !ferror(stdout); u0 = u1) {
		u1 = chunk_end(u0, M, nt, per);
		if (u1 == u0 + 1 && !per)
			prune(u0, M);
		chunk_build(&ch, u0, u1, M, nt);
		chunk_run(&ch);
		if (o.verbose && nusers > 1 && !per) {
			ne = 0;
			for (uint32_t u = u0; u < u1; u++)
				ne += users[u].nent;
			sp_warn("listeners %u to %u: %zu history %s, %u %s in their union",
			    u0 + 1, u1, ne, sp_plural((long)ne, "entry", "entries"), ch.n,
			    sp_plural(ch.n, "row", "rows"));
		}
		rank_chunk(wks, nt, &ch);
		chunk_free(&ch);
		unprune();
	}
	for (i = 0; i < nt; i++)
		worker_free(&wks[i]);
	free(row_uidx);
	free(row_mark);
	free(cfirst);
	free(cnext);
}

/*
 * sp-cosine reads a dense sp matrix (FILE or stdin) whose row labels carry
 * a track id, a release date, a heard flag and artists, and optionally
 * listening histories (--history).  It writes recommendation NDJSON: per
 * listener, the candidates (releases within --days before --now) most
 * similar to that listener's history, best first, each with the history
 * tracks that explain it.  Exit status: 0 (also when there is nothing to
 * recommend, with a warning), 1 bad input or a write error, 2 bad usage.
 */
int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "artist-field", required_argument, NULL, 'A' },
		{ "because", required_argument, NULL, 'b' },
		{ "date-field", required_argument, NULL, 'D' },
		{ "days", required_argument, NULL, 'd' },
		{ "heard-field", required_argument, NULL, 'E' },
		{ "exclude", required_argument, NULL, 'X' },
		{ "help", no_argument, NULL, 'h' },
		{ "history", required_argument, NULL, 'H' },
		{ "id", required_argument, NULL, 'I' },
		{ "labels", no_argument, NULL, 'L' },
		{ "now", required_argument, NULL, 'N' },
		{ "per-artist", required_argument, NULL, 'P' },
		{ "score", required_argument, NULL, 's' },
		{ "threads", required_argument, NULL, 'T' },
		{ "top", required_argument, NULL, 'n' },
		{ "topk", required_argument, NULL, 'k' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	const char *now = NULL;
	double t0 = seconds(), t1;
	long ncpu;
	int c, i;

	sp_init(argv[0]);
	sp_blas_init(argv);
	ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	o.threads = ncpu < 1 ? 1 : ncpu > 8 ? 8 : (int)ncpu;
	while ((c = getopt_long(argc, argv, "hn:v", longopts, NULL)) != -1) {
		switch (c) {
		case 'A': o.artist_field = optarg; break;
		case 'b': o.because = (int)sp_opt_long("--because", optarg, 0, 1000, usage); break;
		case 'D': o.date_field = optarg; break;
		case 'd': o.days = (int)sp_opt_long("--days", optarg, 1, 1000000, usage); break;
		case 'E': o.heard_field = optarg; break;
		case 'h': usage(stdout, SP_EXIT_OK); break;
		case 'X': o.exclude = optarg; break;
		case 'H': o.history = optarg; break;
		case 'I': o.id_field = optarg; break;
		case 'L': o.labels = 1; break;
		case 'N': now = optarg; break;
		case 'n': o.top = (int)sp_opt_long("-n", optarg, 1, 1000000, usage); break;
		case 'P': o.per_artist = (int)sp_opt_long("--per-artist", optarg, 0, 1000000, usage); break;
		case 's':
			for (i = 0; score_names[i] != NULL && strcmp(optarg, score_names[i]) != 0; i++)
				;
			if (score_names[i] == NULL) {
				sp_warn("--score: unknown method '%s' (max, topk-mean, centroid, weighted)", optarg);
				usage(stderr, SP_EXIT_USAGE);
			}
			o.score = i;
			break;
		case 'T': o.threads = (int)sp_opt_long("--threads", optarg, 1, MAX_THREADS, usage); break;
		case 'k': o.topk = (int)sp_opt_long("--topk", optarg, 1, 1000, usage); break;
		case 'v': o.verbose = 1; break;
		case 'V': sp_version(); break;
		default: usage(stderr, SP_EXIT_USAGE);
		}
	}
	if (argc - optind > 1)
		usage(stderr, SP_EXIT_USAGE);
	if (now == NULL) {
		o.now = sp_date_today();
	} else if (sp_date_parse_day(now, &o.now) != 0) {
		sp_warn("--now: expected a date YYYY-MM-DD, got '%s'", now);
		usage(stderr, SP_EXIT_USAGE);
	}
	/* Parallelism comes from our threads; each sgemm call runs on one core. */
	sp_blas_one_thread();

	if (o.history != NULL)
		hist_start(o.history);
	load_matrix(optind < argc ? argv[optind] : NULL);
	if (o.history != NULL)
		hist_finish();
	else
		label_history();
	group_history();
	read_exclude();
	pick_candidates();
	if (o.verbose) {
		char d1[16], d2[16];

		sp_date_format(o.now - o.days + 1, d1, sizeof d1);
		sp_date_format(o.now, d2, sizeof d2);
		sp_warn("%s: %llu %s x %d; %u %s released %s .. %s; %zu history %s, %u %s; read in %.3f s",
		    in_name, (unsigned long long)nrows, sp_plural((long)nrows, "row", "rows"), dim,
		    ncand, sp_plural(ncand, "candidate", "candidates"), d1, d2, nhents,
		    sp_plural((long)nhents, "entry", "entries"), nusers,
		    sp_plural(nusers, "listener", "listeners"), seconds() - t0);
		sp_warn("blas kernel %s", sp_blas_kernel());
	}
	if (zero_cand > 0 || zero_hist > 0)
		sp_warn("%s: skipped %u %s and %zu history %s whose rows are all zero (no cosine)",
		    in_name, zero_cand, sp_plural(zero_cand, "candidate", "candidates"), zero_hist,
		    sp_plural((long)zero_hist, "entry", "entries"));
	if (ncand == 0) {
		char d1[16], d2[16];

		sp_date_format(o.now - o.days + 1, d1, sizeof d1);
		sp_date_format(o.now, d2, sizeof d2);
		sp_warn("%s: no candidates: no row released from %s to %s; nothing to recommend",
		    in_name, d1, d2);
	} else if (nhents == 0 && o.history == NULL) {
		char d1[16];

		sp_date_format(o.now - o.days, d1, sizeof d1);
		sp_warn("%s: no history: no heard row released on or before %s; nothing to recommend",
		    in_name, d1);
	} else if (nusers == 0) {
		sp_warn("%s: no history entries; nothing to recommend", sp_input_name(o.history));
	} else {
		for (uint32_t u = 0; u < nusers; u++)
			if (users[u].nent == 0 && o.history != NULL)
				sp_warn(users[u].given == 1 ?
				    "user '%s': its %u history track is not in %s; no recommendations" :
				    "user '%s': none of its %u history tracks is in %s; no recommendations",
				    users[u].name, users[u].given, in_name);
		t1 = seconds();
		recommend();
		if (o.verbose)
			sp_warn("scored and ranked in %.3f s with %d %s", seconds() - t1,
			    o.threads, sp_plural(o.threads, "thread", "threads"));
	}
	free(X);
	free(rows);
	free(arts);
	free(id_row);
	free(hents);
	free(xfirst);
	free(xid);
	free(users);
	free(cand);
	free(Cp);
	sp_strtab_free(&ids);
	sp_strtab_free(&artists);
	sp_strtab_free(&unames);
	sp_mat_free(&mat);
	return SP_EXIT_OK;
}
