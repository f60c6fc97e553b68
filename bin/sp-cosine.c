/* sp-cosine: ranks new releases by cosine similarity to listening histories. */
#include <errno.h>
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
 * Block sizes of the similarity product.  A thread holds one tile of BH
 * history rows x at most BC_MAX candidates (1 MiB of float, so that it
 * stays in the core's L2 cache between sgemm and the reduction that reads
 * it); the history x candidates matrix is never held whole.  Every sgemm
 * call has the same shape, BH x cbc x dim (the last blocks padded with
 * zero rows), so that a similarity is the same float whichever tile and
 * place in it the pair falls in: one listener scored alone or among many
 * (the union product below) gets the same scores and ties.
 */
#define BH 1152
#define PERIOD 48	/* BH is a multiple; see union_build */
#define BC_MAX 256
#define MAX_THREADS 16

#define NO_DAY INT32_MIN
#define NONE UINT32_MAX

enum { SCORE_MAX, SCORE_TOPK, SCORE_CENTROID, SCORE_WEIGHTED };
static const char *const score_names[] = { "max", "topk-mean", "centroid", "weighted", NULL };

static struct {
	int score, topk, because, top, per_artist, days, threads, verbose, labels;
	int32_t now;
	const char *history, *id_field, *date_field, *heard_field, *artist_field;
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
static uint32_t cbc, ncblk;	/* candidates per block, candidate blocks */
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
	fputs("usage: sp-cosine [-v] [-n N] [--score METHOD] [--history FILE] [--now DATE] [--days N] [OPTIONS] [FILE]\n"
	    "Ranks the rows of a dense embedding (FILE or stdin) released within --days\n"
	    "before --now by cosine similarity to listening histories; writes NDJSON\n"
	    "(see sp-cosine(1)).\n"
	    "  -n, --top N            recommendations per listener (default 25)\n"
	    "      --score METHOD     max (default), topk-mean, centroid or weighted\n"
	    "      --topk N           the N of topk-mean (default 5)\n"
	    "      --because N        history tracks listed per recommendation (default 3)\n"
	    "      --per-artist N     at most N recommendations per artist (default 0: no cap)\n"
	    "      --history FILE     NDJSON {\"user\",\"track_id\",\"weight\"}: one history per user\n"
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

static const char *
jtype_name(int t)
{
	switch (t) {
	case SP_JSON_NULL: return "null";
	case SP_JSON_FALSE: case SP_JSON_TRUE: return "a boolean";
	case SP_JSON_NUMBER: return "a number";
	case SP_JSON_STRING: return "a string";
	case SP_JSON_ARRAY: return "an array";
	default: return "an object";
	}
}

static void
add_artist(const struct sp_jtok *t, struct sp_buf *tmp, size_t *cap)
{
	sp_buf_reset(tmp);
	sp_jstr_decode(t, tmp);
	if (narts == *cap) {
		*cap = *cap ? *cap * 2 : 1024;
		arts = sp_xreallocarray(arts, *cap, sizeof *arts);
	}
	arts[narts++] = sp_strtab_add(&artists, tmp->data, tmp->len, NULL);
}

static void
parse_label(uint64_t i, struct sp_buf *tmp, size_t *artcap)
{
	struct sp_jtok lab, key, val, el, idtok = { 0 };
	struct sp_jiter it, ai;
	struct row *r = &rows[i];
	size_t len;
	const char *s = sp_mat_label(&mat, i, &len);

	if (sp_jscan(s, len, &lab) != 0 || lab.type != SP_JSON_OBJECT)
		row_die(i, "the label is not a JSON object");
	r->day = NO_DAY;
	r->art = (uint32_t)narts;
	sp_jiter_init(&it, &lab);
	while (sp_jiter_next(&it, &key, &val)) {
		if (sp_jstr_eq(&key, o.id_field)) {
			idtok = val;
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
			row_die(i, "label '%s': expected a date (YYYY, YYYY-MM or YYYY-MM-DD), got %.*s",
			    o.date_field, val.len > 40 ? 40 : (int)val.len, val.p);
		} else if (sp_jstr_eq(&key, o.heard_field)) {
			if (val.type != SP_JSON_TRUE && val.type != SP_JSON_FALSE &&
			    val.type != SP_JSON_NULL)
				row_die(i, "label '%s': expected a boolean, got %s",
				    o.heard_field, jtype_name(val.type));
			r->heard = val.type == SP_JSON_TRUE;
		} else if (sp_jstr_eq(&key, o.artist_field)) {
			narts = r->art;	/* a repeated member: the last one counts */
			if (val.type == SP_JSON_STRING) {
				add_artist(&val, tmp, artcap);
			} else if (val.type == SP_JSON_ARRAY) {
				sp_jiter_init(&ai, &val);
				while (sp_jiter_next(&ai, NULL, &el)) {
					if (el.type == SP_JSON_STRING)
						add_artist(&el, tmp, artcap);
					else if (el.type != SP_JSON_NULL)
						row_die(i, "label '%s': expected strings in the array, got %s",
						    o.artist_field, jtype_name(el.type));
				}
			} else if (val.type != SP_JSON_NULL) {
				row_die(i, "label '%s': expected a string or an array of strings, got %s",
				    o.artist_field, jtype_name(val.type));
			}
		}
	}
	r->nart = (uint32_t)(narts - r->art);
	if (idtok.type != SP_JSON_STRING)
		row_die(i, "label '%s': expected a string, got %s", o.id_field,
		    idtok.type ? jtype_name(idtok.type) : "nothing");
	sp_buf_reset(tmp);
	sp_jstr_decode(&idtok, tmp);
	r->id = sp_strtab_add(&ids, tmp->data, tmp->len, NULL);
}

/*
 * Converts the values to float rows of unit length (sp_rows_normalize),
 * in place for float32.  A zero row stays zero, so that its cosine with
 * anything is 0, never NaN.
 */
static void
normalise(void)
{
	const double *g = mat.dtype == SP_MAT_F64 ? mat.values : NULL;
	float *out;
	uint64_t i;
	int j;

	out = g == NULL ? mat.values : sp_xreallocarray(NULL, nrows * (uint64_t)dim, sizeof *out);
	for (i = 0; i < nrows; i++) {
		size_t base = (size_t)i * (size_t)dim;
		int nonzero = 0;

		for (j = 0; j < dim; j++) {
			double v = g != NULL ? g[base + j] : out[base + j];

			if (!isfinite(v))
				row_die(i, "column %d: the value is not finite", j + 1);
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
}

static void
load_matrix(const char *path)
{
	struct sp_buf tmp = { 0 };
	size_t artcap = 0;
	uint64_t i;

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
	for (i = 0; i < nrows; i++)
		parse_label(i, &tmp, &artcap);
	sp_buf_free(&tmp);
	id_row = sp_xreallocarray(NULL, ids.n, sizeof *id_row);
	memset(id_row, 0xff, (size_t)ids.n * sizeof *id_row);
	for (i = nrows; i-- > 0;)
		id_row[rows[i].id] = (uint32_t)i;
	normalise();
}

/* ---- histories ---- */

static int
hent_cmp(const void *a, const void *b)
{
	const struct hent *x = a, *y = b;

	if (x->user != y->user)
		return x->user < y->user ? -1 : 1;
	return (x->row > y->row) - (x->row < y->row);
}

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

/* A string member of a history line, or the error sp_jv_str_field gives. */
static const char *
hist_str(const struct sp_lines *lr, const struct sp_jtok *t, const char *field,
    struct sp_buf *tmp, size_t *len)
{
	if (t->type != SP_JSON_STRING)
		sp_die_at(SP_EXIT_DATA, lr->name, lr->lineno, "field '%s': expected a string, got %s",
		    field, t->type ? jtype_name(t->type) : "nothing");
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

/*
 * Reads --history: one entry a line, grouped per listener.  Lines are
 * scanned in place (jscan), not built as values: a few hundred thousand
 * lines a second.  A line that is not JSON is parsed again by jq, for the
 * message.
 */
static void
read_history(const char *path)
{
	struct sp_lines lr;
	struct sp_buf ubuf = { 0 }, tbuf = { 0 };
	struct sp_jtok line, key, val, user, track, weight;
	struct sp_jiter it;
	size_t cap = 0, missing = 0, zero = 0, len, ulen;
	uint32_t u, id, *given = NULL;
	const char *s, *us;
	char num[64], *end;
	int added;
	double w, t0 = seconds();

	if (sp_lines_open(&lr, path) != 0)
		exit(SP_EXIT_DATA);
	while ((s = sp_lines_next(&lr, &len)) != NULL) {
		if (blank(s, len))
			continue;
		if (sp_jscan(s, len, &line) != 0) {
			jv v = sp_jv_parse(s, len), msg = jv_invalid_get_msg(v);

			sp_die_at(SP_EXIT_DATA, lr.name, lr.lineno, "invalid JSON: %s",
			    jv_get_kind(msg) == JV_KIND_STRING ? jv_string_value(msg) : "parse error");
		}
		if (line.type != SP_JSON_OBJECT)
			sp_die_at(SP_EXIT_DATA, lr.name, lr.lineno, "expected a JSON object, got %s",
			    jtype_name(line.type));
		user = track = weight = (struct sp_jtok){ 0 };
		sp_jiter_init(&it, &line);
		while (sp_jiter_next(&it, &key, &val)) {
			/* A repeated member: the last one counts, as in jq. */
			if (key.len == 6 && memcmp(key.p, "\"user\"", 6) == 0)
				user = val;
			else if (key.len == 10 && memcmp(key.p, "\"track_id\"", 10) == 0)
				track = val;
			else if (key.len == 8 && memcmp(key.p, "\"weight\"", 8) == 0)
				weight = val;
			else if (memchr(key.p, '\\', key.len) != NULL) {
				/* An escaped spelling of a name (rare): decode it. */
				if (sp_jstr_eq(&key, "user"))
					user = val;
				else if (sp_jstr_eq(&key, "track_id"))
					track = val;
				else if (sp_jstr_eq(&key, "weight"))
					weight = val;
			}
		}
		us = hist_str(&lr, &user, "user", &ubuf, &ulen);
		u = sp_strtab_add(&unames, us, ulen, &added);
		if (added) {
			given = sp_xreallocarray(given, unames.n, sizeof *given);
			given[u] = 0;
		}
		given[u]++;
		w = 1;
		if (weight.type == SP_JSON_NUMBER) {
			if (weight.len >= sizeof num)
				w = -1;	/* no weight needs 64 characters */
			else {
				memcpy(num, weight.p, weight.len);
				num[weight.len] = '\0';
				w = strtod(num, &end);
			}
			if (!isfinite(w) || w < 0)
				sp_die_at(SP_EXIT_DATA, lr.name, lr.lineno,
				    "field 'weight': expected a number >= 0");
		} else if (weight.type != 0 && weight.type != SP_JSON_NULL) {
			sp_die_at(SP_EXIT_DATA, lr.name, lr.lineno,
			    "field 'weight': expected a number, got %s", jtype_name(weight.type));
		}
		s = hist_str(&lr, &track, "track_id", &tbuf, &len);
		id = sp_strtab_find(&ids, s, len);
		if (id == SP_STRTAB_NONE)
			missing++;
		else if (rows[id_row[id]].zero)
			zero++;
		else
			add_hent(u, id_row[id], w, &cap);
	}
	sp_lines_close(&lr);
	sp_buf_free(&ubuf);
	sp_buf_free(&tbuf);
	if (o.verbose)
		sp_warn("%s: %u %s, %zu %s; %zu %s not in %s (ignored); read in %.3f s",
		    sp_input_name(path), unames.n, sp_plural(unames.n, "listener", "listeners"),
		    nhents + missing + zero, sp_plural((long)(nhents + missing + zero), "entry", "entries"),
		    missing, sp_plural((long)missing, "name track", "name tracks"), in_name,
		    seconds() - t0);
	zero_hist += zero;
	nusers = unames.n;
	users = sp_xcalloc(nusers, sizeof *users);
	for (u = 0; u < nusers; u++) {
		users[u].name = (char *)sp_strtab_str(&unames, u, &users[u].name_len);
		users[u].given = given[u];
	}
	free(given);
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

/* Sorts the entries per listener and row, summing the weights of repeats. */
static void
group_history(void)
{
	size_t i, k = 0;

	if (nhents > 0)
		qsort(hents, nhents, sizeof *hents, hent_cmp);
	for (i = 0; i < nhents; i++) {
		if (k > 0 && hents[k - 1].user == hents[i].user && hents[k - 1].row == hents[i].row)
			hents[k - 1].w += hents[i].w;
		else
			hents[k++] = hents[i];
	}
	nhents = k;
	for (i = 0; i < nhents; i++) {
		struct user *u = &users[hents[i].user];

		if (u->nent++ == 0)
			u->ent = (uint32_t)i;
	}
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
	/*
	 * Candidate blocks depend only on the number of candidates, never on
	 * the number of threads or listeners, so every similarity comes from
	 * the same sgemm call shape whatever --threads says.
	 */
	cbc = (ncand + 7) / 8;
	cbc = (cbc + 15) / 16 * 16;
	if (cbc < 32)
		cbc = 32;
	if (cbc > BC_MAX)
		cbc = BC_MAX;
	ncblk = (ncand + cbc - 1) / cbc;
	Cp = sp_xcalloc((size_t)ncblk * cbc * (size_t)dim + 1, sizeof *Cp);
	for (uint32_t c = 0; c < ncand; c++)
		memcpy(Cp + (size_t)c * dim, X + (size_t)cand[c] * dim, (size_t)dim * sizeof *Cp);
}

/* ---- the blocked product and its reduction ---- */

/*
 * Listeners share tracks, so the product is formed once over the union of
 * the histories of a chunk of listeners (one listener: its history):
 * union x candidates, a tile of BH union rows x cbc candidates at a time,
 * each tile folded into the lists of every listener with entries among
 * its rows.  A listener's lists are then those of its own product: the
 * same floats (every tile has the same shape), in lists whose order is
 * total.  The lists of a chunk of listeners for all candidates are held;
 * chunks keep them under STATE_MAX bytes.
 */
#define STATE_MAX ((size_t)96 << 20)

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

/* One listener's entries among the rows of one union block. */
struct seg {
	uint32_t user;		/* the listener, from the chunk's first */
	uint32_t e0, e1;	/* its entries: ecol[e0 .. e1), ew[e0 .. e1) */
};

static struct {
	uint32_t u0, u1, nu;	/* the listeners of the chunk */
	uint32_t n, nblk;	/* union rows, blocks of BH slots */
	uint32_t *urow;		/* slot -> matrix row, or NONE */
	uint32_t *bseg;		/* [nblk + 1]: each block's segments */
	struct seg *seg;
	uint16_t *ecol;		/* an entry's row in its block */
	float *ew;		/* its weight divided by the listener's largest */
	int K;
	size_t ncp;		/* candidates with the last block's padding */
	float *ks;		/* [listener][cand][K] similarities, best first */
	uint32_t *ki;		/* their slots */
	float *thr;		/* [listener][cand]: ks[K - 1]; +inf for padding */
	float *acc;		/* [listener][cand]: --score weighted */
	atomic_uint next;	/* the next candidate block to take */
} un;

static uint32_t *row_uidx;	/* matrix row -> its slot, or NONE */

/*
 * Sets up the union of listeners [u0, u1): where each row goes in the
 * tiles (its slot) and each block's entries, grouped by listener.  Some
 * sgemm kernels compute a similarity differently by its place in the
 * tile (OpenBLAS's Haswell kernels by place mod 12), so a row always
 * takes a place congruent to its row number mod PERIOD, alone or among
 * many listeners; the slots of a residue fill in order, block by block.
 */
static void
union_build(uint32_t u0, uint32_t u1)
{
	uint32_t u, e, b, k, ns = 0, ne = 0, *ecnt, *scnt, *bfirst, q, cnt[PERIOD] = { 0 };

	un.u0 = u0;
	un.u1 = u1;
	un.nu = u1 - u0;
	un.n = 0;
	un.nblk = 0;
	for (u = u0; u < u1; u++)
		for (e = users[u].ent; e < users[u].ent + users[u].nent; e++)
			row_uidx[hents[e].row] = 0;
	for (uint64_t i = 0; i < nrows; i++)
		if (row_uidx[i] != NONE) {
			q = (uint32_t)(i % PERIOD);
			b = cnt[q] / (BH / PERIOD);
			row_uidx[i] = b * BH + cnt[q] % (BH / PERIOD) * PERIOD + q;
			cnt[q]++;
			if (b + 1 > un.nblk)
				un.nblk = b + 1;
			un.n++;
		}
	un.urow = sp_xreallocarray(un.urow, (size_t)un.nblk * BH + 1, sizeof *un.urow);
	memset(un.urow, 0xff, (size_t)un.nblk * BH * sizeof *un.urow);
	for (u = u0; u < u1; u++)
		for (e = users[u].ent; e < users[u].ent + users[u].nent; e++)
			un.urow[row_uidx[hents[e].row]] = hents[e].row;
	ecnt = sp_xcalloc((size_t)un.nblk + 1, sizeof *ecnt);
	scnt = sp_xcalloc((size_t)un.nblk + 1, sizeof *scnt);
	bfirst = sp_xcalloc((size_t)un.nblk + 1, sizeof *bfirst);
	/* A listener's entries of one block are contiguous in the block's bucket. */
	for (u = u0; u < u1; u++) {
		for (e = users[u].ent; e < users[u].ent + users[u].nent; e++) {
			b = row_uidx[hents[e].row] / BH;
			ecnt[b]++;
			if (bfirst[b] != u + 1)
				scnt[b]++, bfirst[b] = u + 1;
		}
	}
	for (b = 0; b < un.nblk; b++) {
		k = ecnt[b], ecnt[b] = ne, ne += k;
		k = scnt[b], scnt[b] = ns, ns += k;
		bfirst[b] = 0;
	}
	un.bseg = sp_xreallocarray(un.bseg, (size_t)un.nblk + 1, sizeof *un.bseg);
	memcpy(un.bseg, scnt, (size_t)un.nblk * sizeof *un.bseg);
	un.bseg[un.nblk] = ns;
	un.seg = sp_xreallocarray(un.seg, (size_t)ns + 1, sizeof *un.seg);
	un.ecol = sp_xreallocarray(un.ecol, (size_t)ne + 1, sizeof *un.ecol);
	un.ew = sp_xreallocarray(un.ew, (size_t)ne + 1, sizeof *un.ew);
	for (u = u0; u < u1; u++) {
		const struct user *us = &users[u];
		double wmax = 0;

		for (e = us->ent; e < us->ent + us->nent; e++)
			if (hents[e].w > wmax)
				wmax = hents[e].w;
		for (e = us->ent; e < us->ent + us->nent; e++) {
			uint32_t x = row_uidx[hents[e].row];

			b = x / BH;
			if (bfirst[b] != u + 1) {
				un.seg[scnt[b]++] = (struct seg){ u - u0, ecnt[b], ecnt[b] };
				bfirst[b] = u + 1;
			}
			un.seg[scnt[b] - 1].e1++;
			un.ecol[ecnt[b]] = (uint16_t)(x % BH);
			/* The weight as one listener's own product gives it. */
			un.ew[ecnt[b]++] = wmax > 0 ? (float)(hents[e].w / wmax) : 0;
		}
	}
	for (u = u0; u < u1; u++)
		for (e = users[u].ent; e < users[u].ent + users[u].nent; e++)
			row_uidx[hents[e].row] = NONE;
	free(ecnt);
	free(scnt);
	free(bfirst);
}

/*
 * tile (BH x cbc, row stride cbc) = h c^T: h is BH union rows, c cbc
 * candidates, both dim wide.  Always this one shape (see BH).
 */
static void
tile_product(const float *h, const float *c, float *tile)
{
	if (dim > 0)
		cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, BH, (int)cbc, dim, 1.0f,
		    h, dim, c, dim, 0.0f, tile, (int)cbc);
	else
		memset(tile, 0, (size_t)cbc * BH * sizeof *tile);
}

/*
 * Folds a tile (union block b x candidate block from c0) into the lists:
 * each entry's row of the tile is compared with its listener's thresholds
 * 16 candidates at a time; most similarities fall below them.
 */
static void
union_reduce(const float *tile, uint32_t c0, uint32_t b)
{
	const struct seg *g0 = un.seg + un.bseg[b], *g1 = un.seg + un.bseg[b + 1], *g;
	const uint32_t base = b * BH;
	int K = un.K;

	for (g = g0; g < g1; g++) {
		size_t at = (size_t)g->user * un.ncp + c0;
		float *thr = un.thr + at, *ks = un.ks + at * K, *acc;
		uint32_t *ki = un.ki + at * K;

		for (uint32_t e = g->e0; e < g->e1; e++) {
			const float *r = tile + (size_t)un.ecol[e] * cbc;
			uint32_t h = base + un.ecol[e];

			for (uint32_t c = 0; K > 0 && c < cbc; c += 16) {
				for (unsigned m = ge_mask16(r + c, thr + c); m != 0; m &= m - 1) {
					uint32_t t = c + (uint32_t)__builtin_ctz(m);

					kinsert(un.urow, ks + (size_t)t * K, ki + (size_t)t * K, K, r[t], h);
					thr[t] = ks[(size_t)t * K + K - 1];
				}
			}
			if (un.acc != NULL) {
				float w = un.ew[e], v;

				acc = un.acc + at;
				for (uint32_t c = 0; c < cbc; c++) {
					v = w * r[c];
					acc[c] = v > acc[c] ? v : acc[c];
				}
			}
		}
	}
}

/* Takes candidate blocks until none is left: all union blocks of each. */
static void *
union_product(void *arg)
{
	float *tile = sp_xreallocarray(NULL, (size_t)BC_MAX * BH, sizeof *tile);
	float *H = sp_xcalloc((size_t)BH * dim + 1, sizeof *H);
	uint32_t cb, c0, nc, b, j, r;
	size_t K = (size_t)un.K, k;

	(void)arg;
	while ((cb = atomic_fetch_add(&un.next, 1)) < ncblk) {
		c0 = cb * cbc;
		nc = ncand - c0 < cbc ? ncand - c0 : cbc;
		for (uint32_t u = 0; u < un.nu; u++) {
			size_t at = (size_t)u * un.ncp + c0;

			for (k = 0; k < cbc * K; k++) {
				un.ks[at * K + k] = -INFINITY;
				un.ki[at * K + k] = NONE;
			}
			/* Padding candidates never enter a list. */
			for (k = 0; k < cbc; k++)
				un.thr[at + k] = k < nc && K > 0 ? -INFINITY : INFINITY;
			if (un.acc != NULL)
				for (k = 0; k < cbc; k++)
					un.acc[at + k] = -INFINITY;
		}
		for (b = 0; b < un.nblk; b++) {
			/* Empty slots are zero rows. */
			for (j = 0; j < BH; j++) {
				if ((r = un.urow[b * BH + j]) != NONE)
					memcpy(H + (size_t)j * dim, X + (size_t)r * dim, (size_t)dim * sizeof *H);
				else
					memset(H + (size_t)j * dim, 0, (size_t)dim * sizeof *H);
			}
			tile_product(H, Cp + (size_t)c0 * dim, tile);
			union_reduce(tile, c0, b);
		}
	}
	free(tile);
	free(H);
	return NULL;
}

/* Runs the product of the chunk on nt threads. */
static void
union_run(int nt)
{
	pthread_t tid[MAX_THREADS];
	int i;

	if (un.K == 0 && un.acc == NULL)
		return;		/* centroid without explanations: no product needed */
	atomic_store(&un.next, 0);
	if (nt > (int)ncblk)
		nt = (int)ncblk;
	if (nt <= 1) {
		union_product(NULL);
		return;
	}
	for (i = 0; i < nt; i++)
		if (pthread_create(&tid[i], NULL, union_product, NULL) != 0)
			sp_die(SP_EXIT_DATA, "cannot start a thread: %s", strerror(errno));
	for (i = 0; i < nt; i++)
		pthread_join(tid[i], NULL);
}

/* ---- ranking and output ---- */

struct item {
	double score;
	uint32_t c;		/* candidate index */
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
	return (x->c > y->c) - (x->c < y->c);
}

/* One listener's lists, in the chunk's state. */
struct job {
	int K;
	const float *ks;	/* [cand * K] similarities, best first */
	const uint32_t *ki;	/* [cand * K] their slots */
	const uint32_t *hmap;	/* slot -> matrix row */
	const float *acc;	/* [cand] weighted score, or NULL */
};

/* Everything one thread needs to rank listeners. */
struct worker {
	struct job jb;
	struct item *items;
	uint32_t *hstamp, *seen;	/* per id: the listener last marked, + 1 */
	uint32_t *astamp, *acount;	/* per artist: the same, and its count */
	double *mvec;			/* the centroid */
};

static void
worker_init(struct worker *wk)
{
	memset(wk, 0, sizeof *wk);
	wk->items = sp_xreallocarray(NULL, ncand + 1, sizeof *wk->items);
	wk->hstamp = sp_xcalloc(ids.n + 1, sizeof *wk->hstamp);
	wk->seen = sp_xcalloc(ids.n + 1, sizeof *wk->seen);
	wk->astamp = sp_xcalloc(artists.n + 1, sizeof *wk->astamp);
	wk->acount = sp_xcalloc(artists.n + 1, sizeof *wk->acount);
	wk->mvec = sp_xcalloc((size_t)dim + 1, sizeof *wk->mvec);
}

static void
worker_free(struct worker *wk)
{
	free(wk->items);
	free(wk->hstamp);
	free(wk->seen);
	free(wk->astamp);
	free(wk->acount);
	free(wk->mvec);
}

/* Points the worker's job at listener ui's lists in the chunk's state. */
static void
job_of(struct worker *wk, uint32_t ui)
{
	size_t at = (size_t)(ui - un.u0) * un.ncp;

	wk->jb.K = un.K;
	wk->jb.hmap = un.urow;
	wk->jb.ks = un.ks + at * un.K;
	wk->jb.ki = un.ki + at * un.K;
	wk->jb.acc = un.acc != NULL ? un.acc + at : NULL;
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

/* The score of candidate c for the job's listener. */
static double
score_of(const struct worker *wk, uint32_t c, double mnorm)
{
	const struct job *jb = &wk->jb;
	size_t base = (size_t)c * jb->K;
	double s = 0;
	int k;

	switch (o.score) {
	case SCORE_MAX:
		return jb->ks[base];
	case SCORE_TOPK:
		for (k = 0; k < o.topk && jb->ki[base + k] != NONE; k++)
			s += jb->ks[base + k];
		return k > 0 ? s / k : 0;
	case SCORE_CENTROID:
		if (mnorm <= 0)
			return 0;
		for (int j = 0; j < dim; j++)
			s += (double)Cp[(size_t)c * dim + j] * wk->mvec[j];
		return s / mnorm;
	default:
		return jb->acc[c];
	}
}

/* Ranks the candidates for the job's listener listener and writes them to fp. */
static void
rank_user(struct worker *wk, uint32_t ui, FILE *fp)
{
	const struct job *jb = &wk->jb;
	const struct user *u = &users[ui];
	uint32_t stamp = ui + 1, n = 0, e, c, rank = 0, m;
	double mnorm = 0;

	for (e = u->ent; e < u->ent + u->nent; e++)
		wk->hstamp[rows[hents[e].row].id] = stamp;
	if (o.score == SCORE_CENTROID) {
		memset(wk->mvec, 0, (size_t)dim * sizeof *wk->mvec);
		for (e = u->ent; e < u->ent + u->nent; e++)
			for (int j = 0; j < dim; j++)
				wk->mvec[j] += hents[e].w * X[(size_t)hents[e].row * dim + j];
		for (int j = 0; j < dim; j++)
			mnorm += wk->mvec[j] * wk->mvec[j];
		mnorm = sqrt(mnorm);
	}
	for (c = 0; c < ncand; c++) {
		if (wk->hstamp[rows[cand[c]].id] == stamp)
			continue;	/* never recommend a listener's own history */
		wk->items[n++] = (struct item){ score_of(wk, c, mnorm), c };
	}
	/*
	 * Only the best few need sorting; duplicates and the artist cap can
	 * skip some, so when the best m run out before -n lines, m grows.
	 */
	m = (uint32_t)o.top * 2 + 16;
	sp_topk(wk->items, n, sizeof *wk->items, m, item_cmp);
	for (uint32_t k = 0; k < n && rank < (uint32_t)o.top; k++) {
		if (k == m) {
			m = m > n / 4 ? n : m * 4;
			sp_topk(wk->items + k, n - k, sizeof *wk->items, m - k, item_cmp);
		}
		const struct row *r = &rows[cand[wk->items[k].c]];
		size_t base = (size_t)wk->items[k].c * jb->K, len;
		uint32_t a, i;
		const char *lab;

		if (wk->seen[r->id] == stamp)
			continue;	/* a duplicate id: its best row came first */
		if (o.per_artist > 0) {
			for (a = 0; a < r->nart; a++) {
				uint32_t ai = arts[r->art + a];

				if (wk->astamp[ai] == stamp && wk->acount[ai] >= (uint32_t)o.per_artist)
					break;
			}
			if (a < r->nart)
				continue;
			for (a = 0; a < r->nart; a++) {
				uint32_t ai = arts[r->art + a];

				if (wk->astamp[ai] != stamp)
					wk->astamp[ai] = stamp, wk->acount[ai] = 0;
				wk->acount[ai]++;
			}
		}
		wk->seen[r->id] = stamp;
		rank++;
		putc('{', fp);
		if (u->name != NULL) {
			fputs("\"user\":", fp);
			sp_json_str(fp, u->name, u->name_len);
			putc(',', fp);
		}
		fprintf(fp, "\"rank\":%u,\"track_id\":", rank);
		put_id(fp, r->id);
		fprintf(fp, ",\"score\":%.6f,\"because\":[", tidy(wk->items[k].score));
		for (i = 0; i < (uint32_t)o.because && jb->ki[base + i] != NONE; i++) {
			fputs(i ? ",{\"track_id\":" : "{\"track_id\":", fp);
			put_id(fp, rows[jb->hmap[jb->ki[base + i]]].id);
			fprintf(fp, ",\"similarity\":%.6f}", tidy(jb->ks[base + i]));
		}
		putc(']', fp);
		if (o.labels && (lab = sp_mat_label(&mat, cand[wk->items[k].c], &len)) != NULL) {
			fputs(",\"labels\":", fp);
			fwrite(lab, 1, len, fp);
		}
		fputs("}\n", fp);
	}
}

/*
 * Ranking a chunk of listeners: each thread ranks whole listeners into
 * per-listener buffers that are written in listener order.
 */
struct pool {
	uint32_t u0, nu;
	char **out;
	size_t *outlen;
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
		if (users[ui].nent == 0)
			continue;
		if ((fp = open_memstream(&p->out[k], &p->outlen[k])) == NULL)
			sp_die(SP_EXIT_DATA, "open_memstream: %s", strerror(errno));
		job_of(wk, ui);
		rank_user(wk, ui, fp);
		if (fclose(fp) != 0)
			sp_die(SP_EXIT_DATA, "out of memory for the output");
	}
	return NULL;
}

/* Ranks listeners [u0, u1) of the chunk on nt threads, in order to stdout. */
static void
rank_chunk(struct worker *wks, int nt, uint32_t u0, uint32_t u1)
{
	void *args[MAX_THREADS][2];
	pthread_t tid[MAX_THREADS];
	struct pool p;
	uint32_t chunk = 64 * (uint32_t)nt, u, k;
	int i;

	if (nt == 1 || u1 - u0 == 1) {
		/* One thread: straight to stdout. */
		for (u = u0; u < u1 && !ferror(stdout); u++) {
			if (users[u].nent == 0)
				continue;
			job_of(&wks[0], u);
			rank_user(&wks[0], u, stdout);
		}
		return;
	}
	memset(&p, 0, sizeof p);
	p.out = sp_xcalloc(chunk, sizeof *p.out);
	p.outlen = sp_xcalloc(chunk, sizeof *p.outlen);
	for (i = 0; i < nt; i++) {
		args[i][0] = &p;
		args[i][1] = &wks[i];
	}
	for (u = u0; u < u1 && !ferror(stdout); u += p.nu) {
		p.u0 = u;
		p.nu = u1 - u < chunk ? u1 - u : chunk;
		atomic_store(&p.next, 0);
		for (i = 0; i < nt; i++)
			if (pthread_create(&tid[i], NULL, pool_run, args[i]) != 0)
				sp_die(SP_EXIT_DATA, "cannot start a thread: %s", strerror(errno));
		for (i = 0; i < nt; i++)
			pthread_join(tid[i], NULL);
		for (k = 0; k < p.nu; k++) {
			if (p.out[k] != NULL)
				fwrite(p.out[k], 1, p.outlen[k], stdout);
			free(p.out[k]);
		}
	}
	free(p.out);
	free(p.outlen);
}

/*
 * Scores and ranks every listener: the union product of a chunk of
 * listeners at a time, as many as STATE_MAX allows (one at a time with
 * SP_COSINE_PRODUCT=per-listener, each listener's own product, to
 * compare), then their rankings.
 */
static void
recommend(void)
{
	struct worker wks[MAX_THREADS];
	const char *how = getenv("SP_COSINE_PRODUCT");
	size_t per, chunk, nchunk;
	uint32_t u0, u1;
	int nt = o.threads, nw, i;

	un.K = needed_k();
	un.ncp = (size_t)ncblk * cbc;
	per = un.ncp * (un.K * (sizeof *un.ks + sizeof *un.ki) + sizeof *un.thr +
	    (o.score == SCORE_WEIGHTED ? sizeof *un.acc : 0));
	chunk = per > 0 ? STATE_MAX / per : nusers;
	if (chunk < 1 || (how != NULL && strcmp(how, "per-listener") == 0))
		chunk = 1;
	if (chunk > nusers)
		chunk = nusers;
	/* Chunks of even size: no small last one to form a product for. */
	nchunk = (nusers + chunk - 1) / chunk;
	chunk = (nusers + nchunk - 1) / nchunk;
	row_uidx = sp_xreallocarray(NULL, nrows + 1, sizeof *row_uidx);
	memset(row_uidx, 0xff, (size_t)nrows * sizeof *row_uidx);
	un.ks = sp_xreallocarray(NULL, un.ncp * chunk * un.K + 1, sizeof *un.ks);
	un.ki = sp_xreallocarray(NULL, un.ncp * chunk * un.K + 1, sizeof *un.ki);
	un.thr = sp_xreallocarray(NULL, un.ncp * chunk + 1, sizeof *un.thr);
	if (o.score == SCORE_WEIGHTED)
		un.acc = sp_xreallocarray(NULL, un.ncp * chunk + 1, sizeof *un.acc);
	nw = nt < (int)chunk ? nt : (int)chunk;
	for (i = 0; i < nw; i++)
		worker_init(&wks[i]);
	for (u0 = 0; u0 < nusers && !ferror(stdout); u0 = u1) {
		u1 = nusers - u0 < chunk ? nusers : u0 + (uint32_t)chunk;
		union_build(u0, u1);
		union_run(nt);
		rank_chunk(wks, nw, u0, u1);
		if (o.verbose && nusers > 1 && chunk > 1) {
			size_t ne = 0;

			for (uint32_t u = u0; u < u1; u++)
				ne += users[u].nent;
			sp_warn("listeners %u to %u: %zu history %s, %u %s in their union",
			    u0 + 1, u1, ne, sp_plural((long)ne, "entry", "entries"), un.n,
			    sp_plural(un.n, "row", "rows"));
		}
	}
	for (i = 0; i < nw; i++)
		worker_free(&wks[i]);
	free(un.urow);
	free(row_uidx);
	free(un.bseg);
	free(un.seg);
	free(un.ecol);
	free(un.ew);
	free(un.ks);
	free(un.ki);
	free(un.thr);
	free(un.acc);
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
	openblas_set_num_threads(1);

	load_matrix(optind < argc ? argv[optind] : NULL);
	if (o.history != NULL)
		read_history(o.history);
	else
		label_history();
	group_history();
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
	free(users);
	free(cand);
	free(Cp);
	sp_strtab_free(&ids);
	sp_strtab_free(&artists);
	sp_strtab_free(&unames);
	sp_mat_free(&mat);
	return SP_EXIT_OK;
}
