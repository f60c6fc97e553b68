/* sp-eval: scores ranked recommendation lists against held-out truth. */
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "mat.h"
#include "ndjson.h"
#include "opt.h"
#include "strtab.h"

static void __attribute__((noreturn))
usage(FILE *fp, int status)
{
	fputs("usage: sp-eval -t TRUTH [-k K] [--catalogue N | --candidates FILE]\n"
	    "               [--embedding MATRIX] [--artist-field F] [--id F]\n"
	    "               [--history FILE --labels FILE] [--json] [--name NAME]\n"
	    "               [FILE]\n"
	    "Scores recommendation NDJSON (FILE or stdin) against the truth: HR,\n"
	    "recall, NDCG and precision at K, coverage, diversity and artist\n"
	    "concentration (see sp-eval(1)).\n"
	    "  -t, --truth TRUTH       the relevant items, NDJSON (required)\n"
	    "  -k K                    the list length scored (default 25)\n"
	    "      --catalogue N       the catalogue size, for coverage\n"
	    "      --candidates FILE   NDJSON candidates: their distinct ids are the\n"
	    "                          catalogue size\n"
	    "      --embedding MATRIX  item rows for diversity and the artist figures\n"
	    "      --artist-field F    the label holding an item's artists\n"
	    "                          (default artist_ids)\n"
	    "      --history FILE      each user's history (NDJSON user, track_id):\n"
	    "                          NDCG split into exploit and discovery\n"
	    "      --labels FILE       item labels giving the artists of history items\n"
	    "      --id F              the item id field (default track_id)\n"
	    "      --json              one JSON object instead of the table\n"
	    "      --name NAME         a name for the result\n"
	    "  -h, --help              this help\n"
	    "      --version           the version\n",
	    fp);
	exit(status);
}

/* The index of s; -1 when it is absent and add is 0.  s is copied. */
static long
strtab_find(struct sp_strtab *t, const char *s, int add)
{
	uint32_t i;

	if (add)
		return (long)sp_strtab_add(t, s, strlen(s), NULL);
	i = sp_strtab_find(t, s, strlen(s));
	return i == SP_STRTAB_NONE ? -1 : (long)i;
}

/* A set of 64-bit keys (user << 32 | item); key 0 is never used (+1). */
struct keyset {
	uint64_t *key;
	size_t n, nslot;
};

/* Adds k; returns 1 if it was new. */
static int
keyset_add(struct keyset *s, uint64_t k)
{
	size_t i, j;

	k++;
	if (s->nslot == 0 || (s->n + 1) * 2 > s->nslot) {
		size_t nslot = s->nslot ? s->nslot * 2 : 1024;
		uint64_t *key = sp_xcalloc(nslot, sizeof *key);

		for (i = 0; i < s->nslot; i++) {
			if (s->key[i] == 0)
				continue;
			j = sp_str_hash(&s->key[i], sizeof s->key[i]) & (nslot - 1);
			while (key[j] != 0)
				j = (j + 1) & (nslot - 1);
			key[j] = s->key[i];
		}
		free(s->key);
		s->key = key;
		s->nslot = nslot;
	}
	j = sp_str_hash(&k, sizeof k) & (s->nslot - 1);
	while (s->key[j] != 0) {
		if (s->key[j] == k)
			return 0;
		j = (j + 1) & (s->nslot - 1);
	}
	s->key[j] = k;
	s->n++;
	return 1;
}

static int
keyset_has(const struct keyset *s, uint64_t k)
{
	size_t j;

	if (s->nslot == 0)
		return 0;
	k++;
	j = sp_str_hash(&k, sizeof k) & (s->nslot - 1);
	while (s->key[j] != 0) {
		if (s->key[j] == k)
			return 1;
		j = (j + 1) & (s->nslot - 1);
	}
	return 0;
}

/* One recommendation line. */
struct rec {
	uint32_t user, item;
	double rank;		/* HUGE_VAL when the line has none */
	size_t seq;		/* line order, to keep file order among ties */
};

static struct {
	const char *id;		/* the item id field */
	const char *artist;	/* the artist label field */
	long k;
	int json;
	const char *name;
} opt = { "track_id", "artist_ids", 25, 0, NULL };

static struct sp_strtab users, items, artists;

/*
 * The exploit/discovery split (--history, --labels): the truth pairs, in
 * read order; a truth pair is "exploit" when one of its item's artists
 * is the artist of a track in the user's history, else "discovery".
 */
static uint32_t *tp_user, *tp_item;
static size_t ntp, ntp_cap;
static uint32_t *lab_off;	/* item i's artists: lab_art[lab_off[i] .. lab_off[i + 1]) */
static uint32_t *lab_art;
static size_t nlab_items;

static void
open_or_die(struct sp_lines *r, const char *path)
{
	if (sp_lines_open(r, path) != 0)
		exit(SP_EXIT_DATA);
}

/* Reads the truth: one relevant (user, item) pair per line. */
static void
read_truth(const char *path, struct keyset *truth, size_t **ntruth)
{
	struct sp_lines r;
	jv o;
	const char *u;
	long ui, ii;
	size_t cap = 0;

	open_or_die(&r, path);
	while (sp_ndjson_next(&r, &o, 1)) {
		u = sp_jv_str_field(o, "user", 1, &r, NULL);
		ui = strtab_find(&users, u ? u : "", 1);
		ii = strtab_find(&items, sp_jv_str_field(o, opt.id, 0, &r, NULL), 1);
		if (users.n > cap) {
			size_t old = cap;

			cap = (size_t)users.n * 2;
			*ntruth = sp_xreallocarray(*ntruth, cap, sizeof **ntruth);
			memset(*ntruth + old, 0, (cap - old) * sizeof **ntruth);
		}
		if (keyset_add(truth, (uint64_t)ui << 32 | (uint64_t)ii)) {
			(*ntruth)[ui]++;
			if (ntp == ntp_cap) {
				ntp_cap = ntp_cap ? ntp_cap * 2 : 4096;
				tp_user = sp_xreallocarray(tp_user, ntp_cap, sizeof *tp_user);
				tp_item = sp_xreallocarray(tp_item, ntp_cap, sizeof *tp_item);
			}
			tp_user[ntp] = (uint32_t)ui;
			tp_item[ntp++] = (uint32_t)ii;
		}
		jv_free(o);
	}
	sp_lines_close(&r);
}

static struct rec *
read_recs(const char *path, size_t *nrec)
{
	struct sp_lines r;
	struct rec *rec = NULL;
	size_t n = 0, cap = 0;
	jv o, v;
	const char *u;

	open_or_die(&r, path);
	while (sp_ndjson_next(&r, &o, 1)) {
		if (n == cap) {
			cap = cap ? cap * 2 : 4096;
			rec = sp_xreallocarray(rec, cap, sizeof *rec);
		}
		u = sp_jv_str_field(o, "user", 1, &r, NULL);
		rec[n].user = (uint32_t)strtab_find(&users, u ? u : "", 1);
		rec[n].item = (uint32_t)strtab_find(&items, sp_jv_str_field(o, opt.id, 0, &r, NULL), 1);
		rec[n].rank = HUGE_VAL;
		rec[n].seq = n;
		v = jv_object_get(jv_copy(o), jv_string("rank"));
		if (jv_get_kind(v) == JV_KIND_NUMBER)
			rec[n].rank = jv_number_value(v);
		else if (jv_is_valid(v) && jv_get_kind(v) != JV_KIND_NULL)
			sp_die_at(SP_EXIT_DATA, r.name, r.lineno,
			    "field 'rank': expected a number, got %s",
			    sp_jv_kind_name(jv_get_kind(v)));
		jv_free(v);
		jv_free(o);
		n++;
	}
	sp_lines_close(&r);
	*nrec = n;
	return rec;
}

static int
rec_cmp(const void *a, const void *b)
{
	const struct rec *x = a, *y = b;

	if (x->user != y->user)
		return x->user < y->user ? -1 : 1;
	if (x->rank != y->rank)
		return x->rank < y->rank ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Counts the distinct ids in a candidates file. */
static size_t
count_candidates(const char *path)
{
	struct sp_lines r;
	struct sp_strtab seen = { 0 };
	size_t n;
	jv o;

	open_or_die(&r, path);
	while (sp_ndjson_next(&r, &o, 1)) {
		strtab_find(&seen, sp_jv_str_field(o, opt.id, 0, &r, NULL), 1);
		jv_free(o);
	}
	sp_lines_close(&r);
	n = seen.n;
	sp_strtab_free(&seen);
	return n;
}

/*
 * The item features from an embedding: row_of[item] is the matrix row of
 * each recommended item (-1 if absent), art_of[item] its first artist
 * (-1 if none).  Only items already interned are looked up.
 */
static struct sp_mat emb;
static long *row_of, *art_of;
static double *rownorm;

static double
row_dot(uint64_t a, uint64_t b)
{
	double s = 0;
	uint64_t j, p, q;

	if (emb.layout == SP_MAT_DENSE) {
		for (j = 0; j < emb.cols; j++)
			s += sp_mat_value(&emb, a * emb.cols + j) *
			    sp_mat_value(&emb, b * emb.cols + j);
		return s;
	}
	p = emb.indptr[a];
	q = emb.indptr[b];
	while (p < emb.indptr[a + 1] && q < emb.indptr[b + 1]) {
		if (emb.indices[p] < emb.indices[q])
			p++;
		else if (emb.indices[p] > emb.indices[q])
			q++;
		else
			s += sp_mat_value(&emb, p++) * sp_mat_value(&emb, q++);
	}
	return s;
}

static void
load_embedding(const char *path)
{
	uint64_t i;
	size_t len;
	const char *lab;
	long it;
	jv o, v, a;

	if (sp_mat_load(path, &emb) != 0)
		exit(SP_EXIT_DATA);
	if (emb.labels == NULL)
		sp_die(SP_EXIT_DATA, "%s: the matrix has no row labels", path);
	row_of = sp_xmalloc((items.n + 1) * sizeof *row_of);
	art_of = sp_xmalloc((items.n + 1) * sizeof *art_of);
	for (i = 0; i < items.n; i++)
		row_of[i] = art_of[i] = -1;
	rownorm = sp_xcalloc(emb.rows + 1, sizeof *rownorm);
	for (i = 0; i < emb.rows; i++) {
		lab = sp_mat_label(&emb, i, &len);
		o = sp_jv_parse(lab, len);
		if (jv_get_kind(o) != JV_KIND_OBJECT)
			sp_die(SP_EXIT_DATA, "%s: row %llu: label is not a JSON object",
			    path, (unsigned long long)i);
		v = sp_jv_get(o, opt.id);
		if (jv_get_kind(v) == JV_KIND_STRING &&
		    (it = strtab_find(&items, jv_string_value(v), 0)) >= 0 &&
		    row_of[it] < 0) {
			row_of[it] = (long)i;
			rownorm[i] = sqrt(row_dot(i, i));
			a = sp_jv_get(o, opt.artist);
			if (jv_get_kind(a) == JV_KIND_ARRAY && jv_array_length(jv_copy(a)) > 0)
				a = jv_array_get(a, 0);
			if (jv_get_kind(a) == JV_KIND_STRING)
				art_of[it] = strtab_find(&artists, jv_string_value(a), 1);
			jv_free(a);
		}
		jv_free(v);
		jv_free(o);
	}
}

/* Mean pairwise cosine distance of a list's items that have a vector. */
static int
list_diversity(const uint32_t *list, size_t n, double *out)
{
	double s = 0, c;
	size_t a, b, pairs = 0;
	long ra, rb;

	for (a = 0; a < n; a++) {
		if ((ra = row_of[list[a]]) < 0)
			continue;
		for (b = a + 1; b < n; b++) {
			if ((rb = row_of[list[b]]) < 0)
				continue;
			if (rownorm[ra] > 0 && rownorm[rb] > 0)
				c = row_dot((uint64_t)ra, (uint64_t)rb) / (rownorm[ra] * rownorm[rb]);
			else
				c = 0;
			s += 1 - c;
			pairs++;
		}
	}
	if (pairs == 0)
		return 0;
	*out = s / (double)pairs;
	return 1;
}

/*
 * The share of the list held by its most frequent artist, and the
 * Herfindahl index (the sum of squared artist shares).  Items without an
 * artist count as artists of their own.
 */
static void
list_concentration(const uint32_t *list, size_t n, double *top, double *hhi)
{
	size_t a, b, cnt, best = 0;
	double h = 0;

	for (a = 0; a < n; a++) {
		long ar = art_of[list[a]];

		if (ar >= 0) {
			for (b = 0; b < a; b++)
				if (art_of[list[b]] == ar)
					break;
			if (b < a)
				continue;	/* counted at its first occurrence */
		}
		cnt = 1;
		for (b = a + 1; ar >= 0 && b < n; b++)
			cnt += art_of[list[b]] == ar;
		if (cnt > best)
			best = cnt;
		h += ((double)cnt / (double)n) * ((double)cnt / (double)n);
	}
	*top = (double)best / (double)n;
	*hhi = h;
}

/* A (item, artist) pair of the labels. */
struct ipair {
	uint32_t item, artist;
};

static int
ipair_cmp(const void *a, const void *b)
{
	const struct ipair *x = a, *y = b;

	if (x->item != y->item)
		return x->item < y->item ? -1 : 1;
	return x->artist < y->artist ? -1 : x->artist > y->artist;
}

/*
 * Reads the item labels (--labels: NDJSON with the id and the artists, a
 * string or an array of strings) into lab_off and lab_art.
 */
static void
read_labels(const char *path)
{
	struct sp_lines r;
	struct ipair *p = NULL;
	size_t n = 0, cap = 0, k, na;
	uint32_t it;
	jv o, a, e;

	open_or_die(&r, path);
	while (sp_ndjson_next(&r, &o, 1)) {
		it = (uint32_t)strtab_find(&items, sp_jv_str_field(o, opt.id, 0, &r, NULL), 1);
		a = sp_jv_get(o, opt.artist);
		if (jv_get_kind(a) == JV_KIND_STRING) {
			a = JV_ARRAY(a);
		} else if (jv_get_kind(a) == JV_KIND_NULL) {
			jv_free(a);
			a = jv_array();
		} else if (jv_get_kind(a) != JV_KIND_ARRAY) {
			sp_die_at(SP_EXIT_DATA, r.name, r.lineno,
			    "field '%s': expected a string or an array of strings", opt.artist);
		}
		na = (size_t)jv_array_length(jv_copy(a));
		for (k = 0; k < na; k++) {
			e = jv_array_get(jv_copy(a), (int)k);
			if (jv_get_kind(e) != JV_KIND_STRING)
				sp_die_at(SP_EXIT_DATA, r.name, r.lineno,
				    "field '%s': expected a string or an array of strings", opt.artist);
			if (n == cap) {
				cap = cap ? cap * 2 : 4096;
				p = sp_xreallocarray(p, cap, sizeof *p);
			}
			p[n++] = (struct ipair){ it,
			    (uint32_t)strtab_find(&artists, jv_string_value(e), 1) };
			jv_free(e);
		}
		jv_free(a);
		jv_free(o);
	}
	sp_lines_close(&r);
	qsort(p, n, sizeof *p, ipair_cmp);
	nlab_items = items.n;
	lab_off = sp_xcalloc(nlab_items + 1, sizeof *lab_off);
	lab_art = sp_xmalloc((n + 1) * sizeof *lab_art);
	for (k = 0; k < n; k++) {
		lab_art[k] = p[k].artist;
		lab_off[p[k].item + 1]++;
	}
	for (k = 0; k < nlab_items; k++)
		lab_off[k + 1] += lab_off[k];
	free(p);
}

/*
 * Reads the histories (--history: NDJSON "user", the item id) and marks
 * in exploit the truth pairs whose item shares an artist with the user's
 * history; nexp[u] and ndis[u] count each user's two kinds of truth.
 */
static void
split_truth(const char *path, struct keyset *exploit, size_t ntu, size_t *nexp, size_t *ndis)
{
	struct sp_lines r;
	struct keyset known = { 0 };	/* (user, artist) pairs of the histories */
	const char *u, *id;
	uint32_t it, ui, k, a;
	size_t i;
	jv o;

	open_or_die(&r, path);
	while (sp_ndjson_next(&r, &o, 1)) {
		u = sp_jv_str_field(o, "user", 1, &r, NULL);
		id = sp_jv_str_field(o, opt.id, 0, &r, NULL);
		ui = sp_strtab_find(&users, u ? u : "", strlen(u ? u : ""));
		it = sp_strtab_find(&items, id, strlen(id));
		/* Only the users with truth, and items with labels, matter. */
		if (ui != SP_STRTAB_NONE && ui < ntu && it != SP_STRTAB_NONE && it < nlab_items)
			for (k = lab_off[it]; k < lab_off[it + 1]; k++)
				keyset_add(&known, (uint64_t)ui << 32 | lab_art[k]);
		jv_free(o);
	}
	sp_lines_close(&r);
	for (i = 0; i < ntp; i++) {
		ui = tp_user[i];
		it = tp_item[i];
		a = 0;
		if (it < nlab_items)
			for (k = lab_off[it]; k < lab_off[it + 1] && !a; k++)
				a = (uint32_t)keyset_has(&known, (uint64_t)ui << 32 | lab_art[k]);
		if (a) {
			keyset_add(exploit, (uint64_t)ui << 32 | it);
			nexp[ui]++;
		} else {
			ndis[ui]++;
		}
	}
	free(known.key);
}

struct result {
	size_t users, with_recs, distinct;
	double hr, recall, ndcg, precision;
	double coverage;		/* < 0: not computed */
	double diversity;		/* < 0: not computed */
	double top_share, hhi;		/* < 0: not computed */
	int split;			/* the exploit/discovery split is computed */
	size_t users_exploit, users_discovery;
	double ndcg_exploit, ndcg_discovery;
};

static void
put_num(const char *key, double v, int first)
{
	printf(first ? "\"%s\":" : ",\"%s\":", key);
	if (v < 0 || isnan(v))
		fputs("null", stdout);
	else
		printf("%.6g", v);
}

static void
put_row(const char *key, double v)
{
	if (v < 0 || isnan(v))
		printf("%-18s -\n", key);
	else
		printf("%-18s %.4f\n", key, v);
}

static void
print_result(const struct result *res)
{
	char key[64];

	if (opt.json) {
		putchar('{');
		if (opt.name != NULL) {
			fputs("\"name\":", stdout);
			sp_json_str(stdout, opt.name, strlen(opt.name));
			putchar(',');
		}
		printf("\"k\":%ld,\"users\":%zu,\"users_with_recs\":%zu,"
		    "\"distinct_items\":%zu", opt.k, res->users, res->with_recs,
		    res->distinct);
		put_num("hr", res->hr, 0);
		put_num("recall", res->recall, 0);
		put_num("ndcg", res->ndcg, 0);
		put_num("precision", res->precision, 0);
		put_num("coverage", res->coverage, 0);
		put_num("diversity", res->diversity, 0);
		put_num("artist_top_share", res->top_share, 0);
		put_num("artist_hhi", res->hhi, 0);
		if (res->split) {
			printf(",\"users_exploit\":%zu,\"users_discovery\":%zu",
			    res->users_exploit, res->users_discovery);
			put_num("ndcg_exploit", res->users_exploit > 0 ? res->ndcg_exploit : -1, 0);
			put_num("ndcg_discovery", res->users_discovery > 0 ? res->ndcg_discovery : -1, 0);
		}
		puts("}");
		return;
	}
	if (opt.name != NULL)
		printf("%-18s %s\n", "name", opt.name);
	printf("%-18s %ld\n", "k", opt.k);
	printf("%-18s %zu\n", "users", res->users);
	printf("%-18s %zu\n", "users_with_recs", res->with_recs);
	printf("%-18s %zu\n", "distinct_items", res->distinct);
	snprintf(key, sizeof key, "hr@%ld", opt.k);
	put_row(key, res->hr);
	snprintf(key, sizeof key, "recall@%ld", opt.k);
	put_row(key, res->recall);
	snprintf(key, sizeof key, "ndcg@%ld", opt.k);
	put_row(key, res->ndcg);
	snprintf(key, sizeof key, "precision@%ld", opt.k);
	put_row(key, res->precision);
	put_row("coverage", res->coverage);
	put_row("diversity", res->diversity);
	put_row("artist_top_share", res->top_share);
	put_row("artist_hhi", res->hhi);
	if (res->split) {
		printf("%-18s %zu\n", "users_exploit", res->users_exploit);
		printf("%-18s %zu\n", "users_discovery", res->users_discovery);
		snprintf(key, sizeof key, "ndcg@%ld_exploit", opt.k);
		put_row(key, res->users_exploit > 0 ? res->ndcg_exploit : -1);
		snprintf(key, sizeof key, "ndcg@%ld_discovery", opt.k);
		put_row(key, res->users_discovery > 0 ? res->ndcg_discovery : -1);
	}
}

/* What a list is scored against: the truth, and its exploit/discovery split. */
struct scoring {
	const struct keyset *truth, *exploit;
	const size_t *ntruth, *nexp, *ndis;	/* per user */
};

/*
 * Adds the scores of user u's list (n distinct items) to res: hit, recall,
 * precision, NDCG (and its exploit and discovery parts); marks the items
 * in seen_item, counting the new ones.
 */
static void
score_list(struct result *res, const struct scoring *S, uint32_t u, const uint32_t *list,
    size_t n, unsigned char *seen_item)
{
	double dcg, idcg, hits, dcg_e, dcg_d, idcg_e, idcg_d;
	size_t m;

	hits = dcg = idcg = dcg_e = dcg_d = idcg_e = idcg_d = 0;
	for (m = 0; m < n; m++) {
		if (!seen_item[list[m]]) {
			seen_item[list[m]] = 1;
			res->distinct++;
		}
		if (keyset_has(S->truth, (uint64_t)u << 32 | list[m])) {
			hits++;
			dcg += 1 / log2((double)m + 2);
			if (res->split && keyset_has(S->exploit, (uint64_t)u << 32 | list[m]))
				dcg_e += 1 / log2((double)m + 2);
			else if (res->split)
				dcg_d += 1 / log2((double)m + 2);
		}
	}
	for (m = 0; m < S->ntruth[u] && m < (size_t)opt.k; m++)
		idcg += 1 / log2((double)m + 2);
	res->with_recs++;
	res->hr += hits > 0;
	res->recall += hits / (double)S->ntruth[u];
	res->ndcg += dcg / idcg;
	if (res->split) {
		for (m = 0; m < S->nexp[u] && m < (size_t)opt.k; m++)
			idcg_e += 1 / log2((double)m + 2);
		for (m = 0; m < S->ndis[u] && m < (size_t)opt.k; m++)
			idcg_d += 1 / log2((double)m + 2);
		if (idcg_e > 0)
			res->ndcg_exploit += dcg_e / idcg_e;
		if (idcg_d > 0)
			res->ndcg_discovery += dcg_d / idcg_d;
	}
	res->precision += hits / (double)opt.k;
}

/* The means over users (and lists) of what score_list added up. */
static void
finish_result(struct result *res, long catalogue, size_t ndiv, size_t nconc)
{
	if (res->users > 0) {
		res->hr /= (double)res->users;
		res->recall /= (double)res->users;
		res->ndcg /= (double)res->users;
		res->precision /= (double)res->users;
	}
	if (res->users_exploit > 0)
		res->ndcg_exploit /= (double)res->users_exploit;
	if (res->users_discovery > 0)
		res->ndcg_discovery /= (double)res->users_discovery;
	res->coverage = catalogue > 0 ? (double)res->distinct / (double)catalogue : -1;
	res->diversity = ndiv > 0 ? res->diversity / (double)ndiv : -1;
	res->top_share = nconc > 0 ? res->top_share / (double)nconc : -1;
	res->hhi = nconc > 0 ? res->hhi / (double)nconc : -1;
}

/*
 * sp-eval reads recommendation NDJSON (FILE or stdin; one line per
 * recommendation: "user", "rank", the item id) and truth NDJSON (-t: one
 * relevant "user"/item pair per line), and writes the mean HR, recall,
 * NDCG and precision at K over the users that have truth, with catalogue
 * coverage, intra-list diversity and artist concentration, as a table or
 * one JSON object (--json).  Exit status: 0 ok, 1 bad data or I/O, 2 usage.
 */
int
main(int argc, char **argv)
{
	enum { OPT_CAT = 256, OPT_CAND, OPT_EMB, OPT_ART, OPT_ID, OPT_JSON,
	    OPT_NAME, OPT_VERSION, OPT_HIST, OPT_LAB };
	static const struct option longopts[] = {
		{ "artist-field", required_argument, NULL, OPT_ART },
		{ "candidates", required_argument, NULL, OPT_CAND },
		{ "catalogue", required_argument, NULL, OPT_CAT },
		{ "embedding", required_argument, NULL, OPT_EMB },
		{ "help", no_argument, NULL, 'h' },
		{ "history", required_argument, NULL, OPT_HIST },
		{ "id", required_argument, NULL, OPT_ID },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "labels", required_argument, NULL, OPT_LAB },
		{ "name", required_argument, NULL, OPT_NAME },
		{ "truth", required_argument, NULL, 't' },
		{ "version", no_argument, NULL, OPT_VERSION },
		{ NULL, 0, NULL, 0 },
	};
	const char *truth_path = NULL, *cand_path = NULL, *emb_path = NULL;
	const char *hist_path = NULL, *lab_path = NULL;
	struct keyset exploit = { 0 };
	size_t *nexp = NULL, *ndis = NULL;
	struct scoring sc;
	long catalogue = 0;
	struct keyset truth = { 0 };
	size_t *ntruth = NULL, nrec, i, j, m, n, ntu, ndiv = 0, nconc = 0;
	struct rec *rec;
	uint32_t *list;
	unsigned char *seen_item, *in_list;
	struct result res = { 0 };
	double d = 0, top, hhi;
	int c;

	sp_init(argv[0]);
	while ((c = getopt_long(argc, argv, "hk:t:", longopts, NULL)) != -1) {
		switch (c) {
		case 'h': usage(stdout, 0); break;
		case 'k': opt.k = sp_opt_long("-k", optarg, 1, 1000000, usage); break;
		case 't': truth_path = optarg; break;
		case OPT_ART: opt.artist = optarg; break;
		case OPT_CAND: cand_path = optarg; break;
		case OPT_CAT: catalogue = sp_opt_long("--catalogue", optarg, 1, LONG_MAX, usage); break;
		case OPT_EMB: emb_path = optarg; break;
		case OPT_HIST: hist_path = optarg; break;
		case OPT_LAB: lab_path = optarg; break;
		case OPT_ID: opt.id = optarg; break;
		case OPT_JSON: opt.json = 1; break;
		case OPT_NAME: opt.name = optarg; break;
		case OPT_VERSION: sp_version();
		default: usage(stderr, SP_EXIT_USAGE);
		}
	}
	if (truth_path == NULL) {
		sp_warn("-t TRUTH is required");
		usage(stderr, SP_EXIT_USAGE);
	}
	if (cand_path != NULL && catalogue > 0) {
		sp_warn("--catalogue and --candidates exclude each other");
		usage(stderr, SP_EXIT_USAGE);
	}
	if ((hist_path == NULL) != (lab_path == NULL)) {
		sp_warn("--history and --labels go together");
		usage(stderr, SP_EXIT_USAGE);
	}
	if (argc - optind > 1)
		usage(stderr, SP_EXIT_USAGE);

	read_truth(truth_path, &truth, &ntruth);
	ntu = users.n;
	rec = read_recs(optind < argc ? argv[optind] : "-", &nrec);
	if (cand_path != NULL)
		catalogue = (long)count_candidates(cand_path);
	if (emb_path != NULL)
		load_embedding(emb_path);
	if (hist_path != NULL) {
		read_labels(lab_path);
		nexp = sp_xcalloc(ntu + 1, sizeof *nexp);
		ndis = sp_xcalloc(ntu + 1, sizeof *ndis);
		split_truth(hist_path, &exploit, ntu, nexp, ndis);
		res.split = 1;
		for (i = 0; i < ntu; i++) {
			res.users_exploit += nexp[i] > 0;
			res.users_discovery += ndis[i] > 0;
		}
	}
	qsort(rec, nrec, sizeof *rec, rec_cmp);
	sc = (struct scoring){ &truth, &exploit, ntruth, nexp, ndis };

	list = sp_xmalloc((size_t)opt.k * sizeof *list);
	seen_item = sp_xcalloc(items.n + 1, 1);	/* in some evaluated list */
	in_list = sp_xcalloc(items.n + 1, 1);	/* in the current list */
	for (i = 0; i < ntu; i++)
		res.users += ntruth[i] > 0;
	for (i = 0; i < nrec; i = j) {
		uint32_t u = rec[i].user;

		for (j = i; j < nrec && rec[j].user == u; j++)
			;
		/* Lists of users without truth are not scored. */
		if (u >= ntu || ntruth[u] == 0)
			continue;
		n = 0;
		for (m = i; m < j && n < (size_t)opt.k; m++) {
			if (in_list[rec[m].item])
				continue;	/* a repeated item counts once */
			in_list[rec[m].item] = 1;
			list[n++] = rec[m].item;
		}
		for (m = 0; m < n; m++)
			in_list[list[m]] = 0;
		score_list(&res, &sc, u, list, n, seen_item);
		if (emb_path != NULL && n > 0) {
			if (list_diversity(list, n, &d)) {
				res.diversity += d;
				ndiv++;
			}
			list_concentration(list, n, &top, &hhi);
			res.top_share += top;
			res.hhi += hhi;
			nconc++;
		}
	}
	finish_result(&res, catalogue, ndiv, nconc);
	print_result(&res);

	free(list);
	free(seen_item);
	free(in_list);
	free(rec);
	free(ntruth);
	free(truth.key);
	free(row_of);
	free(art_of);
	free(rownorm);
	free(tp_user);
	free(tp_item);
	free(lab_off);
	free(lab_art);
	free(nexp);
	free(ndis);
	free(exploit.key);
	sp_mat_free(&emb);
	sp_strtab_free(&users);
	sp_strtab_free(&items);
	sp_strtab_free(&artists);
	return 0;
}
