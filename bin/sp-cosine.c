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
 * Block sizes of the similarity product.  A thread holds one tile of at
 * most BC_MAX candidates x BH history rows (1 MiB of float, so that it
 * stays in the core's L2 cache between sgemm and the reduction that reads
 * it); the candidates x history matrix is never held whole.
 */
#define BH 1024
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
static float *Cp;		/* packed unit candidate vectors, ncand x dim */

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

		for (j = 0; j < dim; j++) {
			double v = g != NULL ? g[base + j] : out[base + j];

			if (!isfinite(v))
				row_die(i, "column %d: the value is not finite", j + 1);
			out[base + j] = (float)v;
		}
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

static const char *
jv_kind_desc(jv v)
{
	return sp_jv_kind_name(jv_get_kind(v));
}

/* Reads --history: one entry a line, grouped per listener. */
static void
read_history(const char *path)
{
	struct sp_lines lr;
	size_t cap = 0, missing = 0, len;
	uint32_t u, id, *given = NULL;
	const char *s;
	jv v, f;
	int added;
	double w;

	if (sp_lines_open(&lr, path) != 0)
		exit(SP_EXIT_DATA);
	while (sp_ndjson_next(&lr, &v, 1)) {
		s = sp_jv_str_field(v, "user", 0, &lr, &len);
		u = sp_strtab_add(&unames, s, len, &added);
		if (added) {
			given = sp_xreallocarray(given, unames.n, sizeof *given);
			given[u] = 0;
		}
		given[u]++;
		w = 1;
		f = sp_jv_get(v, "weight");
		if (jv_get_kind(f) == JV_KIND_NUMBER) {
			w = jv_number_value(f);
			if (!isfinite(w) || w < 0)
				sp_die_at(SP_EXIT_DATA, lr.name, lr.lineno,
				    "field 'weight': expected a number >= 0");
		} else if (jv_get_kind(f) != JV_KIND_NULL) {
			sp_die_at(SP_EXIT_DATA, lr.name, lr.lineno,
			    "field 'weight': expected a number, got %s", jv_kind_desc(f));
		}
		jv_free(f);
		s = sp_jv_str_field(v, "track_id", 0, &lr, &len);
		id = sp_strtab_find(&ids, s, len);
		if (id == SP_STRTAB_NONE)
			missing++;
		else
			add_hent(u, id_row[id], w, &cap);
		jv_free(v);
	}
	sp_lines_close(&lr);
	if (o.verbose)
		sp_warn("%s: %u listener%s, %zu entries; %zu name tracks not in %s (ignored)",
		    sp_input_name(path), unames.n, unames.n == 1 ? "" : "s", nhents + missing,
		    missing, in_name);
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

		if (r->heard && (r->day == NO_DAY || r->day <= old) && id_row[r->id] == i)
			add_hent(0, (uint32_t)i, 1, &cap);
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
	for (uint64_t i = 0; i < nrows; i++)
		if (rows[i].day != NO_DAY && rows[i].day > lo && rows[i].day <= o.now)
			cand[ncand++] = (uint32_t)i;
	Cp = sp_xreallocarray(NULL, (size_t)ncand * (size_t)dim + 1, sizeof *Cp);
	for (uint32_t c = 0; c < ncand; c++)
		memcpy(Cp + (size_t)c * dim, X + (size_t)cand[c] * dim, (size_t)dim * sizeof *Cp);
}

/* ---- the blocked product and its reduction ---- */

/*
 * Whether any of r[0 .. 32) is >= thr.  GCC's generic 16-byte vectors
 * compile to SIMD compares on x86-64's baseline (SSE2) and on arm64.
 */
typedef float v4f __attribute__((vector_size(16)));
typedef int32_t v4i __attribute__((vector_size(16)));

static inline int
any_ge32(const float *r, float thr)
{
	v4f x, t = (v4f){ 0 } + thr;
	v4i m = { 0 };
	uint64_t q[2];

	for (int k = 0; k < 32; k += 4) {
		memcpy(&x, r + k, sizeof x);
		m |= x >= t;
	}
	memcpy(q, &m, sizeof q);
	return (q[0] | q[1]) != 0;
}

/*
 * One listener's scoring: its history rows packed as unit vectors, and per
 * candidate the K most similar history rows (best first) and, for
 * --score weighted, the largest weighted similarity.
 */
struct job {
	uint32_t nh;
	uint32_t *hrow;		/* history index -> matrix row */
	float *Hp;		/* nh x dim */
	float *w;		/* the weight divided by the listener's largest */
	int K;
	float *ks;		/* [cand * K] similarities, best first */
	uint32_t *ki;		/* [cand * K] their history indices */
	float *acc;		/* [cand] weighted score, or NULL */
	uint32_t bc, ncblk;	/* candidates per block, candidate blocks */
	atomic_uint next;	/* the next candidate block to take */
};

/* Whether history index a sorts before b among equal similarities. */
static int
h_before(const struct job *jb, uint32_t a, uint32_t b)
{
	if (b == NONE)
		return 1;
	return sp_strtab_cmp(&ids, rows[jb->hrow[a]].id, rows[jb->hrow[b]].id) < 0;
}

/* Inserts (s, h) into a best-first list of K if it belongs there. */
static void
kinsert(const struct job *jb, float *ks, uint32_t *ki, int K, float s, uint32_t h)
{
	int p = K - 1;

	if (s < ks[p] || (s == ks[p] && !h_before(jb, h, ki[p])))
		return;
	while (p > 0 && (s > ks[p - 1] || (s == ks[p - 1] && h_before(jb, h, ki[p - 1])))) {
		ks[p] = ks[p - 1];
		ki[p] = ki[p - 1];
		p--;
	}
	ks[p] = s;
	ki[p] = h;
}

/* Folds a tile (nc candidates from c0 x nh history rows from h0) into the job. */
static void
reduce(struct job *jb, const float *tile, uint32_t c0, uint32_t nc, uint32_t h0, uint32_t nh)
{
	int K = jb->K;

	for (uint32_t i = 0; i < nc; i++) {
		const float *r = tile + (size_t)i * nh;
		float *ks = jb->ks + (size_t)(c0 + i) * K, thr;
		uint32_t *ki = jb->ki + (size_t)(c0 + i) * K, j, t;

		if (K > 0) {
			/* Most similarities fall below the list's last one: test 32 at once. */
			thr = ks[K - 1];
			for (j = 0; j + 32 <= nh; j += 32) {
				if (!any_ge32(r + j, thr))
					continue;
				for (t = j; t < j + 32; t++) {
					if (r[t] >= thr) {
						kinsert(jb, ks, ki, K, r[t], h0 + t);
						thr = ks[K - 1];
					}
				}
			}
			for (; j < nh; j++) {
				if (r[j] >= thr) {
					kinsert(jb, ks, ki, K, r[j], h0 + j);
					thr = ks[K - 1];
				}
			}
		}
		if (jb->acc != NULL) {
			const float *w = jb->w + h0;
			float a = jb->acc[c0 + i];

			for (j = 0; j < nh; j++)
				if (w[j] * r[j] > a)
					a = w[j] * r[j];
			jb->acc[c0 + i] = a;
		}
	}
}

/* Takes candidate blocks until none is left; one or more threads at once. */
static void *
product(void *arg)
{
	struct job *jb = arg;
	float *tile = sp_xreallocarray(NULL, (size_t)BC_MAX * BH, sizeof *tile);
	uint32_t cb, c0, nc, h0, nh;

	while ((cb = atomic_fetch_add(&jb->next, 1)) < jb->ncblk) {
		c0 = cb * jb->bc;
		nc = ncand - c0 < jb->bc ? ncand - c0 : jb->bc;
		for (h0 = 0; h0 < jb->nh; h0 += BH) {
			nh = jb->nh - h0 < BH ? jb->nh - h0 : BH;
			if (dim > 0)
				cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)nc, (int)nh,
				    dim, 1.0f, Cp + (size_t)c0 * dim, dim, jb->Hp + (size_t)h0 * dim,
				    dim, 0.0f, tile, (int)nh);
			else
				memset(tile, 0, (size_t)nc * nh * sizeof *tile);
			reduce(jb, tile, c0, nc, h0, nh);
		}
	}
	free(tile);
	return NULL;
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

/* Packs the listener's history and runs the product on nthreads threads. */
static void
run_job(struct job *jb, const struct user *u, int nthreads)
{
	double wmax = 0;
	size_t k, npair;
	pthread_t tid[MAX_THREADS];
	int i;

	jb->nh = u->nent;
	for (uint32_t e = 0; e < u->nent; e++) {
		const struct hent *he = &hents[u->ent + e];

		jb->hrow[e] = he->row;
		memcpy(jb->Hp + (size_t)e * dim, X + (size_t)he->row * dim, (size_t)dim * sizeof *jb->Hp);
		if (he->w > wmax)
			wmax = he->w;
	}
	for (uint32_t e = 0; e < u->nent; e++)
		jb->w[e] = wmax > 0 ? (float)(hents[u->ent + e].w / wmax) : 0;
	npair = (size_t)ncand * (size_t)jb->K;
	for (k = 0; k < npair; k++) {
		jb->ks[k] = -INFINITY;
		jb->ki[k] = NONE;
	}
	if (jb->acc != NULL)
		for (k = 0; k < ncand; k++)
			jb->acc[k] = -INFINITY;
	if (jb->K == 0 && jb->acc == NULL)
		return;		/* centroid without explanations: no product needed */
	atomic_store(&jb->next, 0);
	if (nthreads > (int)jb->ncblk)
		nthreads = (int)jb->ncblk;
	if (nthreads <= 1) {
		product(jb);
		return;
	}
	for (i = 0; i < nthreads; i++)
		if (pthread_create(&tid[i], NULL, product, jb) != 0)
			sp_die(SP_EXIT_DATA, "cannot start a thread: %s", strerror(errno));
	for (i = 0; i < nthreads; i++)
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

/* Everything one thread needs to score and rank listeners. */
struct worker {
	struct job jb;
	struct item *items;
	uint32_t *hstamp, *seen;	/* per id: the listener last marked, + 1 */
	uint32_t *astamp, *acount;	/* per artist: the same, and its count */
	double *mvec;			/* the centroid */
};

static void
worker_init(struct worker *wk, uint32_t maxh)
{
	memset(wk, 0, sizeof *wk);
	wk->jb.K = needed_k();
	wk->jb.hrow = sp_xreallocarray(NULL, maxh + 1, sizeof *wk->jb.hrow);
	wk->jb.Hp = sp_xreallocarray(NULL, (size_t)maxh * dim + 1, sizeof *wk->jb.Hp);
	wk->jb.w = sp_xreallocarray(NULL, maxh + 1, sizeof *wk->jb.w);
	wk->jb.ks = sp_xreallocarray(NULL, (size_t)ncand * wk->jb.K + 1, sizeof *wk->jb.ks);
	wk->jb.ki = sp_xreallocarray(NULL, (size_t)ncand * wk->jb.K + 1, sizeof *wk->jb.ki);
	if (o.score == SCORE_WEIGHTED)
		wk->jb.acc = sp_xreallocarray(NULL, ncand + 1, sizeof *wk->jb.acc);
	/*
	 * Candidate blocks depend only on the number of candidates, never on
	 * the number of threads, so every similarity comes from the same sgemm
	 * call shape whatever --threads says: the output is identical.
	 */
	wk->jb.bc = (ncand + 7) / 8;
	wk->jb.bc = (wk->jb.bc + 15) / 16 * 16;
	if (wk->jb.bc < 32)
		wk->jb.bc = 32;
	if (wk->jb.bc > BC_MAX)
		wk->jb.bc = BC_MAX;
	wk->jb.ncblk = (ncand + wk->jb.bc - 1) / wk->jb.bc;
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
	free(wk->jb.hrow);
	free(wk->jb.Hp);
	free(wk->jb.w);
	free(wk->jb.ks);
	free(wk->jb.ki);
	free(wk->jb.acc);
	free(wk->items);
	free(wk->hstamp);
	free(wk->seen);
	free(wk->astamp);
	free(wk->acount);
	free(wk->mvec);
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
			put_id(fp, rows[jb->hrow[jb->ki[base + i]]].id);
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
 * Many listeners: each thread scores whole listeners, one sgemm thread
 * each, into per-listener buffers that are written in listener order.
 */
struct pool {
	struct worker *wk;
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
		run_job(&wk->jb, &users[ui], 1);
		rank_user(wk, ui, fp);
		if (fclose(fp) != 0)
			sp_die(SP_EXIT_DATA, "out of memory for the output");
	}
	return NULL;
}

static void
recommend_pool(int nt, uint32_t maxh)
{
	struct worker wks[MAX_THREADS];
	void *args[MAX_THREADS][2];
	pthread_t tid[MAX_THREADS];
	struct pool p;
	uint32_t chunk = 64 * (uint32_t)nt, u, k;
	int i;

	if ((uint32_t)nt > nusers)
		nt = (int)nusers;
	memset(&p, 0, sizeof p);
	p.out = sp_xcalloc(chunk, sizeof *p.out);
	p.outlen = sp_xcalloc(chunk, sizeof *p.outlen);
	for (i = 0; i < nt; i++) {
		worker_init(&wks[i], maxh);
		args[i][0] = &p;
		args[i][1] = &wks[i];
	}
	for (u = 0; u < nusers && !ferror(stdout); u += p.nu) {
		p.u0 = u;
		p.nu = nusers - u < chunk ? nusers - u : chunk;
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
	for (i = 0; i < nt; i++)
		worker_free(&wks[i]);
	free(p.out);
	free(p.outlen);
}

static void
recommend(void)
{
	uint32_t maxh = 0, u;
	int nt = o.threads;

	for (u = 0; u < nusers; u++)
		if (users[u].nent > maxh)
			maxh = users[u].nent;
	if (nusers < 2 || nt < 2) {
		struct worker wk;

		/* One listener (or one thread): the candidate blocks are shared out. */
		worker_init(&wk, maxh);
		for (u = 0; u < nusers; u++) {
			if (users[u].nent == 0)
				continue;
			run_job(&wk.jb, &users[u], nt);
			rank_user(&wk, u, stdout);
			if (ferror(stdout))
				break;	/* sp_close_stdout reports it */
		}
		worker_free(&wk);
		return;
	}
	recommend_pool(nt, maxh);
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
		sp_warn("%s: %llu rows x %d; %u candidates released %s .. %s; %zu history entries, %u listener%s; read in %.3f s",
		    in_name, (unsigned long long)nrows, dim, ncand, d1, d2, nhents, nusers,
		    nusers == 1 ? "" : "s", seconds() - t0);
	}
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
				sp_warn("user '%s': none of its %u history tracks is in %s; no recommendations",
				    users[u].name, users[u].given, in_name);
		t1 = seconds();
		recommend();
		if (o.verbose)
			sp_warn("scored and ranked in %.3f s with %d thread%s", seconds() - t1,
			    o.threads, o.threads == 1 ? "" : "s");
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
