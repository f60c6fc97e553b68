/* sp-rerank: re-ranks recommendations by a blend of content, artist affinity and popularity. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "dates.h"
#include "diag.h"
#include "ndjson.h"
#include "opt.h"
#include "strtab.h"
#include "utf8.h"

static void __attribute__((noreturn))
usage(FILE *fp, int status)
{
	fputs("usage: sp-rerank -H HISTORY -l LABELS [-n N] [--content W] [--artist W]\n"
	    "                 [--popularity W] [--collab W] [--remix W] [--kind W]\n"
	    "                 [--words W] [--known W] [--tokens W] [--grams W]\n"
	    "                 [--blend W:FILE ...] [--hub W] [--hub-k K]\n"
	    "                 [--random SEED] [--unweighted]\n"
	    "                 [--id F] [--artist-field F]\n"
	    "                 [--popularity-field F] [--name-field F] [--album-field F]\n"
	    "                 [--artist-name-field F] [--date-field F] [FILE]\n"
	    "Rescores recommendation NDJSON (FILE or stdin) with the artist affinity\n"
	    "of each user's history, popularity and other rankings, and writes each\n"
	    "user's top N (see sp-rerank(1)).\n"
	    "  -H, --history FILE      the listening histories (required)\n"
	    "  -l, --labels FILE       the item labels (required)\n"
	    "  -n, --top N             lines kept per user (default 25)\n"
	    "      --content W         the weight of the input score (default 1)\n"
	    "      --artist W          the weight of the artist affinity (default 0)\n"
	    "      --popularity W      the weight of the popularity (default 0)\n"
	    "      --collab W          the weight of the collaborators' affinity (default 0)\n"
	    "      --remix W           the weight of a new version of a track played\n"
	    "                          (default 0)\n"
	    "      --kind W            the weight of the history's share of the\n"
	    "                          candidate's kind (default 0)\n"
	    "      --words W           the weight of the listener's title words (default 0)\n"
	    "      --known W           the weight of a candidate by an artist played\n"
	    "                          (default 0)\n"
	    "      --tokens W          the weight of the log-odds of the candidate's\n"
	    "                          catalogue tokens in the history against the\n"
	    "                          user's candidates (default 0)\n"
	    "      --grams W           the weight of the likeness of the candidate's\n"
	    "                          names' character 3- and 4-grams to the\n"
	    "                          history's, less that of the --hub-k users\n"
	    "                          they are most like (default 0)\n"
	    "      --blend W:FILE      add W times another file's scores (up to 16)\n"
	    "      --hub W             subtract W times the mean of the candidate's K\n"
	    "                          highest scores over all users (default 0)\n"
	    "      --hub-k K           the K of --hub and --grams (default 10)\n"
	    "      --random SEED       add a seeded random number in [0, 1)\n"
	    "      --unweighted        ignore the history weights\n"
	    "      --id F              the item id field (default track_id)\n"
	    "      --artist-field F    the artist label (default artist_ids)\n"
	    "      --popularity-field F  the popularity label (default popularity)\n"
	    "      --name-field F      the track name label (default track_name)\n"
	    "      --album-field F     the album name label (default album_name)\n"
	    "      --artist-name-field F  the artist names label (default artist_names)\n"
	    "      --date-field F      the release date label (default release_date)\n"
	    "  -h, --help              this help\n"
	    "      --version           the version\n",
	    fp);
	exit(status);
}

static struct {
	const char *id, *artist, *pop, *name, *album, *aname, *date;
	double wc, wa, wp, wr, wcollab, wversion, wkind, wwords, wknown, wtokens, whub, wgrams;
	uint64_t seed;
	long top, hubk;
	int unweighted;
} opt = { "track_id", "artist_ids", "popularity", "track_name", "album_name", "artist_names",
	"release_date", 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 25, 10, 0 };

/* What the labels say about an item: its artists and its popularity. */
struct item {
	uint32_t art, nart;	/* arts[art .. art + nart) */
	double pop;		/* scaled to [0, 1] by the largest; 0 if missing */
	uint64_t title;		/* the hash of its base title; 0 if none */
	int kind;		/* enum kind, from the name */
	uint32_t word, nword;	/* iwords[word .. word + nword): its name's words */
	uint32_t tok, ntok;	/* itoks[tok .. tok + ntok): its catalogue tokens */
	uint32_t gram, ngram;	/* igram[gram .. gram + ngram): its n-grams */
};

/* The distinct words of each item's name (see add_words). */
static struct sp_strtab words;
static uint32_t *iwords;
static size_t niwords, niwords_cap;

/*
 * The kind of a track, from the words after its base title: a remix (or
 * another mix), a live recording, an acoustic take, a remaster, an edit,
 * another version, or the plain track.
 */
enum kind { K_PLAIN, K_REMIX, K_LIVE, K_ACOUSTIC, K_REMASTER, K_EDIT, K_VERSION, NKIND };
static const struct {
	const char *word;
	enum kind kind;
} kind_words[] = {
	{ "remix", K_REMIX }, { "remixed", K_REMIX }, { "mix", K_REMIX },
	{ "rework", K_REMIX }, { "bootleg", K_REMIX }, { "vip", K_REMIX },
	{ "live", K_LIVE },
	{ "acoustic", K_ACOUSTIC }, { "unplugged", K_ACOUSTIC },
	{ "remaster", K_REMASTER }, { "remastered", K_REMASTER },
	{ "edit", K_EDIT },
	{ "version", K_VERSION }, { "instrumental", K_VERSION },
	{ "cover", K_VERSION }, { "demo", K_VERSION },
};

/* Per user: the history weight of each kind, kindw[u * NKIND + kind]. */
static double *kindw;

/*
 * Collaborations: (a, b) for each two artists credited together on an
 * item of the labels, both ways, sorted and distinct.
 */
struct edge {
	uint32_t a, b;
};
static struct edge *edges;
static size_t nedges, nedges_cap;

/*
 * Versions: a key per (user, base title, artist) of the history's tracks,
 * sorted, so that a candidate with the same base title and artist as a
 * track the user played is found.
 */
static uint64_t *vkeys;
static size_t nvkeys, nvkeys_cap;

static struct sp_strtab items, artists, users;
static struct sp_strtab cands;	/* the input's item ids, for --hub */
static struct item *item;
static size_t nitem_cap;
static uint32_t *arts;
static size_t narts, narts_cap;

/*
 * The blended scores: pair_score[i] is the weighted sum of the --blend
 * files' scores for the (user, item) pair interned as i in pairs (the
 * key is the user, a NUL byte and the item id).
 */
#define MAX_BLEND 16
static struct sp_strtab pairs;
static double *pair_score;
static uint32_t *pair_file;	/* the last file (1-based) that gave the pair */
static size_t pair_cap;
static struct sp_buf pkey;

static void
make_key(const char *u, size_t ulen, const char *id, size_t idlen)
{
	sp_buf_reset(&pkey);
	sp_buf_add(&pkey, u, ulen);
	sp_buf_addc(&pkey, '\0');
	sp_buf_add(&pkey, id, idlen);
}

/* The user of a line: its "user", or "" when it has none. */
static const char *
line_user(jv o, struct sp_lines *r, size_t *len)
{
	const char *s = sp_jv_str_field(o, "user", 1, r, len);

	return s != NULL ? s : "";
}

/* One input line to re-rank. */
struct line {
	uint32_t user, item;
	uint32_t cand;		/* its id in cands (with --hub or --grams only) */
	size_t seq;
	double score;		/* the blended score */
	jv obj;			/* the parsed line, owned */
};

/* Per user: history weight per artist, as (artist, weight) pairs. */
struct aff {
	uint32_t user, artist;
	double w;
};

static uint64_t
mix64(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ull;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

static uint64_t
version_key(uint32_t u, uint64_t title, uint32_t artist)
{
	return mix64(((uint64_t)u << 32 | artist) ^ mix64(title));
}

/*
 * The hash of a track name's base title: lowercased (ASCII), cut at the
 * first " - ", "(" or "[" (where "Remix", "Acoustic", "feat." and the like
 * go) and trimmed; 0 when nothing is left.
 */
static int
is_alpha(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80;
}

/* The kind of a track name: the first kind word after its base title. */
static int
name_kind(const char *s, size_t len)
{
	size_t i, j, w, wl, start = len;

	for (i = 0; i < len; i++)
		if (s[i] == '(' || s[i] == '[' ||
		    (s[i] == ' ' && i + 2 < len && s[i + 1] == '-' && s[i + 2] == ' ')) {
			start = i;
			break;
		}
	for (i = start; i < len; i++) {
		if (!is_alpha((unsigned char)s[i]) || (i > 0 && is_alpha((unsigned char)s[i - 1])))
			continue;
		for (j = i; j < len && is_alpha((unsigned char)s[j]); j++)
			;
		for (w = 0; w < sizeof kind_words / sizeof kind_words[0]; w++) {
			wl = strlen(kind_words[w].word);
			if (wl == j - i && strncasecmp(s + i, kind_words[w].word, wl) == 0)
				return (int)kind_words[w].kind;
		}
	}
	return K_PLAIN;
}

/*
 * The next word of s[0, len) from *i on, lowercased into buf (at most
 * size bytes kept): a run of letters (bytes >= 0x80 count as letters, so
 * accented words stay whole) and apostrophes.  Its length, 0 at the end.
 */
static size_t
next_word(const char *s, size_t len, size_t *i, char *buf, size_t size)
{
	size_t n = 0;

	while (*i < len && !is_alpha((unsigned char)s[*i]))
		(*i)++;
	for (; *i < len && (is_alpha((unsigned char)s[*i]) || s[*i] == '\''); (*i)++)
		if (n < size)
			buf[n++] = (char)(s[*i] >= 'A' && s[*i] <= 'Z' ? s[*i] - 'A' + 'a' : s[*i]);
	return n;
}

/*
 * Interns the distinct words of a track name for item it: runs of
 * letters (bytes >= 0x80 count as letters, so accented words stay whole)
 * and apostrophes, ASCII lowercased.
 */
static void
add_words(uint32_t it, const char *s, size_t len)
{
	char buf[128];
	size_t i = 0, n, k;
	uint32_t w;

	item[it].word = (uint32_t)niwords;
	item[it].nword = 0;
	while ((n = next_word(s, len, &i, buf, sizeof buf)) > 0) {
		w = sp_strtab_add(&words, buf, n, NULL);
		for (k = item[it].word; k < niwords; k++)
			if (iwords[k] == w)
				break;
		if (k < niwords)
			continue;
		if (niwords == niwords_cap) {
			niwords_cap = niwords_cap ? niwords_cap * 2 : 4096;
			iwords = sp_xreallocarray(iwords, niwords_cap, sizeof *iwords);
		}
		iwords[niwords++] = w;
		item[it].nword++;
	}
}

static uint64_t
base_title(const char *s, size_t len)
{
	char buf[256];
	size_t i, n = 0;
	unsigned char ch;

	for (i = 0; i < len && n < sizeof buf; i++) {
		ch = (unsigned char)s[i];
		if (ch == '(' || ch == '[' ||
		    (ch == ' ' && i + 2 < len && s[i + 1] == '-' && s[i + 2] == ' '))
			break;
		buf[n++] = (char)(ch >= 'A' && ch <= 'Z' ? ch - 'A' + 'a' : ch);
	}
	while (n > 0 && (buf[n - 1] == ' ' || buf[n - 1] == '\t'))
		n--;
	if (n == 0)
		return 0;
	return sp_str_hash(buf, n) | 1;
}

/*
 * Catalogue tokens (--tokens): the distinct words of an item's name, of
 * its album's name and of its artists' names, each source apart ("n:",
 * "a:", "r:"; the words of add_words), and the weekday of its release
 * ("w:0" for a Monday to "w:6", "w:p" for a date of a year or a month).
 * Per user, taff counts the history's items with each token and tokn[u]
 * the history's items; the user's candidates are the background.
 */
static struct sp_strtab toks;
static uint32_t *itoks;
static size_t nitoks, nitoks_cap;
static struct aff *taff;
static size_t ntaff, ntaff_cap;
static double *tokn;
static size_t tokn_cap;

static void
add_token(uint32_t it, const char *s, size_t len)
{
	uint32_t t = sp_strtab_add(&toks, s, len, NULL);
	size_t k;

	for (k = item[it].tok; k < nitoks; k++)
		if (itoks[k] == t)
			return;
	if (nitoks == nitoks_cap) {
		nitoks_cap = nitoks_cap ? nitoks_cap * 2 : 4096;
		itoks = sp_xreallocarray(itoks, nitoks_cap, sizeof *itoks);
	}
	itoks[nitoks++] = t;
	item[it].ntok++;
}

/* The words of s[0, len) as tokens "P:word". */
static void
add_word_tokens(uint32_t it, char prefix, const char *s, size_t len)
{
	char buf[130];
	size_t i = 0, n;

	buf[0] = prefix;
	buf[1] = ':';
	while ((n = next_word(s, len, &i, buf + 2, sizeof buf - 2)) > 0)
		add_token(it, buf, n + 2);
}

/*
 * The weekday token of a release date (dates.c's forms): YYYY-MM-DD gives
 * its weekday, YYYY and YYYY-MM "w:p"; anything else no token.
 */
static void
add_date_token(uint32_t it, const char *s, size_t len)
{
	char buf[4] = "w:p";
	int32_t day;

	if (sp_date_parse(s, len, &day) != 0)
		return;
	if (len == 10)	/* 1970-01-01, day 0, was a Thursday (3) */
		buf[2] = (char)('0' + ((day % 7 + 7) % 7 + 3) % 7);
	add_token(it, buf, 3);
}

/*
 * Calls fn(arg, s, len) with each string of label field of o, a string or
 * an array of strings (nulls skipped); anything else is an error at r's
 * line.
 */
static void
label_strings(jv o, const char *field, struct sp_lines *r,
    void (*fn)(void *arg, const char *s, size_t len), void *arg)
{
	jv v = sp_jv_get(o, field), e;
	int k, n;

	if (jv_get_kind(v) == JV_KIND_STRING) {
		fn(arg, jv_string_value(v), (size_t)jv_string_length_bytes(jv_copy(v)));
	} else if (jv_get_kind(v) == JV_KIND_ARRAY) {
		n = jv_array_length(jv_copy(v));
		for (k = 0; k < n; k++) {
			e = jv_array_get(jv_copy(v), k);
			if (jv_get_kind(e) == JV_KIND_STRING)
				fn(arg, jv_string_value(e), (size_t)jv_string_length_bytes(jv_copy(e)));
			else if (jv_get_kind(e) != JV_KIND_NULL)
				sp_die_at(SP_EXIT_DATA, r->name, r->lineno,
				    "field '%s': expected a string or an array of strings", field);
			jv_free(e);
		}
	} else if (jv_get_kind(v) != JV_KIND_NULL) {
		sp_die_at(SP_EXIT_DATA, r->name, r->lineno,
		    "field '%s': expected a string or an array of strings, got %s", field,
		    sp_jv_kind_name(jv_get_kind(v)));
	}
	jv_free(v);
}

struct word_tokens {
	uint32_t it;
	char prefix;
};

static void
word_tokens_of(void *arg, const char *s, size_t len)
{
	const struct word_tokens *w = arg;

	add_word_tokens(w->it, w->prefix, s, len);
}

/* The word tokens of a label that is a string or an array of strings. */
static void
label_tokens(uint32_t it, char prefix, jv o, const char *field, struct sp_lines *r)
{
	struct word_tokens w = { it, prefix };

	label_strings(o, field, r, word_tokens_of, &w);
}

/* Reads the catalogue tokens of item it from its labels o. */
static void
read_tokens(uint32_t it, jv o, struct sp_lines *r)
{
	jv v;

	item[it].tok = (uint32_t)nitoks;
	item[it].ntok = 0;
	label_tokens(it, 'n', o, opt.name, r);
	label_tokens(it, 'a', o, opt.album, r);
	label_tokens(it, 'r', o, opt.aname, r);
	v = sp_jv_get(o, opt.date);
	if (jv_get_kind(v) == JV_KIND_STRING)
		add_date_token(it, jv_string_value(v), (size_t)jv_string_length_bytes(jv_copy(v)));
	else if (jv_get_kind(v) != JV_KIND_NULL)
		sp_die_at(SP_EXIT_DATA, r->name, r->lineno,
		    "field '%s': expected a string, got %s", opt.date,
		    sp_jv_kind_name(jv_get_kind(v)));
	jv_free(v);
}

/* Counts the tokens of item it, one item of user u's history. */
static void
history_tokens(uint32_t u, uint32_t it)
{
	size_t k, old;

	if ((size_t)u >= tokn_cap) {
		old = tokn_cap;
		tokn_cap = (size_t)u + 1 > old * 2 ? (size_t)u + 1 : old * 2;
		tokn = sp_xreallocarray(tokn, tokn_cap, sizeof *tokn);
		memset(tokn + old, 0, (tokn_cap - old) * sizeof *tokn);
	}
	tokn[u] += 1;
	for (k = 0; k < item[it].ntok; k++) {
		if (ntaff == ntaff_cap) {
			ntaff_cap = ntaff_cap ? ntaff_cap * 2 : 4096;
			taff = sp_xreallocarray(taff, ntaff_cap, sizeof *taff);
		}
		taff[ntaff++] = (struct aff){ u, itoks[item[it].tok + k], 1 };
	}
}

/*
 * Character n-grams (--grams): the 3- and 4-grams of an item's name, its
 * album's name and each of its artists' names, each lowercased (ASCII)
 * and padded with a space at either end, counted with repeats; a
 * character is a UTF-8 sequence, so that an n-gram of a name in another
 * script is n of its letters.  igram[gram .. gram + ngram) holds an
 * item's distinct n-grams (ids in grams), igramn their counts.
 */
static struct sp_strtab grams;
static uint32_t *igram;
static double *igramn;
static size_t nigram, nigram_cap;

struct gcount {
	uint32_t g;
	double n;
};

static int
gcount_cmp(const void *a, const void *b)
{
	const struct gcount *x = a, *y = b;

	return x->g < y->g ? -1 : x->g > y->g;
}

static struct gcount *gtmp;
static size_t ngtmp, ngtmp_cap;

/* Adds the 3- and 4-grams of s[0, len) to gtmp. */
static void
add_grams(const char *s, size_t len)
{
	char buf[258];
	size_t start[258], n = 0, nc = 0, i, k, l, m;
	int u;

	buf[n++] = ' ';
	start[nc++] = 0;
	for (i = 0; i < len && n + 5 < sizeof buf;) {
		/* A character is a UTF-8 sequence (a stray byte alone). */
		u = sp_utf8_len((const unsigned char *)s + i, len - i);
		l = u > 0 ? (size_t)u : 1;
		start[nc++] = n;
		for (k = 0; k < l; k++, i++)
			buf[n++] = (char)(s[i] >= 'A' && s[i] <= 'Z' ? s[i] - 'A' + 'a' : s[i]);
	}
	start[nc++] = n;
	buf[n++] = ' ';
	start[nc] = n;
	for (m = 3; m <= 4; m++) {
		for (k = 0; k + m <= nc; k++) {
			if (ngtmp == ngtmp_cap) {
				ngtmp_cap = ngtmp_cap ? ngtmp_cap * 2 : 1024;
				gtmp = sp_xreallocarray(gtmp, ngtmp_cap, sizeof *gtmp);
			}
			gtmp[ngtmp++] = (struct gcount){
				sp_strtab_add(&grams, buf + start[k], start[k + m] - start[k], NULL), 1 };
		}
	}
}

static void
grams_of(void *arg, const char *s, size_t len)
{
	(void)arg;
	add_grams(s, len);
}

/* The n-grams of a label that is a string or an array of strings. */
static void
label_grams(jv o, const char *field, struct sp_lines *r)
{
	label_strings(o, field, r, grams_of, NULL);
}

/* Reads the n-grams of item it from its labels o. */
static void
read_grams(uint32_t it, jv o, struct sp_lines *r)
{
	size_t k, m;

	ngtmp = 0;
	label_grams(o, opt.name, r);
	label_grams(o, opt.album, r);
	label_grams(o, opt.aname, r);
	if (ngtmp > 1)
		qsort(gtmp, ngtmp, sizeof *gtmp, gcount_cmp);
	for (k = m = 0; k < ngtmp; k++) {
		if (m > 0 && gtmp[m - 1].g == gtmp[k].g)
			gtmp[m - 1].n += 1;
		else
			gtmp[m++] = gtmp[k];
	}
	if (nigram + m > nigram_cap) {
		while (nigram + m > nigram_cap)
			nigram_cap = nigram_cap ? nigram_cap * 2 : 4096;
		igram = sp_xreallocarray(igram, nigram_cap, sizeof *igram);
		igramn = sp_xreallocarray(igramn, nigram_cap, sizeof *igramn);
	}
	item[it].gram = (uint32_t)nigram;
	item[it].ngram = (uint32_t)m;
	for (k = 0; k < m; k++) {
		igram[nigram] = gtmp[k].g;
		igramn[nigram++] = gtmp[k].n;
	}
}

static int
edge_cmp(const void *x, const void *y)
{
	const struct edge *a = x, *b = y;

	if (a->a != b->a)
		return a->a < b->a ? -1 : 1;
	return a->b < b->b ? -1 : a->b > b->b;
}

static int
u64_cmp(const void *x, const void *y)
{
	uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;

	return a < b ? -1 : a > b;
}

static int
has_u64(const uint64_t *v, size_t n, uint64_t k)
{
	size_t lo = 0, hi = n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (v[mid] < k)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && v[lo] == k;
}

static uint32_t
intern_item(const char *s, size_t len)
{
	int added = 0;
	uint32_t i = sp_strtab_add(&items, s, len, &added);

	if (added) {
		if (i >= nitem_cap) {
			nitem_cap = nitem_cap ? nitem_cap * 2 : 4096;
			item = sp_xreallocarray(item, nitem_cap, sizeof *item);
		}
		memset(&item[i], 0, sizeof item[i]);
	}
	return i;
}

/* Adds w times the scores of a recommendation file to pair_score. */
static void
read_blend(const char *path, double w, uint32_t file)
{
	struct sp_lines r;
	const char *u, *id;
	size_t ulen, idlen;
	uint32_t i;
	jv o, v;

	if (sp_lines_open(&r, path) != 0)
		exit(SP_EXIT_DATA);
	while (sp_ndjson_next(&r, &o, 1)) {
		u = line_user(o, &r, &ulen);
		id = sp_jv_str_field(o, opt.id, 0, &r, &idlen);
		v = sp_jv_get(o, "score");
		if (jv_get_kind(v) != JV_KIND_NUMBER)
			sp_die_at(SP_EXIT_DATA, r.name, r.lineno,
			    "field 'score': expected a number, got %s",
			    jv_get_kind(v) == JV_KIND_NULL ? "nothing" : sp_jv_kind_name(jv_get_kind(v)));
		make_key(u, ulen, id, idlen);
		i = sp_strtab_add(&pairs, pkey.data, pkey.len, NULL);
		if (i >= pair_cap) {
			size_t old = pair_cap;

			pair_cap = pair_cap ? pair_cap * 2 : 4096;
			pair_score = sp_xreallocarray(pair_score, pair_cap, sizeof *pair_score);
			pair_file = sp_xreallocarray(pair_file, pair_cap, sizeof *pair_file);
			memset(pair_score + old, 0, (pair_cap - old) * sizeof *pair_score);
			memset(pair_file + old, 0, (pair_cap - old) * sizeof *pair_file);
		}
		/* A pair listed twice in one file counts once. */
		if (pair_file[i] != file) {
			pair_file[i] = file;
			pair_score[i] += w * jv_number_value(v);
		}
		jv_free(v);
		jv_free(o);
	}
	sp_lines_close(&r);
}

static void
add_artist(uint32_t it, jv a, struct sp_lines *r)
{
	if (jv_get_kind(a) != JV_KIND_STRING)
		sp_die_at(SP_EXIT_DATA, r->name, r->lineno,
		    "field '%s': expected a string or an array of strings", opt.artist);
	if (narts == narts_cap) {
		narts_cap = narts_cap ? narts_cap * 2 : 4096;
		arts = sp_xreallocarray(arts, narts_cap, sizeof *arts);
	}
	arts[narts++] = sp_strtab_add(&artists, jv_string_value(a),
	    (size_t)jv_string_length_bytes(jv_copy(a)), NULL);
	item[it].nart++;
}

/* Reads the item labels: id, artists (string or array), popularity. */
static void
read_labels(const char *path)
{
	struct sp_lines r;
	jv o, a, p;
	const char *s;
	size_t len, k, n;
	uint32_t it;
	double maxpop = 0;

	if (sp_lines_open(&r, path) != 0)
		exit(SP_EXIT_DATA);
	while (sp_ndjson_next(&r, &o, 1)) {
		s = sp_jv_str_field(o, opt.id, 0, &r, &len);
		it = intern_item(s, len);
		item[it].art = (uint32_t)narts;
		item[it].nart = 0;
		a = sp_jv_get(o, opt.artist);
		if (jv_get_kind(a) == JV_KIND_ARRAY) {
			n = (size_t)jv_array_length(jv_copy(a));
			for (k = 0; k < n; k++) {
				jv e = jv_array_get(jv_copy(a), (int)k);

				add_artist(it, e, &r);
				jv_free(e);
			}
		} else if (jv_get_kind(a) != JV_KIND_NULL) {
			add_artist(it, a, &r);
		}
		jv_free(a);
		p = sp_jv_get(o, opt.pop);
		if (jv_get_kind(p) == JV_KIND_NUMBER) {
			item[it].pop = jv_number_value(p);
			if (item[it].pop > maxpop)
				maxpop = item[it].pop;
		} else if (jv_get_kind(p) != JV_KIND_NULL) {
			sp_die_at(SP_EXIT_DATA, r.name, r.lineno,
			    "field '%s': expected a number, got %s", opt.pop,
			    sp_jv_kind_name(jv_get_kind(p)));
		}
		jv_free(p);
		p = sp_jv_get(o, opt.name);
		if (jv_get_kind(p) == JV_KIND_STRING) {
			item[it].title = base_title(jv_string_value(p),
			    (size_t)jv_string_length_bytes(jv_copy(p)));
			item[it].kind = name_kind(jv_string_value(p),
			    (size_t)jv_string_length_bytes(jv_copy(p)));
			add_words(it, jv_string_value(p),
			    (size_t)jv_string_length_bytes(jv_copy(p)));
		} else if (jv_get_kind(p) != JV_KIND_NULL)
			sp_die_at(SP_EXIT_DATA, r.name, r.lineno,
			    "field '%s': expected a string, got %s", opt.name,
			    sp_jv_kind_name(jv_get_kind(p)));
		jv_free(p);
		if (opt.wtokens != 0)
			read_tokens(it, o, &r);
		if (opt.wgrams != 0)
			read_grams(it, o, &r);
		/* Each two artists of the item collaborated. */
		for (k = 0; k < item[it].nart; k++) {
			for (n = 0; n < item[it].nart; n++) {
				uint32_t x = arts[item[it].art + k], y = arts[item[it].art + n];

				if (x == y)
					continue;
				if (nedges == nedges_cap) {
					nedges_cap = nedges_cap ? nedges_cap * 2 : 1024;
					edges = sp_xreallocarray(edges, nedges_cap, sizeof *edges);
				}
				edges[nedges++] = (struct edge){ x, y };
			}
		}
		jv_free(o);
	}
	sp_lines_close(&r);
	for (it = 0; it < items.n; it++)
		item[it].pop = maxpop > 0 && item[it].pop > 0 ? item[it].pop / maxpop : 0;
	/* qsort must not see a null pointer, even with nothing to sort. */
	if (nedges > 1)
		qsort(edges, nedges, sizeof *edges, edge_cmp);
	for (k = n = 0; k < nedges; k++)
		if (n == 0 || edge_cmp(&edges[n - 1], &edges[k]) != 0)
			edges[n++] = edges[k];
	nedges = n;
}

static int
aff_cmp(const void *a, const void *b)
{
	const struct aff *x = a, *y = b;

	if (x->user != y->user)
		return x->user < y->user ? -1 : 1;
	return x->artist < y->artist ? -1 : x->artist > y->artist;
}

/* Sorts (user, key) pairs and sums the weights of equal ones; the new count. */
static size_t
merge_aff(struct aff *a, size_t n)
{
	size_t k, m;

	/* qsort must not see a null pointer, even with nothing to sort. */
	if (n > 1)
		qsort(a, n, sizeof *a, aff_cmp);
	for (k = m = 0; k < n; k++) {
		if (m > 0 && a[m - 1].user == a[k].user && a[m - 1].artist == a[k].artist)
			a[m - 1].w += a[k].w;
		else
			a[m++] = a[k];
	}
	return m;
}

/* Per user, for --grams: (user, history item, weight), like aff. */
static struct aff *hent;
static size_t nhent, nhent_cap;

/* Per user: history weight per word of the names, like aff. */
static struct aff *waff;
static size_t nwaff;

/*
 * Reads the history and returns, sorted by (user, artist), the history
 * weight each user gives each artist; tot[user] is the user's total.
 */
static struct aff *
read_history(const char *path, size_t *naff, double **tot)
{
	size_t wcap = 0;
	struct sp_lines r;
	struct aff *aff = NULL;
	size_t n = 0, cap = 0, len, k;
	jv o, wv;
	const char *s;
	uint32_t u, it, ucap = 0;
	double w;

	if (sp_lines_open(&r, path) != 0)
		exit(SP_EXIT_DATA);
	*tot = NULL;
	while (sp_ndjson_next(&r, &o, 1)) {
		/* A history without users is the single listener "". */
		s = line_user(o, &r, &len);
		u = sp_strtab_add(&users, s, len, NULL);
		if (u >= ucap) {
			uint32_t old = ucap;

			ucap = ucap ? ucap * 2 : 1024;
			*tot = sp_xreallocarray(*tot, ucap, sizeof **tot);
			memset(*tot + old, 0, (ucap - old) * sizeof **tot);
			kindw = sp_xreallocarray(kindw, (size_t)ucap * NKIND, sizeof *kindw);
			memset(kindw + (size_t)old * NKIND, 0, (size_t)(ucap - old) * NKIND * sizeof *kindw);
		}
		s = sp_jv_str_field(o, opt.id, 0, &r, &len);
		w = 1;
		wv = sp_jv_get(o, "weight");
		if (jv_get_kind(wv) == JV_KIND_NUMBER)
			w = jv_number_value(wv);
		else if (jv_get_kind(wv) != JV_KIND_NULL)
			sp_die_at(SP_EXIT_DATA, r.name, r.lineno,
			    "field 'weight': expected a number, got %s",
			    sp_jv_kind_name(jv_get_kind(wv)));
		jv_free(wv);
		if (opt.unweighted)
			w = 1;
		if (!(w >= 0) || isinf(w))
			sp_die_at(SP_EXIT_DATA, r.name, r.lineno,
			    "field 'weight': expected a finite number >= 0");
		(*tot)[u] += w;
		it = sp_strtab_find(&items, s, len);
		if (it != SP_STRTAB_NONE) {
			if (opt.wtokens != 0)
				history_tokens(u, it);
			if (opt.wgrams != 0) {
				if (nhent == nhent_cap) {
					nhent_cap = nhent_cap ? nhent_cap * 2 : 4096;
					hent = sp_xreallocarray(hent, nhent_cap, sizeof *hent);
				}
				hent[nhent++] = (struct aff){ u, it, w };
			}
			kindw[(size_t)u * NKIND + (size_t)item[it].kind] += w;
			for (k = 0; k < item[it].nword; k++) {
				if (nwaff == wcap) {
					wcap = wcap ? wcap * 2 : 4096;
					waff = sp_xreallocarray(waff, wcap, sizeof *waff);
				}
				waff[nwaff++] = (struct aff){ u, iwords[item[it].word + k], w };
			}
			for (k = 0; k < item[it].nart; k++) {
				if (n == cap) {
					cap = cap ? cap * 2 : 4096;
					aff = sp_xreallocarray(aff, cap, sizeof *aff);
				}
				aff[n++] = (struct aff){ u, arts[item[it].art + k], w };
				if (item[it].title == 0)
					continue;
				if (nvkeys == nvkeys_cap) {
					nvkeys_cap = nvkeys_cap ? nvkeys_cap * 2 : 1024;
					vkeys = sp_xreallocarray(vkeys, nvkeys_cap, sizeof *vkeys);
				}
				vkeys[nvkeys++] = version_key(u, item[it].title, arts[item[it].art + k]);
			}
		}
		jv_free(o);
	}
	sp_lines_close(&r);
	if (*tot == NULL)
		*tot = sp_xcalloc(1, sizeof **tot);
	/* qsort must not see a null pointer, even with nothing to sort. */
	if (nvkeys > 1)
		qsort(vkeys, nvkeys, sizeof *vkeys, u64_cmp);
	nwaff = merge_aff(waff, nwaff);
	ntaff = merge_aff(taff, ntaff);
	nhent = merge_aff(hent, nhent);
	/* Merge the weights of the same (user, artist). */
	*naff = merge_aff(aff, n);
	return aff;
}

/* The first entry of aff (sorted by user, artist) at or after (u, a). */
static size_t
aff_lower(const struct aff *aff, size_t naff, uint32_t u, uint32_t a)
{
	size_t lo = 0, hi = naff, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (aff[mid].user < u || (aff[mid].user == u && aff[mid].artist < a))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static double
affinity_of(const struct aff *aff, size_t naff, uint32_t u, uint32_t a)
{
	size_t lo = aff_lower(aff, naff, u, a);

	return lo < naff && aff[lo].user == u && aff[lo].artist == a ? aff[lo].w : 0;
}

/*
 * The largest affinity of u to an artist credited with a on some item
 * (a collaborator of a); 0 when a has none that u plays.
 */
static double
collab_of(const struct aff *aff, size_t naff, uint32_t u, uint32_t a)
{
	size_t lo = 0, hi = nedges, mid;
	double best = 0, x;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (edges[mid].a < a)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < nedges && edges[lo].a == a; lo++)
		if ((x = affinity_of(aff, naff, u, edges[lo].b)) > best)
			best = x;
	return best;
}

static int
user_seq_cmp(const void *a, const void *b)
{
	const struct line *x = a, *y = b;

	if (x->user != y->user)
		return x->user < y->user ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* The --tokens term of item it for user u, whose m candidates count df. */
static double
token_term(uint32_t u, uint32_t it, const uint32_t *df, size_t m)
{
	double s = 0, n = tokn[u];
	size_t k;
	uint32_t t;

	if (item[it].ntok == 0)
		return 0;
	for (k = 0; k < item[it].ntok; k++) {
		t = itoks[item[it].tok + k];
		s += log((affinity_of(taff, ntaff, u, t) + 1) / (n + 2)) -
		    log((df[t] + 1) / ((double)m + 2));
	}
	return s / item[it].ntok;
}

/*
 * Adds the --tokens term to the lines of each user with a history: the
 * mean over the candidate's tokens t of
 *   log((h(t) + 1) / (n + 2)) - log((c(t) + 1) / (m + 2)),
 * h(t) of the user's n history items having t, c(t) of the user's m
 * candidates (input lines): how much more often the listener's history
 * has the token than what there is to choose from.  Leaves the lines
 * sorted by user and input order.
 */
static void
token_scores(struct line *lines, size_t nl, size_t nhu)
{
	uint32_t *df = sp_xcalloc(toks.n > 0 ? toks.n : 1, sizeof *df);
	size_t i, j, k, t, m;
	uint32_t u, it;

	if (nl > 1)
		qsort(lines, nl, sizeof *lines, user_seq_cmp);
	for (i = 0; i < nl; i = j) {
		u = lines[i].user;
		for (j = i, m = 0; j < nl && lines[j].user == u; j++) {
			if ((it = lines[j].item) == SP_STRTAB_NONE)
				continue;
			m++;
			for (k = 0; k < item[it].ntok; k++)
				df[itoks[item[it].tok + k]]++;
		}
		for (k = i; k < j; k++) {
			it = lines[k].item;
			if (it != SP_STRTAB_NONE && u < nhu && u < tokn_cap && tokn[u] > 0)
				lines[k].score += opt.wtokens * token_term(u, it, df, m);
		}
		for (k = i; k < j; k++)
			if ((it = lines[k].item) != SP_STRTAB_NONE)
				for (t = 0; t < item[it].ntok; t++)
					df[itoks[item[it].tok + t]] = 0;
	}
	free(df);
}

static int
cand_cmp(const void *a, const void *b)
{
	const struct line *x = a, *y = b;

	if (x->cand != y->cand)
		return x->cand < y->cand ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static int
double_desc(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x > y ? -1 : x < y;
}

/*
 * For each line, into top_mean[its seq]: the mean of the opt.hubk highest
 * val[seq] over the lines of its item (all users), summed from the
 * highest; 0 for an item with opt.hubk lines or fewer (its K best users
 * are all of them: their mean says what the group likes, not how crowded
 * the item's neighbourhood is).  The --hub and --grams corrections, as
 * CSLS's (Conneau, Lample et al., 2018).  Leaves the lines sorted by item.
 */
static void
hub_means(struct line *lines, size_t nl, const double *val, double *top_mean)
{
	double *top = sp_xcalloc(nl > 0 ? nl : 1, sizeof *top), mean;
	size_t i, j, k;

	if (nl > 1)
		qsort(lines, nl, sizeof *lines, cand_cmp);
	for (i = 0; i < nl; i = j) {
		for (j = i; j < nl && lines[j].cand == lines[i].cand; j++)
			top[j - i] = val[lines[j].seq];
		mean = 0;
		if (j - i > (size_t)opt.hubk) {
			qsort(top, j - i, sizeof *top, double_desc);
			for (k = 0; k < (size_t)opt.hubk; k++)
				mean += top[k];
			mean /= (double)opt.hubk;
		}
		for (k = i; k < j; k++)
			top_mean[lines[k].seq] = mean;
	}
	free(top);
}

/*
 * Adds the --grams term to every line.  A user's profile is the sum over
 * its history of weight times the item's n-gram counts, each n-gram
 * times its idf, log((U + 1) / (d + 1)) with d of the U users with a
 * history having it; s(u, c) is the cosine of the profile and the
 * candidate's counts times the idf.  The term is s(u, c) less the mean
 * of the opt.hubk highest s(., c) over the input's lines, as --hub does
 * (an item with opt.hubk lines or fewer: s(u, c) itself): how much more
 * the candidate's names look like this user's than like those they look
 * most like.  Leaves the lines sorted by item.
 */
static void
gram_scores(struct line *lines, size_t nl, size_t nhu)
{
	double *idf, *prof, *inorm, *gs, *top, norm, x;
	uint32_t *stamp, *touched, u, it, g;
	size_t i, j, k, t, lo, nt, nusers = 0, ng = grams.n > 0 ? grams.n : 1;

	idf = sp_xcalloc(ng, sizeof *idf);
	prof = sp_xcalloc(ng, sizeof *prof);
	stamp = sp_xcalloc(ng, sizeof *stamp);
	touched = sp_xcalloc(ng, sizeof *touched);
	inorm = sp_xcalloc(items.n > 0 ? items.n : 1, sizeof *inorm);
	gs = sp_xcalloc(nl > 0 ? nl : 1, sizeof *gs);
	top = sp_xcalloc(nl > 0 ? nl : 1, sizeof *top);
	/* Document frequencies over users (stamp: the last user + 1). */
	for (i = 0; i < nhent; i = j) {
		u = hent[i].user;
		nusers++;
		for (j = i; j < nhent && hent[j].user == u; j++) {
			it = hent[j].artist;
			for (k = 0; k < item[it].ngram; k++) {
				g = igram[item[it].gram + k];
				if (stamp[g] != u + 1) {
					stamp[g] = u + 1;
					idf[g] += 1;
				}
			}
		}
	}
	for (g = 0; g < grams.n; g++) {
		idf[g] = log(((double)nusers + 1) / (idf[g] + 1));
		stamp[g] = 0;
	}
	for (it = 0; it < items.n; it++) {
		norm = 0;
		for (k = 0; k < item[it].ngram; k++) {
			x = igramn[item[it].gram + k] * idf[igram[item[it].gram + k]];
			norm += x * x;
		}
		inorm[it] = sqrt(norm);
	}
	/* Each user's lines against its profile. */
	if (nl > 1)
		qsort(lines, nl, sizeof *lines, user_seq_cmp);
	for (i = 0; i < nl; i = j) {
		u = lines[i].user;
		for (j = i; j < nl && lines[j].user == u; j++)
			;
		if (u >= nhu)
			continue;
		nt = 0;
		for (lo = aff_lower(hent, nhent, u, 0); lo < nhent && hent[lo].user == u; lo++) {
			it = hent[lo].artist;
			for (k = 0; k < item[it].ngram; k++) {
				g = igram[item[it].gram + k];
				if (stamp[g] != u + 1) {
					stamp[g] = u + 1;
					touched[nt++] = g;
				}
				prof[g] += hent[lo].w * igramn[item[it].gram + k] * idf[g];
			}
		}
		norm = 0;
		for (k = 0; k < nt; k++)
			norm += prof[touched[k]] * prof[touched[k]];
		norm = sqrt(norm);
		for (k = i; k < j && norm > 0; k++) {
			it = lines[k].item;
			if (it == SP_STRTAB_NONE || inorm[it] == 0)
				continue;
			x = 0;
			for (t = 0; t < item[it].ngram; t++) {
				g = igram[item[it].gram + t];
				x += prof[g] * igramn[item[it].gram + t] * idf[g];
			}
			gs[lines[k].seq] = x / (norm * inorm[it]);
		}
		for (k = 0; k < nt; k++)
			prof[touched[k]] = 0;
	}
	/* Less the mean of each item's opt.hubk highest. */
	hub_means(lines, nl, gs, top);
	for (k = 0; k < nl; k++)
		lines[k].score += opt.wgrams * (gs[lines[k].seq] - top[lines[k].seq]);
	free(idf);
	free(prof);
	free(stamp);
	free(touched);
	free(inorm);
	free(gs);
	free(top);
}

/*
 * Subtracts the --hub term from every line: W times the mean of the
 * opt.hubk highest scores that the line's item has over the input's lines
 * (all users), taken before any is changed (hub_means).  An item close to
 * every listener's history (a hub of the embedding) ranks high for all of
 * them whatever their taste; this ranks each user's candidates by how
 * much more they suit that user than the users they suit best.
 */
static void
hub_scores(struct line *lines, size_t nl)
{
	double *val = sp_xcalloc(nl > 0 ? nl : 1, sizeof *val);
	double *mean = sp_xcalloc(nl > 0 ? nl : 1, sizeof *mean);
	size_t k;

	for (k = 0; k < nl; k++)
		val[lines[k].seq] = lines[k].score;
	hub_means(lines, nl, val, mean);
	for (k = 0; k < nl; k++)
		lines[k].score -= opt.whub * mean[lines[k].seq];
	free(val);
	free(mean);
}

static int
line_cmp(const void *a, const void *b)
{
	const struct line *x = a, *y = b;

	if (x->user != y->user)
		return x->user < y->user ? -1 : 1;
	if (x->score != y->score)
		return x->score > y->score ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static void
write_line(const struct line *l, long rank)
{
	jv o = l->obj, v;
	const char *k;

	putchar('{');
	v = sp_jv_get(o, "user");
	if (jv_get_kind(v) == JV_KIND_STRING) {
		fputs("\"user\":", stdout);
		sp_json_str(stdout, jv_string_value(v), (size_t)jv_string_length_bytes(jv_copy(v)));
		putchar(',');
	}
	jv_free(v);
	printf("\"rank\":%ld,", rank);
	v = sp_jv_get(o, opt.id);
	sp_json_str(stdout, opt.id, strlen(opt.id));
	putchar(':');
	sp_json_str(stdout, jv_string_value(v), (size_t)jv_string_length_bytes(jv_copy(v)));
	jv_free(v);
	printf(",\"score\":%.6f", l->score);
	/* Other members (because, labels, ...) follow unchanged. */
	jv_object_foreach(o, key, val) {
		k = jv_string_value(key);
		if (strcmp(k, "user") != 0 && strcmp(k, "rank") != 0 &&
		    strcmp(k, "score") != 0 && strcmp(k, opt.id) != 0) {
			putchar(',');
			sp_json_str(stdout, k, (size_t)jv_string_length_bytes(jv_copy(key)));
			putchar(':');
			jv_dumpf(val, stdout, 0);
		} else {
			jv_free(val);
		}
		jv_free(key);
	}
	fputs("}\n", stdout);
}

/* Adds the argument W:FILE of --blend (it is changed) to path[], w[] at *n. */
static void
blend_arg(char *arg, const char *path[], double w[], size_t *n)
{
	char *end = strchr(arg, ':');

	if (end == NULL || end == arg || end[1] == '\0') {
		sp_warn("--blend: expected W:FILE, got '%s'", arg);
		usage(stderr, SP_EXIT_USAGE);
	}
	if (*n == MAX_BLEND) {
		sp_warn("--blend: at most %d files", MAX_BLEND);
		usage(stderr, SP_EXIT_USAGE);
	}
	*end = '\0';
	w[*n] = sp_opt_double("--blend", arg, -HUGE_VAL, HUGE_VAL, usage);
	path[(*n)++] = end + 1;
}

/*
 * The score of item it for user u from the history (known: u has one;
 * users of the input without history have no affinity): its artists',
 * credits', words', kind's and versions' terms, and popularity.
 */
static double
item_score(const struct aff *aff, size_t naff, const double *tot, int known, uint32_t u,
    uint32_t it)
{
	double a, best, sc = 0;
	size_t k;

	best = 0;
	for (k = 0; k < item[it].nart; k++) {
		a = affinity_of(aff, naff, u, arts[item[it].art + k]);
		if (a > best)
			best = a;
	}
	/* Users of the input without history have no affinity. */
	if (known && best > 0 && tot[u] > 0)
		sc += opt.wa * best / tot[u] + opt.wknown;
	if (opt.wcollab != 0 && known && tot[u] > 0) {
		best = 0;
		for (k = 0; k < item[it].nart; k++) {
			a = collab_of(aff, naff, u, arts[item[it].art + k]);
			if (a > best)
				best = a;
		}
		sc += opt.wcollab * best / tot[u];
	}
	/*
	 * Words: the mean over c's name's words of the share
	 * of u's history weight whose names hold the word.
	 */
	if (opt.wwords != 0 && known && tot[u] > 0 && item[it].nword > 0) {
		a = 0;
		for (k = 0; k < item[it].nword; k++)
			a += affinity_of(waff, nwaff, u, iwords[item[it].word + k]);
		sc += opt.wwords * a / (tot[u] * item[it].nword);
	}
	/* The share of u's history of c's kind. */
	if (opt.wkind != 0 && known && tot[u] > 0)
		sc += opt.wkind * kindw[(size_t)u * NKIND + (size_t)item[it].kind] / tot[u];
	if (opt.wversion != 0 && item[it].title != 0 && known) {
		for (k = 0; k < item[it].nart; k++)
			if (has_u64(vkeys, nvkeys, version_key(u,
			    item[it].title, arts[item[it].art + k])))
				break;
		if (k < item[it].nart)
			sc += opt.wversion;
	}
	sc += opt.wp * item[it].pop;
	return sc;
}

static void
free_all(struct aff *aff, double *tot)
{
	free(aff);
	free(tot);
	free(item);
	free(arts);
	sp_strtab_free(&items);
	sp_strtab_free(&artists);
	sp_strtab_free(&users);
	sp_strtab_free(&cands);
	sp_strtab_free(&pairs);
	free(pair_score);
	free(pair_file);
	free(edges);
	free(vkeys);
	free(kindw);
	free(waff);
	free(iwords);
	sp_strtab_free(&words);
	free(itoks);
	free(taff);
	free(tokn);
	sp_strtab_free(&toks);
	free(igram);
	free(igramn);
	free(gtmp);
	free(hent);
	sp_strtab_free(&grams);
	sp_buf_free(&pkey);
}

/*
 * sp-rerank reads recommendation NDJSON (FILE or stdin, as sp-cosine
 * writes it; give sp-cosine a large -n so that every candidate is here),
 * the listeners' history (-H, NDJSON user/track_id/weight) and the item
 * labels (-l, NDJSON with the id, artists and popularity; sp-mat labels
 * gives them from a matrix).  It scores each line
 *   content * score + artist * affinity + popularity * pop
 *   + the weighted scores of the --blend files + rand
 *   + grams * (the n-gram likeness less its --hub-k highest over users)
 *   - hub * the mean of the item's --hub-k highest such scores over all
 *     users (an item with --hub-k lines or fewer: 0)
 * and writes the top N per user in the same format, ranks renumbered.
 * Exit status: 0 ok, 1 bad data or I/O, 2 usage.
 */
/* Reads the options into opt and the arguments; the index of the first operand. */
static int
parse_args(int argc, char **argv, const char **hist_path, const char **lab_path,
    const char *blend_path[], double blend_w[], size_t *nblend)
{
	enum { OPT_CONTENT = 256, OPT_ARTIST, OPT_POP, OPT_RANDOM, OPT_UNW, OPT_ID,
	    OPT_AF, OPT_PF, OPT_BLEND, OPT_VERSION, OPT_COLLAB, OPT_VERS, OPT_NF, OPT_KIND,
	    OPT_WORDS, OPT_KNOWN, OPT_TOKENS, OPT_ALF, OPT_ANF, OPT_DF, OPT_HUB, OPT_HUBK, OPT_GRAMS };
	static const struct option longopts[] = {
		{ "artist", required_argument, NULL, OPT_ARTIST },
		{ "album-field", required_argument, NULL, OPT_ALF },
		{ "artist-field", required_argument, NULL, OPT_AF },
		{ "artist-name-field", required_argument, NULL, OPT_ANF },
		{ "blend", required_argument, NULL, OPT_BLEND },
		{ "collab", required_argument, NULL, OPT_COLLAB },
		{ "content", required_argument, NULL, OPT_CONTENT },
		{ "date-field", required_argument, NULL, OPT_DF },
		{ "grams", required_argument, NULL, OPT_GRAMS },
		{ "help", no_argument, NULL, 'h' },
		{ "history", required_argument, NULL, 'H' },
		{ "hub", required_argument, NULL, OPT_HUB },
		{ "hub-k", required_argument, NULL, OPT_HUBK },
		{ "id", required_argument, NULL, OPT_ID },
		{ "kind", required_argument, NULL, OPT_KIND },
		{ "known", required_argument, NULL, OPT_KNOWN },
		{ "labels", required_argument, NULL, 'l' },
		{ "name-field", required_argument, NULL, OPT_NF },
		{ "popularity", required_argument, NULL, OPT_POP },
		{ "popularity-field", required_argument, NULL, OPT_PF },
		{ "random", required_argument, NULL, OPT_RANDOM },
		{ "tokens", required_argument, NULL, OPT_TOKENS },
		{ "top", required_argument, NULL, 'n' },
		{ "unweighted", no_argument, NULL, OPT_UNW },
		{ "remix", required_argument, NULL, OPT_VERS },
		{ "version", no_argument, NULL, OPT_VERSION },
		{ "words", required_argument, NULL, OPT_WORDS },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	while ((c = getopt_long(argc, argv, "hH:l:n:", longopts, NULL)) != -1) {
		switch (c) {
		case 'h': usage(stdout, 0); break;
		case 'H': *hist_path = optarg; break;
		case 'l': *lab_path = optarg; break;
		case 'n':
			opt.top = sp_opt_long("-n", optarg, 1, 1000000, usage);
			break;
		case OPT_ARTIST: opt.wa = sp_opt_double("--artist", optarg, -HUGE_VAL, HUGE_VAL, usage); break;
		case OPT_AF: opt.artist = optarg; break;
		case OPT_ALF: opt.album = optarg; break;
		case OPT_ANF: opt.aname = optarg; break;
		case OPT_DF: opt.date = optarg; break;
		case OPT_TOKENS: opt.wtokens = sp_opt_double("--tokens", optarg, -HUGE_VAL, HUGE_VAL, usage); break;
		case OPT_BLEND: blend_arg(optarg, blend_path, blend_w, nblend); break;
		case OPT_GRAMS: opt.wgrams = sp_opt_double("--grams", optarg, -HUGE_VAL, HUGE_VAL, usage); break;
		case OPT_HUB: opt.whub = sp_opt_double("--hub", optarg, -HUGE_VAL, HUGE_VAL, usage); break;
		case OPT_HUBK: opt.hubk = sp_opt_long("--hub-k", optarg, 1, 1000000, usage); break;
		case OPT_COLLAB: opt.wcollab = sp_opt_double("--collab", optarg, -HUGE_VAL, HUGE_VAL, usage); break;
		case OPT_CONTENT: opt.wc = sp_opt_double("--content", optarg, -HUGE_VAL, HUGE_VAL, usage); break;
		case OPT_NF: opt.name = optarg; break;
		case OPT_KIND: opt.wkind = sp_opt_double("--kind", optarg, -HUGE_VAL, HUGE_VAL, usage); break;
		case OPT_WORDS: opt.wwords = sp_opt_double("--words", optarg, -HUGE_VAL, HUGE_VAL, usage); break;
		case OPT_KNOWN: opt.wknown = sp_opt_double("--known", optarg, -HUGE_VAL, HUGE_VAL, usage); break;
		case OPT_ID: opt.id = optarg; break;
		case OPT_POP: opt.wp = sp_opt_double("--popularity", optarg, -HUGE_VAL, HUGE_VAL, usage); break;
		case OPT_PF: opt.pop = optarg; break;
		case OPT_RANDOM:
			opt.seed = (uint64_t)sp_opt_long("--random", optarg, 0, LONG_MAX, usage);
			opt.wr = 1;
			break;
		case OPT_UNW: opt.unweighted = 1; break;
		case OPT_VERS: opt.wversion = sp_opt_double("--remix", optarg, -HUGE_VAL, HUGE_VAL, usage); break;
		case OPT_VERSION: sp_version();
		default: usage(stderr, SP_EXIT_USAGE);
		}
	}
	return optind;
}

int
main(int argc, char **argv)
{
	const char *hist_path = NULL, *lab_path = NULL;
	struct sp_lines r;
	struct line *lines = NULL;
	struct aff *aff;
	size_t naff, nl = 0, cap = 0, i, j, len, nhu;
	uint64_t uh;
	double *tot, sc;
	long rank;
	const char *s, *us, *blend_path[MAX_BLEND];
	double blend_w[MAX_BLEND];
	size_t nblend = 0, ulen;
	uint32_t u, it, bi;
	jv o, v;

	sp_init(argv[0]);
	optind = parse_args(argc, argv, &hist_path, &lab_path, blend_path, blend_w, &nblend);
	if (hist_path == NULL || lab_path == NULL) {
		sp_warn("-H HISTORY and -l LABELS are required");
		usage(stderr, SP_EXIT_USAGE);
	}
	if (argc - optind > 1)
		usage(stderr, SP_EXIT_USAGE);

	read_labels(lab_path);
	aff = read_history(hist_path, &naff, &tot);
	nhu = users.n;
	for (i = 0; i < nblend; i++)
		read_blend(blend_path[i], blend_w[i], (uint32_t)i + 1);

	if (sp_lines_open(&r, optind < argc ? argv[optind] : "-") != 0)
		exit(SP_EXIT_DATA);
	while (sp_ndjson_next(&r, &o, 1)) {
		if (nl == cap) {
			cap = cap ? cap * 2 : 4096;
			lines = sp_xreallocarray(lines, cap, sizeof *lines);
		}
		us = line_user(o, &r, &ulen);
		u = sp_strtab_add(&users, us, ulen, NULL);
		uh = sp_str_hash(us, ulen);
		s = sp_jv_str_field(o, opt.id, 0, &r, &len);
		it = sp_strtab_find(&items, s, len);
		v = sp_jv_get(o, "score");
		if (jv_get_kind(v) != JV_KIND_NUMBER && opt.wc != 0)
			sp_die_at(SP_EXIT_DATA, r.name, r.lineno,
			    "field 'score': expected a number, got %s",
			    jv_get_kind(v) == JV_KIND_NULL ? "nothing" : sp_jv_kind_name(jv_get_kind(v)));
		sc = jv_get_kind(v) == JV_KIND_NUMBER ? opt.wc * jv_number_value(v) : 0;
		jv_free(v);
		if (nblend > 0) {
			make_key(us, ulen, s, len);
			bi = sp_strtab_find(&pairs, pkey.data, pkey.len);
			if (bi != SP_STRTAB_NONE)
				sc += pair_score[bi];
		}
		if (it != SP_STRTAB_NONE)
			sc += item_score(aff, naff, tot, u < nhu, u, it);
		if (opt.wr != 0)
			sc += (double)(mix64(opt.seed ^ mix64(sp_str_hash(s, len)) ^
			    mix64(uh)) >> 11) * 0x1p-53;
		lines[nl] = (struct line){ u, it,
		    opt.whub != 0 || opt.wgrams != 0 ? sp_strtab_add(&cands, s, len, NULL) :
		    SP_STRTAB_NONE, nl, sc, o };
		nl++;
	}
	sp_lines_close(&r);

	if (opt.wtokens != 0)
		token_scores(lines, nl, nhu);
	if (opt.wgrams != 0)
		gram_scores(lines, nl, nhu);
	if (opt.whub != 0)
		hub_scores(lines, nl);
	if (nl > 1)
		qsort(lines, nl, sizeof *lines, line_cmp);
	for (i = 0; i < nl; i = j) {
		rank = 0;
		for (j = i; j < nl && lines[j].user == lines[i].user; j++)
			if (rank < opt.top)
				write_line(&lines[j], ++rank);
	}
	for (i = 0; i < nl; i++)
		jv_free(lines[i].obj);
	free(lines);
	free_all(aff, tot);
	return 0;
}
