/* sp-load: loads staged objects into PostgreSQL's raw tables, each exactly once. */
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <zlib.h>

#include "buf.h"
#include "copybin.h"
#include "diag.h"
#include "jscan.h"
#include "ndjson.h"
#include "paths.h"
#include "pg.h"
#include "schema.h"
#include "sha256.h"
#include "store.h"
#include "strtab.h"

/* A staged line longer than this makes the object unreadable. */
#define LINE_MAX_BYTES SP_LINE_MAX_DEFAULT
/* COPY data is sent in chunks of about this size. */
#define COPY_CHUNK (256u << 10)
/* With -v, a line every this many records of a big object. */
#define PROGRESS_EVERY 100000
/* The advisory lock that makes loads take turns (any database). */
#define LOAD_LOCK "727002"

static void
usage(FILE *fp)
{
	fprintf(fp,
	    "usage: sp-load [-cv] [--pending] [--store URL] [--db CONNINFO] [DATASET...]\n"
	    "Loads every staged object of the datasets (default: all) not yet in\n"
	    "raw.load_ledger into PostgreSQL, each in one transaction.\n"
	    "  -c, --check        also read every loaded object again and compare its\n"
	    "                     checksum with the ledger's\n"
	    "  -d, --db CONNINFO  the database (default: $SP_DATABASE_URL, else PG*)\n"
	    "  -n, --pending      only list the objects not loaded yet, one a line\n"
	    "  -s, --store URL    a directory or s3://BUCKET/PREFIX (default:\n"
	    "                     $SP_STAGE_URL, else $SP_HOME/stage)\n"
	    "  -v, --verbose      report each object on stderr\n"
	    "  -h, --help         show this help\n"
	    "      --version      show the version\n");
}

/* ---- the load map (schemas/load.json) ---- */

/* A JSON pointer, split: each segment as a jv string (kept). */
struct ptr {
	jv *seg;
	char **cseg;		/* the same segments as C strings */
	size_t *clen;
	uint32_t *chash;	/* key_hash of each */
	int n;
};

/* The hash of a member name's bytes, unescaped (jscan.h). */
static inline uint32_t
key_hash(const char *s, size_t n)
{
	struct sp_jname k;

	sp_jname_key(s, n, &k);
	return k.h;
}

/* V_WHEN: not a column's value, a member the rule's 'when' fixes (for 'rest'). */
enum { V_NULL, V_PTR, V_CONST, V_RECORD, V_JSON, V_STRIP, V_FIRST, V_OBJECT, V_LINE, V_REST,
	V_WHEN };

/* At most this many rows a record gives. */
#define ROWS_MAX 16
/* At most this many columns of a row a 'rest' payload leaves out. */
#define REST_MAX 32

struct val {
	int kind;
	struct ptr p;		/* V_PTR, V_JSON, V_STRIP */
	jv cst;			/* V_CONST; V_FIRST's default */
	char *prefix;		/* V_STRIP */
	struct ptr *alts;	/* V_FIRST */
	int nalts;
};

struct rowrule {
	int table;
	struct val *vals;	/* one per column of the table */
	struct ptr *require;
	int nrequire;
	struct ptr *unless;	/* skip the row when the member equals unless_v */
	jv *unless_v;
	int nunless;
	const struct val *rest[REST_MAX];	/* the columns a 'rest' value leaves out */
	int nrest;
	struct val *when;	/* V_WHEN, one per member of the rule's 'when' */
};

struct rule {
	char **wkey;
	jv *wval;
	int nwhen;
	struct rowrule *rows;
	int nrows;
};

struct table {
	char *name, *table;
	char **cols;
	int ncols, direct;
	unsigned char *iskey;	/* per column: part of the table's unique 'key' */
	char *before, *merge, *finish;	/* SQL text or NULL */
	FILE *spool;		/* COPY text rows waiting, or NULL */
	long nrows;		/* rows of the current object */
};

struct map {
	struct table *t;
	int nt;
	struct rule *r;
	int nr;
};

static const char *map_path;

static void
map_die(const char *what)
{
	sp_die(SP_EXIT_DATA, "%s: %s", map_path, what);
}

static char *
slurp(const char *path)
{
	FILE *fp = fopen(path, "r");
	struct sp_buf b = { 0 };
	char tmp[8192];
	size_t n;

	if (fp == NULL)
		sp_die(SP_EXIT_DATA, "%s: %s", path, strerror(errno));
	while ((n = fread(tmp, 1, sizeof tmp, fp)) > 0)
		sp_buf_add(&b, tmp, n);
	if (ferror(fp))
		sp_die(SP_EXIT_DATA, "%s: read error", path);
	fclose(fp);
	if (b.data == NULL)
		sp_buf_adds(&b, "");
	return sp_buf_detach(&b, NULL);
}

static void
ptr_parse(struct ptr *p, const char *s)
{
	struct sp_buf seg = { 0 };

	if (*s != '/' && *s != '\0')
		map_die("a pointer must start with '/'");
	p->seg = NULL;
	p->cseg = NULL;
	p->clen = NULL;
	p->chash = NULL;
	p->n = 0;
	while (*s == '/') {
		sp_buf_reset(&seg);
		for (s++; *s != '\0' && *s != '/'; s++) {
			if (*s == '~' && (s[1] == '0' || s[1] == '1')) {
				sp_buf_addc(&seg, s[1] == '0' ? '~' : '/');
				s++;
			} else {
				sp_buf_addc(&seg, *s);
			}
		}
		p->seg = sp_xreallocarray(p->seg, (size_t)p->n + 1, sizeof *p->seg);
		p->cseg = sp_xreallocarray(p->cseg, (size_t)p->n + 1, sizeof *p->cseg);
		p->clen = sp_xreallocarray(p->clen, (size_t)p->n + 1, sizeof *p->clen);
		p->chash = sp_xreallocarray(p->chash, (size_t)p->n + 1, sizeof *p->chash);
		p->chash[p->n] = key_hash(seg.data ? seg.data : "", seg.len);
		p->cseg[p->n] = sp_xstrdup(seg.data ? seg.data : "");
		p->clen[p->n] = seg.len;
		p->seg[p->n++] = jv_string(seg.data ? seg.data : "");
	}
	sp_buf_free(&seg);
}

/*
 * Whether key token k spells s (n bytes).  An escape only makes a key's
 * text longer than what it spells, so the length decides most cases
 * before any byte is looked at: this runs for every member of every
 * level a pointer goes through.
 */
static int
key_is(const struct sp_jtok *k, const char *s, size_t n)
{
	if (k->len == n + 2)
		return memcmp(k->p + 1, s, n) == 0 &&
		    (memchr(k->p + 1, '\\', n) == NULL || sp_jstr_eq(k, s));
	return k->len > n + 2 && memchr(k->p + 1, '\\', k->len - 2) != NULL && sp_jstr_eq(k, s);
}

/*
 * key_is for a key whose escapes are known (esc: it has some): the
 * lookups of a cached level, which look for escapes once per key rather
 * than once per comparison.
 */
static int
key_is_esc(const struct sp_jtok *k, int esc, const char *s, size_t n)
{
	if (!esc)
		return k->len == n + 2 && memcmp(k->p + 1, s, n) == 0;
	return sp_jstr_eq(k, s);
}

/*
 * The members of a record and of its object-valued members, found once
 * per record: looking a pointer up then scans only the levels below them,
 * not the whole line again for every column.
 */
#define CACHE_MEMBERS 48

struct level {
	struct sp_jtok k[CACHE_MEMBERS], v[CACHE_MEMBERS];
	unsigned char esc[CACHE_MEMBERS];	/* k[i] has escapes */
	uint32_t h[CACHE_MEMBERS];	/* key_hash of k[i] when it has none */
	int n, complete;	/* complete: every member is in k/v */
};

struct mcache {
	struct sp_jtok root;
	struct level top;
	struct level sub[CACHE_MEMBERS];	/* sub[i]: top member i's, when an object */
};

/*
 * Fills level l from iterator it, leaving it past the last member.  With
 * subs, the members of each object-valued member i go into subs[i] in the
 * same walk: the record is read once, not once for each level it has.
 */
static void
level_walk(struct level *l, struct sp_jiter *it, struct level *subs)
{
	struct sp_jtok k, v;

	l->n = 0;
	l->complete = 1;
	while (sp_jiter_key(it, &k)) {
		if (l->n == CACHE_MEMBERS) {
			l->complete = 0;
			sp_jiter_value(it, &v);
			continue;
		}
		if (subs != NULL && *it->p == '{') {
			struct sp_jiter sit;

			sp_jiter_open(&sit, it->p, it->end);
			level_walk(&subs[l->n], &sit, NULL);
			v.type = SP_JSON_OBJECT;
			v.p = it->p;
			v.len = (size_t)(sit.p + 1 - it->p);
			it->p = sit.p + 1;
		} else {
			sp_jiter_value(it, &v);
		}
		l->esc[l->n] = memchr(k.p, '\\', k.len) != NULL;
		l->h[l->n] = key_hash(k.p + 1, k.len - 2);
		l->k[l->n] = k;
		l->v[l->n++] = v;
	}
}

static void
cache_init(struct mcache *mc, const struct sp_jtok *root)
{
	struct sp_jiter it;

	mc->root = *root;
	sp_jiter_init(&it, root);
	level_walk(&mc->top, &it, mc->sub);
}

/* Member named s (n bytes, key_hash h) of level l, or -1 (also when l is incomplete). */
static int
level_find(const struct level *l, const char *s, size_t n, uint32_t h)
{
	int i;

	for (i = 0; i < l->n; i++)
		if ((l->h[i] == h || l->esc[i]) && key_is_esc(&l->k[i], l->esc[i], s, n))
			return i;
	return -1;
}

/* The token at p in the cached record; 0 when absent or null. */
static int
ptr_tok_cached(const struct ptr *p, struct mcache *mc, struct sp_jtok *out);

/* The token at p in t (checked text); 0 when absent or null. */
static int
ptr_tok(const struct ptr *p, const struct sp_jtok *t, struct sp_jtok *out)
{
	struct sp_jtok cur = *t, k, v;
	struct sp_jiter it;
	int i;

	for (i = 0; i < p->n; i++) {
		int found = 0;

		if (cur.type == SP_JSON_OBJECT) {
			sp_jiter_init(&it, &cur);
			while (sp_jiter_next(&it, &k, &v))
				if (key_is(&k, p->cseg[i], p->clen[i])) {
					found = 1;
					break;
				}
		} else if (cur.type == SP_JSON_ARRAY) {
			char *end;
			long idx = strtol(p->cseg[i], &end, 10), j = 0;

			if (*p->cseg[i] == '\0' || *end != '\0' || idx < 0)
				return 0;
			sp_jiter_init(&it, &cur);
			while (sp_jiter_next(&it, NULL, &v))
				if (j++ == idx) {
					found = 1;
					break;
				}
		}
		if (!found)
			return 0;
		cur = v;
	}
	if (cur.type == SP_JSON_NULL)
		return 0;
	*out = cur;
	return 1;
}

/* The part of pointer p after its first k segments (borrowing p's). */
static struct ptr
ptr_after(const struct ptr *p, int k)
{
	struct ptr rest = { NULL, p->cseg + k, p->clen + k, p->chash + k, p->n - k };

	return rest;
}

static int
ptr_tok_cached(const struct ptr *p, struct mcache *mc, struct sp_jtok *out)
{
	struct ptr rest;
	int i, j;

	if (p->n == 0 || !mc->top.complete)
		return ptr_tok(p, &mc->root, out);
	if ((i = level_find(&mc->top, p->cseg[0], p->clen[0], p->chash[0])) < 0)
		return 0;
	if (p->n == 1 || mc->top.v[i].type != SP_JSON_OBJECT || !mc->sub[i].complete) {
		rest = ptr_after(p, 1);
		return ptr_tok(&rest, &mc->top.v[i], out);
	}
	if ((j = level_find(&mc->sub[i], p->cseg[1], p->clen[1], p->chash[1])) < 0)
		return 0;
	rest = ptr_after(p, 2);
	return ptr_tok(&rest, &mc->sub[i].v[j], out);
}

/* Whether token t equals the scalar jv v. */
static int
tok_eq(const struct sp_jtok *t, jv v)
{
	switch (jv_get_kind(v)) {
	case JV_KIND_STRING: return t->type == SP_JSON_STRING && sp_jstr_eq(t, jv_string_value(v));
	case JV_KIND_TRUE: return t->type == SP_JSON_TRUE;
	case JV_KIND_FALSE: return t->type == SP_JSON_FALSE;
	case JV_KIND_NULL: return t->type == SP_JSON_NULL;
	case JV_KIND_NUMBER: return t->type == SP_JSON_NUMBER &&
	    strtod(t->p, NULL) == jv_number_value(v);
	default: return 0;
	}
}

static void
val_parse(struct val *v, jv spec)
{
	jv k;

	memset(v, 0, sizeof *v);
	v->cst = jv_null();
	if (jv_get_kind(spec) == JV_KIND_STRING) {
		v->kind = V_PTR;
		ptr_parse(&v->p, jv_string_value(spec));
		return;
	}
	if (jv_get_kind(spec) != JV_KIND_OBJECT)
		map_die("a value must be a pointer or an object");
	if (jv_object_has(jv_copy(spec), jv_string("const"))) {
		v->kind = V_CONST;
		jv_free(v->cst);
		v->cst = jv_object_get(jv_copy(spec), jv_string("const"));
	} else if (jv_object_has(jv_copy(spec), jv_string("record"))) {
		v->kind = V_RECORD;
	} else if (jv_object_has(jv_copy(spec), jv_string("rest"))) {
		v->kind = V_REST;
	} else if (jv_object_has(jv_copy(spec), jv_string("object"))) {
		v->kind = V_OBJECT;
	} else if (jv_object_has(jv_copy(spec), jv_string("line"))) {
		v->kind = V_LINE;
	} else if (jv_get_kind(k = jv_object_get(jv_copy(spec), jv_string("json"))) == JV_KIND_STRING) {
		v->kind = V_JSON;
		ptr_parse(&v->p, jv_string_value(k));
		jv_free(k);
	} else if (jv_free(k), jv_get_kind(k = jv_object_get(jv_copy(spec),
	    jv_string("strip"))) == JV_KIND_STRING) {
		jv pre = jv_object_get(jv_copy(spec), jv_string("prefix"));

		v->kind = V_STRIP;
		ptr_parse(&v->p, jv_string_value(k));
		jv_free(k);
		if (jv_get_kind(pre) != JV_KIND_STRING)
			map_die("'strip' needs a 'prefix'");
		v->prefix = sp_xstrdup(jv_string_value(pre));
		jv_free(pre);
	} else if (jv_free(k), jv_get_kind(k = jv_object_get(jv_copy(spec),
	    jv_string("first"))) == JV_KIND_ARRAY) {
		v->kind = V_FIRST;
		v->nalts = jv_array_length(jv_copy(k));
		v->alts = sp_xcalloc((size_t)v->nalts + 1, sizeof *v->alts);
		jv_array_foreach(k, i, e) {
			if (jv_get_kind(e) != JV_KIND_STRING)
				map_die("'first' takes pointers");
			ptr_parse(&v->alts[i], jv_string_value(e));
			jv_free(e);
		}
		jv_free(k);
		if (jv_object_has(jv_copy(spec), jv_string("default"))) {
			jv_free(v->cst);
			v->cst = jv_object_get(jv_copy(spec), jv_string("default"));
		}
	} else {
		jv_free(k);
		map_die("unknown value form (pointer, const, record, rest, object, line, json, strip, first)");
	}
}

static int
table_index(const struct map *m, const char *name)
{
	int i;

	for (i = 0; i < m->nt; i++)
		if (strcmp(m->t[i].name, name) == 0)
			return i;
	return -1;
}

static char *
sql_file(jv t, const char *key, const char *dir)
{
	jv f = jv_object_get(jv_copy(t), jv_string(key));
	char *text = NULL;

	if (jv_get_kind(f) == JV_KIND_STRING) {
		struct sp_buf p = { 0 };

		sp_buf_printf(&p, "%s/%s", dir, jv_string_value(f));
		text = slurp(p.data);
		sp_buf_free(&p);
	} else if (jv_is_valid(f) && jv_get_kind(f) != JV_KIND_NULL) {
		map_die("SQL files are named by strings");
	}
	jv_free(f);
	return text;
}

/* Whether row rule rr has a 'rest' value. */
static int
rest_of(const struct rowrule *rr, int ncols)
{
	int c;

	for (c = 0; c < ncols; c++)
		if (rr->vals[c].kind == V_REST)
			return 1;
	return 0;
}

static void
map_load(struct map *m, const char *path)
{
	char *text = slurp(path), *dir;
	jv root = jv_parse(text), tables, records;
	const char *slash = strrchr(path, '/');

	map_path = path;
	dir = slash ? strndup(path, (size_t)(slash - path)) : sp_xstrdup(".");
	free(text);
	if (!jv_is_valid(root) || jv_get_kind(root) != JV_KIND_OBJECT)
		map_die("not a JSON object");
	memset(m, 0, sizeof *m);
	tables = jv_object_get(jv_copy(root), jv_string("tables"));
	records = jv_object_get(jv_copy(root), jv_string("records"));
	if (jv_get_kind(tables) != JV_KIND_OBJECT || jv_get_kind(records) != JV_KIND_ARRAY)
		map_die("needs 'tables' (an object) and 'records' (a list)");
	jv_object_foreach(tables, name, t) {
		struct table *tb;
		jv cols = jv_object_get(jv_copy(t), jv_string("columns"));
		jv tn = jv_object_get(jv_copy(t), jv_string("table"));
		jv direct = jv_object_get(jv_copy(t), jv_string("direct"));

		m->t = sp_xreallocarray(m->t, (size_t)m->nt + 1, sizeof *m->t);
		tb = &m->t[m->nt++];
		memset(tb, 0, sizeof *tb);
		tb->name = sp_xstrdup(jv_string_value(name));
		if (jv_get_kind(tn) != JV_KIND_STRING || jv_get_kind(cols) != JV_KIND_ARRAY)
			map_die("a table needs 'table' and 'columns'");
		tb->table = sp_xstrdup(jv_string_value(tn));
		tb->ncols = jv_array_length(jv_copy(cols));
		tb->cols = sp_xcalloc((size_t)tb->ncols, sizeof *tb->cols);
		jv_array_foreach(cols, i, c) {
			if (jv_get_kind(c) != JV_KIND_STRING)
				map_die("column names are strings");
			tb->cols[i] = sp_xstrdup(jv_string_value(c));
			jv_free(c);
		}
		tb->direct = jv_get_kind(direct) == JV_KIND_TRUE;
		{
			jv key = jv_object_get(jv_copy(t), jv_string("key"));

			if (jv_get_kind(key) == JV_KIND_ARRAY) {
				tb->iskey = sp_xcalloc((size_t)tb->ncols, 1);
				jv_array_foreach(key, ki, kc) {
					int c, found = 0;

					for (c = 0; c < tb->ncols; c++)
						if (jv_get_kind(kc) == JV_KIND_STRING &&
						    strcmp(tb->cols[c], jv_string_value(kc)) == 0)
							found = tb->iskey[c] = 1;
					if (!found)
						map_die("a table's 'key' names a column it does not list");
					jv_free(kc);
					(void)ki;
				}
			} else if (jv_is_valid(key) && jv_get_kind(key) != JV_KIND_NULL) {
				map_die("a table's 'key' is a list of column names");
			}
			jv_free(key);
		}
		tb->before = sql_file(t, "before", dir);
		tb->merge = sql_file(t, "merge", dir);
		tb->finish = sql_file(t, "finish", dir);
		if (tb->merge == NULL)
			map_die("a table needs a 'merge' SQL file");
		jv_free(cols);
		jv_free(tn);
		jv_free(direct);
		jv_free(name);
		jv_free(t);
	}
	jv_array_foreach(records, ri, r) {
		jv when = jv_object_get(jv_copy(r), jv_string("when"));
		jv rows = jv_object_get(jv_copy(r), jv_string("rows"));
		struct rule *ru;

		if (jv_get_kind(when) != JV_KIND_OBJECT || jv_get_kind(rows) != JV_KIND_ARRAY)
			map_die("a record rule needs 'when' (an object) and 'rows' (a list)");
		m->r = sp_xreallocarray(m->r, (size_t)m->nr + 1, sizeof *m->r);
		ru = &m->r[m->nr++];
		memset(ru, 0, sizeof *ru);
		jv_object_foreach(when, wk, wv) {
			ru->wkey = sp_xreallocarray(ru->wkey, (size_t)ru->nwhen + 1, sizeof *ru->wkey);
			ru->wval = sp_xreallocarray(ru->wval, (size_t)ru->nwhen + 1, sizeof *ru->wval);
			ru->wkey[ru->nwhen] = sp_xstrdup(jv_string_value(wk));
			ru->wval[ru->nwhen++] = wv;
			jv_free(wk);
		}
		ru->nrows = jv_array_length(jv_copy(rows));
		if (ru->nrows > ROWS_MAX)
			map_die("a record rule gives at most 16 rows");
		ru->rows = sp_xcalloc((size_t)ru->nrows, sizeof *ru->rows);
		jv_array_foreach(rows, i, row) {
			struct rowrule *rr = &ru->rows[i];
			jv into = jv_object_get(jv_copy(row), jv_string("into"));
			jv vals = jv_object_get(jv_copy(row), jv_string("values"));
			jv req = jv_object_get(jv_copy(row), jv_string("require"));
			jv unl = jv_object_get(jv_copy(row), jv_string("unless"));
			struct table *tb;
			int c;

			if (jv_get_kind(into) != JV_KIND_STRING ||
			    (rr->table = table_index(m, jv_string_value(into))) < 0)
				map_die("a row's 'into' must name a table of 'tables'");
			if (jv_get_kind(vals) != JV_KIND_OBJECT)
				map_die("a row needs 'values'");
			tb = &m->t[rr->table];
			rr->vals = sp_xcalloc((size_t)tb->ncols, sizeof *rr->vals);
			for (c = 0; c < tb->ncols; c++) {
				jv spec = jv_object_get(jv_copy(vals), jv_string(tb->cols[c]));

				if (jv_is_valid(spec)) {
					val_parse(&rr->vals[c], spec);
				} else {
					rr->vals[c].kind = V_NULL;
					rr->vals[c].cst = jv_null();
				}
				jv_free(spec);
			}
			for (c = 0; c < tb->ncols && rest_of(rr, tb->ncols); c++) {
				if (rr->vals[c].kind != V_PTR && rr->vals[c].kind != V_STRIP)
					continue;
				if (rr->nrest == REST_MAX)
					map_die("a row's 'rest' leaves out at most 32 columns");
				rr->rest[rr->nrest++] = &rr->vals[c];
			}
			if (rest_of(rr, tb->ncols)) {
				int w;

				rr->when = sp_xcalloc((size_t)ru->nwhen + 1, sizeof *rr->when);
				for (w = 0; w < ru->nwhen; w++) {
					struct sp_buf pp = { 0 };

					if (rr->nrest == REST_MAX)
						map_die("a row's 'rest' leaves out at most 32 columns");
					sp_buf_addc(&pp, '/');
					for (const char *q = ru->wkey[w]; *q != '\0'; q++)
						sp_buf_adds(&pp, *q == '~' ? "~0" : *q == '/' ? "~1" :
						    (char[2]){ *q, '\0' });
					rr->when[w].kind = V_WHEN;
					rr->when[w].cst = jv_null();
					ptr_parse(&rr->when[w].p, pp.data);
					sp_buf_free(&pp);
					rr->rest[rr->nrest++] = &rr->when[w];
				}
			}
			jv_object_foreach(vals, vk, vv) {
				int found = 0;

				for (c = 0; c < tb->ncols; c++)
					found |= strcmp(tb->cols[c], jv_string_value(vk)) == 0;
				if (!found)
					map_die("a row names a column its table does not list");
				jv_free(vk);
				jv_free(vv);
			}
			if (jv_get_kind(req) == JV_KIND_ARRAY) {
				rr->nrequire = jv_array_length(jv_copy(req));
				rr->require = sp_xcalloc((size_t)rr->nrequire + 1, sizeof *rr->require);
				jv_array_foreach(req, k, e) {
					ptr_parse(&rr->require[k], jv_string_value(e));
					jv_free(e);
				}
			}
			if (jv_get_kind(unl) == JV_KIND_OBJECT) {
				jv_object_foreach(unl, uk, uv) {
					rr->unless = sp_xreallocarray(rr->unless, (size_t)rr->nunless + 1,
					    sizeof *rr->unless);
					rr->unless_v = sp_xreallocarray(rr->unless_v, (size_t)rr->nunless + 1,
					    sizeof *rr->unless_v);
					ptr_parse(&rr->unless[rr->nunless], jv_string_value(uk));
					rr->unless_v[rr->nunless++] = uv;
					jv_free(uk);
				}
			}
			jv_free(into);
			jv_free(vals);
			jv_free(req);
			jv_free(unl);
			jv_free(row);
		}
		jv_free(when);
		jv_free(rows);
		jv_free(r);
	}
	jv_free(tables);
	jv_free(records);
	jv_free(root);
	free(dir);
}

static void
ptr_free(struct ptr *p)
{
	int i;

	for (i = 0; i < p->n; i++) {
		jv_free(p->seg[i]);
		free(p->cseg[i]);
	}
	free(p->seg);
	free(p->cseg);
	free(p->clen);
	free(p->chash);
}

static void
map_free(struct map *m)
{
	int i, j, c, k;

	for (i = 0; i < m->nr; i++) {
		struct rule *ru = &m->r[i];

		for (k = 0; k < ru->nwhen; k++) {
			free(ru->wkey[k]);
			jv_free(ru->wval[k]);
		}
		free(ru->wkey);
		free(ru->wval);
		for (j = 0; j < ru->nrows; j++) {
			struct rowrule *rr = &ru->rows[j];

			for (c = 0; c < m->t[rr->table].ncols; c++) {
				struct val *v = &rr->vals[c];

				ptr_free(&v->p);
				jv_free(v->cst);
				free(v->prefix);
				for (k = 0; k < v->nalts; k++)
					ptr_free(&v->alts[k]);
				free(v->alts);
			}
			free(rr->vals);
			for (k = 0; rr->when != NULL && k < ru->nwhen; k++) {
				ptr_free(&rr->when[k].p);
				jv_free(rr->when[k].cst);
			}
			free(rr->when);
			for (k = 0; k < rr->nrequire; k++)
				ptr_free(&rr->require[k]);
			free(rr->require);
			for (k = 0; k < rr->nunless; k++) {
				ptr_free(&rr->unless[k]);
				jv_free(rr->unless_v[k]);
			}
			free(rr->unless);
			free(rr->unless_v);
		}
		free(ru->rows);
	}
	free(m->r);
	for (i = 0; i < m->nt; i++) {
		struct table *t = &m->t[i];

		free(t->name);
		free(t->table);
		free(t->iskey);
		for (c = 0; c < t->ncols; c++)
			free(t->cols[c]);
		free(t->cols);
		free(t->before);
		free(t->merge);
		free(t->finish);
	}
	free(m->t);
}

/* The first rule whose 'when' members all equal the record's, or NULL. */
static const struct rule *
rule_for(const struct map *m, const struct mcache *mc)
{
	struct sp_jiter it;
	struct sp_jtok k, v;
	int i, w, j;

	for (i = 0; i < m->nr; i++) {
		for (w = 0; w < m->r[i].nwhen; w++) {
			const char *wk = m->r[i].wkey[w];
			int ok = 0;

			if (mc->top.complete) {
				if ((j = level_find(&mc->top, wk, strlen(wk), key_hash(wk, strlen(wk)))) >= 0)
					ok = tok_eq(&mc->top.v[j], m->r[i].wval[w]);
			} else {
				sp_jiter_init(&it, &mc->root);
				while (sp_jiter_next(&it, &k, &v))
					if (sp_jstr_eq(&k, wk)) {
						ok = tok_eq(&v, m->r[i].wval[w]);
						break;
					}
			}
			if (!ok)
				break;
		}
		if (w == m->r[i].nwhen)
			return &m->r[i];
	}
	return NULL;
}

/* ---- COPY text ---- */

/*
 * copy_field: sp_copy_field's escaping (backslash, tab, newline, carriage
 * return) with one size check per field rather than per byte: this runs
 * for every column of every row.
 */
static void
copy_field(struct sp_buf *b, const char *s, size_t n)
{
	char *o;
	size_t i;

	sp_buf_grow(b, 2 * n);
	o = b->data + b->len;
	for (i = 0; i < n; i++) {
		char ch = s[i];

		switch (ch) {
		case '\\': *o++ = '\\'; *o++ = '\\'; break;
		case '\t': *o++ = '\\'; *o++ = 't'; break;
		case '\n': *o++ = '\\'; *o++ = 'n'; break;
		case '\r': *o++ = '\\'; *o++ = 'r'; break;
		default: *o++ = ch; break;
		}
	}
	b->len = (size_t)(o - b->data);
	b->data[b->len] = '\0';
}

struct rec {
	struct mcache *mc;
	const char *line;
	size_t len;
	long lineno;
	const char *name;		/* the object's name */
	struct sp_buf *tmp;
	const struct rowrule *rr;	/* the row being made */
};

/*
 * Whether a column of value vl surely holds member value v: a scalar for
 * a pointer (a null stays in the payload, to tell it from an absent
 * member), a string with the prefix for 'strip'.  Only then may a 'rest'
 * payload leave the member out and lose nothing.
 */
static int
held(const struct val *vl, const struct sp_jtok *v)
{
	size_t pl;

	if (vl->kind == V_WHEN)
		return 1;	/* the rule matched: the member equals its 'when' value */
	if (vl->kind == V_PTR)
		return v->type == SP_JSON_STRING || v->type == SP_JSON_NUMBER ||
		    v->type == SP_JSON_TRUE || v->type == SP_JSON_FALSE;
	pl = strlen(vl->prefix);
	return v->type == SP_JSON_STRING && v->len >= pl + 2 &&
	    memchr(v->p, '\\', v->len) == NULL && memcmp(v->p + 1, vl->prefix, pl) == 0;
}

/*
 * Appends object t as JSON text without the members that the columns of
 * rr in active (a bit per rr->rest) hold at this depth: the 'rest' of the
 * record.  Members are looked up in the cached levels when there are
 * some (lv, and subs, the levels below it, at the top), so the record is
 * not scanned again.
 */
static void
rest_emit(struct sp_buf *b, const struct sp_jtok *t, const struct level *lv,
    const struct level *subs, const struct rowrule *rr, int depth, unsigned active)
{
	struct sp_jiter it;
	struct sp_jtok k, v;
	unsigned done = 0;
	int m, i, first = 1, cached = lv != NULL && lv->complete;

	if (!cached)
		sp_jiter_init(&it, t);
	sp_buf_addc(b, '{');
	for (m = 0; cached ? m < lv->n : sp_jiter_next(&it, &k, &v); m++) {
		unsigned sub = 0;
		int drop = 0, esc;
		uint32_t h;

		if (cached) {
			k = lv->k[m];
			v = lv->v[m];
			esc = lv->esc[m];
			h = lv->h[m];
		} else {
			esc = memchr(k.p, '\\', k.len) != NULL;
			h = key_hash(k.p + 1, k.len - 2);
		}
		for (i = 0; i < rr->nrest; i++) {
			const struct ptr *p = &rr->rest[i]->p;

			/* Only the first member of a name is on the column's path. */
			if (!(active & 1u << i) || (done & 1u << i) || p->n <= depth ||
			    (!esc && h != p->chash[depth]) ||
			    !key_is_esc(&k, esc, p->cseg[depth], p->clen[depth]))
				continue;
			done |= 1u << i;
			if (p->n > depth + 1)
				sub |= 1u << i;
			else if (held(rr->rest[i], &v))
				drop = 1;
		}
		if (drop)
			continue;
		if (!first)
			sp_buf_addc(b, ',');
		first = 0;
		sp_buf_add(b, k.p, k.len);
		sp_buf_addc(b, ':');
		if (sub != 0 && v.type == SP_JSON_OBJECT) {
			rest_emit(b, &v, subs != NULL && cached ? &subs[m] : NULL, NULL, rr,
			    depth + 1, sub);
		} else {
			sp_buf_add(b, v.p, v.len);
		}
	}
	sp_buf_addc(b, '}');
}

/*
 * The text of token t as a COPY field carries it, before escaping (what
 * the text form carries): 1 with *s, *n (into the record, or into out), 0 for
 * null.  json: strings stay JSON text.
 */
static int
tok_text(const struct sp_jtok *t, int json, struct sp_buf *out, const char **s, size_t *n)
{
	switch (t->type) {
	case SP_JSON_NULL:
		return 0;
	case SP_JSON_STRING:
		if (json) {
			*s = t->p, *n = t->len;
		} else if (memchr(t->p, '\\', t->len) == NULL) {
			*s = t->p + 1, *n = t->len - 2;
		} else {
			sp_buf_reset(out);
			sp_jstr_decode(t, out);
			*s = out->data ? out->data : "", *n = out->len;
		}
		return 1;
	case SP_JSON_NUMBER:
		*s = t->p, *n = t->len;
		if (memchr(t->p, '.', t->len) != NULL || memchr(t->p, 'e', t->len) != NULL ||
		    memchr(t->p, 'E', t->len) != NULL) {
			double d = strtod(t->p, NULL);

			if (d == (double)(long long)d && d > -9e18 && d < 9e18) {
				sp_buf_reset(out);
				sp_buf_printf(out, "%lld", (long long)d);
				*s = out->data, *n = out->len;
			}
		}
		return 1;
	case SP_JSON_TRUE: *s = "t", *n = 1; return 1;
	case SP_JSON_FALSE: *s = "f", *n = 1; return 1;
	default: *s = t->p, *n = t->len; return 1;
	}
}

/* tok_text for a constant v (kept by the caller); other than a string's, the text is made in out. */
static int
jv_text(jv v, int json, struct sp_buf *out, const char **s, size_t *n)
{
	double d;

	sp_buf_reset(out);
	switch (jv_get_kind(v)) {
	case JV_KIND_NULL:
	case JV_KIND_INVALID:
		return 0;
	case JV_KIND_TRUE: *s = "t", *n = 1; return 1;
	case JV_KIND_FALSE: *s = "f", *n = 1; return 1;
	case JV_KIND_NUMBER:
		d = jv_number_value(v);
		if (d == (double)(long long)d && d > -9e18 && d < 9e18)
			sp_buf_printf(out, "%lld", (long long)d);
		else
			sp_buf_printf(out, "%.17g", d);
		break;
	case JV_KIND_STRING:
		if (!json) {
			/* The constant's own text: it lives as long as the map. */
			*s = jv_string_value(v), *n = (size_t)jv_string_length_bytes(jv_copy(v));
			return 1;
		}
		/* fall through */
	default: {
		jv t = jv_dump_string(jv_copy(v), 0);

		sp_buf_add(out, jv_string_value(t), (size_t)jv_string_length_bytes(jv_copy(t)));
		jv_free(t);
		break;
	}
	}
	*s = out->data ? out->data : "", *n = out->len;
	return 1;
}

/*
 * The text of value vl for record r, as the text form of COPY carries it
 * before escaping: 1 with *s, *n (into the record or
 * into out), 0 for null.
 */
static int
val_text(const struct val *vl, const struct rec *r, struct sp_buf *out, const char **s,
    size_t *n)
{
	struct sp_jtok x;
	int i;

	switch (vl->kind) {
	case V_PTR:
	case V_JSON:
		return ptr_tok_cached(&vl->p, r->mc, &x) && tok_text(&x, vl->kind == V_JSON, out, s, n);
	case V_CONST:
		return jv_text(vl->cst, 0, out, s, n);
	case V_RECORD:
		*s = r->line, *n = r->len;
		return 1;
	case V_REST:
		sp_buf_reset(out);
		rest_emit(out, &r->mc->root, &r->mc->top, r->mc->sub, r->rr, 0,
		    r->rr->nrest == REST_MAX ? ~0u : (1u << r->rr->nrest) - 1);
		*s = out->data, *n = out->len;
		return 1;
	case V_OBJECT:
		*s = r->name, *n = strlen(r->name);
		return 1;
	case V_LINE: {
		/* Digits by hand: every row has a line number. */
		char d[24], *e = d + sizeof d, *q = e;
		unsigned long u = r->lineno < 0 ? -(unsigned long)r->lineno : (unsigned long)r->lineno;

		do
			*--q = (char)('0' + u % 10);
		while ((u /= 10) != 0);
		if (r->lineno < 0)
			*--q = '-';
		sp_buf_reset(out);
		sp_buf_add(out, q, (size_t)(e - q));
		*s = out->data, *n = out->len;
		return 1;
	}
	case V_STRIP: {
		size_t pl = strlen(vl->prefix);

		sp_buf_reset(out);
		if (ptr_tok_cached(&vl->p, r->mc, &x) && x.type == SP_JSON_STRING)
			sp_jstr_decode(&x, out);
		if (out->len < pl || memcmp(out->data, vl->prefix, pl) != 0)
			return 0;
		*s = out->data + pl, *n = out->len - pl;
		return 1;
	}
	case V_FIRST:
		for (i = 0; i < vl->nalts; i++)
			if (ptr_tok_cached(&vl->alts[i], r->mc, &x))
				return tok_text(&x, 0, out, s, n);
		return jv_text(vl->cst, 0, out, s, n);
	default:
		return 0;
	}
}

/* Whether row rule rr applies to the record. */
static int
row_applies(const struct rowrule *rr, struct mcache *t)
{
	struct sp_jtok x;
	int i;

	for (i = 0; i < rr->nrequire; i++)
		if (!ptr_tok_cached(&rr->require[i], t, &x))
			return 0;
	for (i = 0; i < rr->nunless; i++)
		if (ptr_tok_cached(&rr->unless[i], t, &x) && tok_eq(&x, rr->unless_v[i]))
			return 0;
	return 1;
}

/* ---- reading an object: bytes (hashed), gunzipped when .gz, lines ---- */

struct reader {
	FILE *fp;
	const char *name;
	int gz, zdone;
	z_stream z;
	struct sp_sha256 hash;
	unsigned char in[1 << 16];
	char *out;		/* decompressed bytes not yet returned */
	size_t out_cap, out_len, out_pos;
	struct sp_buf line;
	long lineno;
	int eof;
	char err[256];
};

/* raw: the bytes as stored, even of a .gz object (for its checksum). */
static int
reader_open(struct reader *rd, FILE *fp, const char *name, int raw)
{
	size_t l = strlen(name);

	memset(rd, 0, sizeof *rd);
	rd->fp = fp;
	rd->name = name;
	rd->gz = !raw && l > 3 && strcmp(name + l - 3, ".gz") == 0;
	sp_sha256_init(&rd->hash);
	rd->out_cap = 1 << 18;
	rd->out = sp_xmalloc(rd->out_cap);
	if (rd->gz && inflateInit2(&rd->z, 15 + 16) != Z_OK)
		sp_die(SP_EXIT_DATA, "zlib: cannot initialise");
	return 0;
}

static void
reader_close(struct reader *rd)
{
	if (rd->gz)
		inflateEnd(&rd->z);
	free(rd->out);
	sp_buf_free(&rd->line);
}

/* Refills rd->out; returns 1 with data, 0 at the end, -1 on error (rd->err). */
static int
reader_fill(struct reader *rd)
{
	size_t n;

	rd->out_pos = rd->out_len = 0;
	for (;;) {
		if (!rd->gz) {
			n = fread(rd->out, 1, rd->out_cap, rd->fp);
			if (n == 0) {
				if (ferror(rd->fp)) {
					snprintf(rd->err, sizeof rd->err, "read error: %s", strerror(errno));
					return -1;
				}
				return 0;
			}
			sp_sha256_update(&rd->hash, rd->out, n);
			rd->out_len = n;
			return 1;
		}
		if (rd->z.avail_in == 0) {
			n = fread(rd->in, 1, sizeof rd->in, rd->fp);
			if (n == 0) {
				if (ferror(rd->fp)) {
					snprintf(rd->err, sizeof rd->err, "read error: %s", strerror(errno));
					return -1;
				}
				if (!rd->zdone) {
					snprintf(rd->err, sizeof rd->err, "truncated gzip data");
					return -1;
				}
				return 0;
			}
			sp_sha256_update(&rd->hash, rd->in, n);
			rd->z.next_in = rd->in;
			rd->z.avail_in = (uInt)n;
		}
		if (rd->zdone) {
			/* Another gzip member follows (concatenated gzip is gzip). */
			if (inflateReset(&rd->z) != Z_OK) {
				snprintf(rd->err, sizeof rd->err, "zlib: cannot reset");
				return -1;
			}
			rd->zdone = 0;
		}
		rd->z.next_out = (unsigned char *)rd->out;
		rd->z.avail_out = (uInt)rd->out_cap;
		int zr = inflate(&rd->z, Z_NO_FLUSH);

		if (zr == Z_STREAM_END)
			rd->zdone = 1;
		else if (zr != Z_OK && zr != Z_BUF_ERROR) {
			snprintf(rd->err, sizeof rd->err, "invalid gzip data: %s",
			    rd->z.msg ? rd->z.msg : "error");
			return -1;
		}
		rd->out_len = rd->out_cap - rd->z.avail_out;
		if (rd->out_len > 0)
			return 1;
	}
}

/* The next line (no newline) in rd->line; 1, 0 at the end, -1 on error. */
static int
reader_line(struct reader *rd)
{
	sp_buf_reset(&rd->line);
	for (;;) {
		if (rd->out_pos == rd->out_len) {
			int r = rd->eof ? 0 : reader_fill(rd);

			if (r < 0)
				return -1;
			if (r == 0) {
				rd->eof = 1;
				if (rd->line.len == 0)
					return 0;
				break;
			}
		}
		char *p = rd->out + rd->out_pos;
		char *nl = memchr(p, '\n', rd->out_len - rd->out_pos);
		size_t take = nl ? (size_t)(nl - p) : rd->out_len - rd->out_pos;

		if (rd->line.len + take > LINE_MAX_BYTES) {
			snprintf(rd->err, sizeof rd->err, "line %ld longer than %u bytes",
			    rd->lineno + 1, LINE_MAX_BYTES);
			return -1;
		}
		sp_buf_add(&rd->line, p, take);
		rd->out_pos += take + (nl != NULL);
		if (nl != NULL)
			break;
	}
	rd->lineno++;
	if (rd->line.len > 0 && rd->line.data[rd->line.len - 1] == '\r')
		rd->line.data[--rd->line.len] = '\0';
	if (rd->line.data == NULL)
		sp_buf_adds(&rd->line, "");
	return 1;
}

/* Reads the rest of the object, for its checksum only. */
static int
reader_drain(struct reader *rd)
{
	int r;

	while ((r = reader_line(rd)) > 0)
		;
	return r;
}

/* ---- checking lines in a thread of its own ---- */

/*
 * Reading an object (gunzip, SHA-256) and checking its lines (strict JSON,
 * UTF-8, the dataset's schema) take about half of this side's time; a
 * checker thread does them while the main thread turns the lines checked
 * before into rows and sends them.  They pass lines in a few batches of
 * bounded size, in order, so memory stays constant.
 */
#define NBATCH 4
#define BATCH_BYTES (1u << 20)
#define BATCH_LINES 4096

/* What the checker found of a line. */
enum { L_OK, L_JSON, L_KIND, L_INVALID, L_RAW };

struct lent {
	size_t off, len;	/* the line (NUL-terminated) in the batch's text */
	long lineno;
	int what;		/* L_* */
	size_t x_off, x_len;	/* L_OK: the record's token in the line;
				   L_INVALID: the reason in the batch's text */
};

struct batch {
	struct sp_buf text;
	struct lent *e;
	size_t n, cap;
};

struct checker {
	pthread_t th;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct batch b[NBATCH];
	unsigned long filled, used;	/* batches handed over, and given back */
	int done, stop, r;	/* r: the reader's last result (0 or -1) */
	struct reader *rd;
	struct sp_schema *schema;	/* NULL: lines go unchecked (L_RAW) */
};

static void
batch_add(struct batch *b, const char *line, size_t len, long lineno, int what,
    size_t x_off, size_t x_len)
{
	struct lent *e;

	if (b->n == b->cap)
		b->e = sp_xreallocarray(b->e, b->cap = b->cap ? 2 * b->cap : 256, sizeof *b->e);
	e = &b->e[b->n++];
	e->off = b->text.len;
	e->len = len;
	e->lineno = lineno;
	e->what = what;
	e->x_off = x_off;
	e->x_len = x_len;
	sp_buf_add(&b->text, line, len);
	sp_buf_addc(&b->text, '\0');
}

/* Checks one line into batch b (a blank line is left out). */
static void
check_line(struct checker *ck, struct batch *b, struct sp_buf *why)
{
	const char *line = ck->rd->line.data;
	size_t len = ck->rd->line.len, k = 0;
	long lineno = ck->rd->lineno;
	struct sp_jtok tok;
	size_t at;

	while (k < len && (line[k] == ' ' || line[k] == '\t'))
		k++;
	if (k == len)
		return;
	if (ck->schema == NULL) {
		batch_add(b, line, len, lineno, L_RAW, 0, 0);
		return;
	}
	if (sp_jscan(line, len, &tok) != 0) {
		batch_add(b, line, len, lineno, L_JSON, 0, 0);
		return;
	}
	if (tok.type != SP_JSON_OBJECT) {
		batch_add(b, line, len, lineno, L_KIND, 0, 0);
		return;
	}
	sp_buf_reset(why);
	if (sp_json_text_ok(line, len, why) && sp_schema_check_text(ck->schema, &tok, why) == 0) {
		batch_add(b, line, len, lineno, L_OK, (size_t)(tok.p - line), tok.len);
		return;
	}
	batch_add(b, line, len, lineno, L_INVALID, 0, 0);
	at = b->text.len;
	sp_buf_add(&b->text, why->data ? why->data : "", why->len);
	sp_buf_addc(&b->text, '\0');
	b->e[b->n - 1].x_off = at;
	b->e[b->n - 1].x_len = why->len;
}

static void *
check_main(void *arg)
{
	struct checker *ck = arg;
	struct sp_buf why = { 0 };
	int r = 1;

	while (r > 0) {
		struct batch *b;

		pthread_mutex_lock(&ck->mu);
		while (!ck->stop && ck->filled - ck->used == NBATCH)
			pthread_cond_wait(&ck->cv, &ck->mu);
		b = ck->stop ? NULL : &ck->b[ck->filled % NBATCH];
		pthread_mutex_unlock(&ck->mu);
		if (b == NULL)
			break;
		sp_buf_reset(&b->text);
		b->n = 0;
		while (b->text.len < BATCH_BYTES && b->n < BATCH_LINES &&
		    (r = reader_line(ck->rd)) > 0)
			check_line(ck, b, &why);
		pthread_mutex_lock(&ck->mu);
		ck->filled++;
		if (r <= 0) {
			ck->done = 1;
			ck->r = r;
		}
		pthread_cond_broadcast(&ck->cv);
		pthread_mutex_unlock(&ck->mu);
	}
	sp_buf_free(&why);
	return NULL;
}

static void
ck_start(struct checker *ck, struct reader *rd, struct sp_schema *schema)
{
	int e;

	memset(ck, 0, sizeof *ck);
	ck->rd = rd;
	ck->schema = schema;
	pthread_mutex_init(&ck->mu, NULL);
	pthread_cond_init(&ck->cv, NULL);
	if ((e = pthread_create(&ck->th, NULL, check_main, ck)) != 0)
		sp_die(SP_EXIT_DATA, "cannot start a thread: %s", strerror(e));
}

/* The next batch of checked lines, or NULL after the last. */
static struct batch *
ck_next(struct checker *ck)
{
	struct batch *b;

	pthread_mutex_lock(&ck->mu);
	while (ck->filled == ck->used && !ck->done)
		pthread_cond_wait(&ck->cv, &ck->mu);
	b = ck->filled == ck->used ? NULL : &ck->b[ck->used % NBATCH];
	pthread_mutex_unlock(&ck->mu);
	return b;
}

/* Gives the batch ck_next returned back to the checker. */
static void
ck_release(struct checker *ck)
{
	pthread_mutex_lock(&ck->mu);
	ck->used++;
	pthread_cond_broadcast(&ck->cv);
	pthread_mutex_unlock(&ck->mu);
}

/*
 * Stops the checker (at once, or after the batch it is filling) and waits
 * for it; returns the reader's last result: -1 for an unreadable object,
 * else 0 (1 when stopped before the end).
 */
static int
ck_stop(struct checker *ck)
{
	int i, r;

	pthread_mutex_lock(&ck->mu);
	ck->stop = 1;
	pthread_cond_broadcast(&ck->cv);
	pthread_mutex_unlock(&ck->mu);
	pthread_join(ck->th, NULL);
	r = ck->done ? ck->r : 1;
	for (i = 0; i < NBATCH; i++) {
		sp_buf_free(&ck->b[i].text);
		free(ck->b[i].e);
	}
	pthread_mutex_destroy(&ck->mu);
	pthread_cond_destroy(&ck->cv);
	return r;
}

/* ---- loading ---- */

/*
 * The unique keys of the direct table's last DUP_WINDOW rows in an object.
 * A record that repeats one of them (Spotify's exports repeat some rows,
 * next to each other) is left out of the COPY, as the merge path would
 * leave it out: otherwise the unique key stops the COPY at the end and
 * the whole object goes through the merge path, four times slower.  Equal
 * text is an equal key for PostgreSQL; a repeat farther apart, or one
 * spelt differently, still ends in the merge path.  Memory is bounded.
 */
#define DUP_WINDOW 4096		/* a power of 2 */

struct dupwin {
	char *key[DUP_WINDOW];
	size_t klen[DUP_WINDOW];
	uint64_t h[DUP_WINDOW];
	int next[DUP_WINDOW];	/* the bucket chains */
	int bucket[2 * DUP_WINDOW];
	long n;			/* keys added */
	struct sp_buf make;	/* the key being made (make_rows) */
};

static void
dupwin_reset(struct dupwin *w)
{
	int i;

	for (i = 0; i < DUP_WINDOW; i++) {
		free(w->key[i]);
		w->key[i] = NULL;
	}
	for (i = 0; i < 2 * DUP_WINDOW; i++)
		w->bucket[i] = -1;
	w->n = 0;
}

/* Whether key k (n bytes) is among the last DUP_WINDOW added; adds it if not. */
static int
dupwin_seen(struct dupwin *w, const char *k, size_t n)
{
	uint64_t h = sp_str_hash(k, n);
	int b = (int)(h & (2 * DUP_WINDOW - 1)), i, slot, *pp;

	for (i = w->bucket[b]; i >= 0; i = w->next[i])
		if (w->h[i] == h && w->klen[i] == n && memcmp(w->key[i], k, n) == 0)
			return 1;
	slot = (int)(w->n++ & (DUP_WINDOW - 1));
	if (w->key[slot] != NULL) {
		/* The oldest key leaves its chain. */
		for (pp = &w->bucket[w->h[slot] & (2 * DUP_WINDOW - 1)]; *pp != slot; pp = &w->next[*pp])
			;
		*pp = w->next[slot];
		free(w->key[slot]);
	}
	w->key[slot] = sp_xmalloc(n ? n : 1);
	memcpy(w->key[slot], k, n);
	w->klen[slot] = n;
	w->h[slot] = h;
	w->next[slot] = w->bucket[b];
	w->bucket[b] = slot;
	return 0;
}

struct loader {
	PGconn *db;
	struct sp_store *st;
	struct map map;
	int verbose;
	char **ledger;		/* "object\tchecksum", sorted */
	size_t nledger;
	struct sp_buf copy;	/* COPY data being gathered for the direct table */
	enum sp_cb_type *bin;	/* the direct table's column types, when all have a binary form */
	struct dupwin *win;	/* the direct table's recent keys, when it has a key */
	long repeats;		/* records of the object left out by win */
	FILE *rejects;		/* COPY rows for raw.rejects */
	long nrejects;
	int status;		/* the exit status so far */
};

struct dataset {
	char *name;
	struct sp_schema *schema;
};

static struct dataset *datasets;
static size_t ndatasets;

/* The schema of dataset name (loaded once), or NULL if it has none. */
static struct sp_schema *
schema_for(const char *name)
{
	struct sp_buf p = { 0 };
	char *path;
	struct stat sb;
	size_t i;

	for (i = 0; i < ndatasets; i++)
		if (strcmp(datasets[i].name, name) == 0)
			return datasets[i].schema;
	sp_buf_printf(&p, "schemas/%s.schema.json", name);
	path = sp_share_path(p.data);
	sp_buf_free(&p);
	datasets = sp_xreallocarray(datasets, ndatasets + 1, sizeof *datasets);
	datasets[ndatasets].name = sp_xstrdup(name);
	datasets[ndatasets].schema = stat(path, &sb) == 0 ? sp_schema_load(path) : NULL;
	if (datasets[ndatasets].schema == NULL && stat(path, &sb) == 0)
		exit(SP_EXIT_DATA);
	free(path);
	return datasets[ndatasets++].schema;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The ledger's checksum of object name, or NULL. */
static const char *
ledger_find(const struct loader *L, const char *name)
{
	size_t lo = 0, hi = L->nledger, n = strlen(name);

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strncmp(L->ledger[mid], name, n);

		if (c == 0 && L->ledger[mid][n] != '\t')
			c = (unsigned char)L->ledger[mid][n] < '\t' ? -1 : 1;
		if (c == 0)
			return L->ledger[mid] + n + 1;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static int
ledger_read(struct loader *L)
{
	PGresult *r = sp_pg_query(L->db, "select object, checksum from raw.load_ledger", 0, NULL);
	int i;

	if (r == NULL)
		return -1;
	L->nledger = (size_t)PQntuples(r);
	L->ledger = sp_xcalloc(L->nledger + 1, sizeof *L->ledger);
	for (i = 0; i < PQntuples(r); i++) {
		struct sp_buf b = { 0 };

		sp_buf_printf(&b, "%s\t%s", PQgetvalue(r, i, 0), PQgetvalue(r, i, 1));
		L->ledger[i] = sp_buf_detach(&b, NULL);
	}
	PQclear(r);
	qsort(L->ledger, L->nledger, sizeof *L->ledger, cmp_str);
	return 0;
}

static int
exec1(PGconn *db, const char *sql, const char *p1)
{
	const char *p[1] = { p1 };
	PGresult *r = sp_pg_query(db, sql, p1 ? 1 : 0, p1 ? p : NULL);

	if (r == NULL)
		return -1;
	PQclear(r);
	return 0;
}

/* Sends a spool file to COPY sql; 0 or -1. */
static int
copy_spool(PGconn *db, const char *sql, FILE *fp)
{
	char buf[65536];
	size_t n;

	if (fflush(fp) != 0) {
		sp_warn("temporary file: %s", strerror(errno));
		return -1;
	}
	rewind(fp);
	if (sp_pg_copy_in_begin(db, sql) != 0)
		return -1;
	while ((n = fread(buf, 1, sizeof buf, fp)) > 0)
		if (sp_pg_copy_put(db, buf, n) != 0) {
			sp_pg_copy_in_end(db, "sp-load: send failed");
			return -1;
		}
	if (ferror(fp)) {
		sp_pg_copy_in_end(db, "sp-load: temporary file unreadable");
		sp_warn("temporary file: read error");
		return -1;
	}
	return sp_pg_copy_in_end(db, NULL);
}

static void
spool_put(FILE **fp, const char *p, size_t n)
{
	if (*fp == NULL && (*fp = tmpfile()) == NULL)
		sp_die(SP_EXIT_DATA, "cannot create a temporary file: %s", strerror(errno));
	if (fwrite(p, 1, n, *fp) != n)
		sp_die(SP_EXIT_DATA, "temporary file: %s", strerror(errno));
}

static void
add_reject(struct loader *L, const char *object, long line, const char *reason,
    const char *rec, size_t len)
{
	struct sp_buf b = { 0 };

	copy_field(&b, object, strlen(object));
	sp_buf_printf(&b, "\t%ld\t", line);
	copy_field(&b, reason, strlen(reason));
	sp_buf_addc(&b, '\t');
	/* A record that is not UTF-8 cannot be kept as text: keep its place only. */
	{
		struct sp_buf why = { 0 };

		if (rec != NULL && sp_json_text_ok(rec, len, &why))
			copy_field(&b, rec, len);
		else
			sp_buf_add(&b, "\\N", 2);
		sp_buf_free(&why);
	}
	sp_buf_addc(&b, '\n');
	spool_put(&L->rejects, b.data, b.len);
	L->nrejects++;
	sp_buf_free(&b);
}

/* Outcome of one attempt at an object. */
enum { DONE, SKIPPED, RETRY_STAGED, FAIL_DATA, FAIL_DB };

static void
reset_spools(struct loader *L)
{
	int i;

	for (i = 0; i < L->map.nt; i++) {
		if (L->map.t[i].spool != NULL)
			fclose(L->map.t[i].spool);
		L->map.t[i].spool = NULL;
		L->map.t[i].nrows = 0;
	}
	if (L->rejects != NULL)
		fclose(L->rejects);
	L->rejects = NULL;
	L->nrejects = 0;
	sp_buf_reset(&L->copy);
}

static int
rollback(struct loader *L, int outcome)
{
	if (PQstatus(L->db) == CONNECTION_OK && PQtransactionStatus(L->db) != PQTRANS_IDLE)
		sp_pg_exec(L->db, "rollback");
	reset_spools(L);
	return outcome;
}

/* Checks an object already in the ledger: the same bytes, or an error. */
static int
verify(struct loader *L, const char *name, const char *want)
{
	struct reader rd;
	unsigned char d[32];
	char hex[65];
	FILE *fp = sp_store_read(L->st, name);
	int r;

	if (fp == NULL)
		return sp_store_status(L->st) == SP_EXIT_UPSTREAM ? FAIL_DB : FAIL_DATA;
	reader_open(&rd, fp, name, 1);
	r = reader_drain(&rd);
	fclose(fp);
	sp_sha256_final(&rd.hash, d);
	sp_sha256_hex(d, hex);
	reader_close(&rd);
	if (r < 0) {
		sp_warn("%s: %s", name, rd.err);
		return FAIL_DATA;
	}
	if (strcmp(hex, want) != 0) {
		sp_warn("%s: checksum %.16s... differs from the loaded object's %.16s...",
		    name, hex, want);
		sp_hint("an object's content never changes once staged; restore it, or delete its ledger row to load it again");
		return FAIL_DATA;
	}
	return SKIPPED;
}

/*
 * Looks up the types of the direct table's columns: when each has a
 * binary form (copybin.h), its rows go in COPY's binary form, which
 * spares the server parsing every value (a third of its work for plays).
 * SP_LOAD_TEXT=1 keeps the text form (tests compare the two).  0, or -1
 * when the query fails.
 */
static int
binary_types(struct loader *L)
{
	const struct table *t = NULL;
	const char *e = getenv("SP_LOAD_TEXT");
	PGresult *res;
	int i, c, k;

	for (i = 0; i < L->map.nt; i++)
		if (L->map.t[i].direct)
			t = &L->map.t[i];
	if (t == NULL || (e != NULL && strcmp(e, "1") == 0))
		return 0;
	{
		const char *p[1] = { t->table };

		res = sp_pg_query(L->db, "select a.attname, format_type(a.atttypid, null)"
		    " from pg_attribute a where a.attrelid = $1::regclass"
		    " and a.attnum > 0 and not a.attisdropped", 1, p);
	}
	if (res == NULL)
		return -1;
	L->bin = sp_xcalloc((size_t)t->ncols, sizeof *L->bin);
	for (c = 0; c < t->ncols; c++) {
		for (k = 0; k < PQntuples(res); k++)
			if (strcmp(PQgetvalue(res, k, 0), t->cols[c]) == 0)
				break;
		if (k == PQntuples(res) ||
		    (L->bin[c] = sp_cb_type_of(PQgetvalue(res, k, 1))) == SP_CB_OTHER)
			break;
	}
	PQclear(res);
	if (c < t->ncols) {
		/* A column the binary form cannot carry (or none of that name:
		 * COPY will say so): text for all. */
		free(L->bin);
		L->bin = NULL;
	}
	return 0;
}

/*
 * Makes the rows rule ru gives record rc, one after another in row: the
 * i-th is row[at[i], at[i + 1]), for table tab[i]; rows of the direct
 * table in COPY's binary form when L->bin says so.  Returns how many, or
 * -1 with the reason when a value is none of its column's type (then the
 * record gives no row at all).
 */
static int
make_rows(struct loader *L, const struct rule *ru, struct rec *rc, int direct_t,
    struct sp_buf *row, size_t at[], int tab[], struct sp_buf *reason)
{
	struct sp_buf *key = L->win != NULL ? &L->win->make : NULL;
	const char *s;
	size_t n;
	int i, c, nr = 0;

	sp_buf_reset(row);
	for (i = 0; i < ru->nrows; i++) {
		const struct rowrule *rr = &ru->rows[i];
		const struct table *t = &L->map.t[rr->table];
		int direct = rr->table == direct_t, keyed = direct && L->win != NULL;

		if (!row_applies(rr, rc->mc))
			continue;
		rc->rr = rr;
		at[nr] = row->len;
		tab[nr++] = rr->table;
		if (keyed)
			sp_buf_reset(key);
		if (direct && L->bin != NULL)
			sp_cb_tuple(row, t->ncols);
		for (c = 0; c < t->ncols; c++) {
			int has = val_text(&rr->vals[c], rc, rc->tmp, &s, &n);

			if (keyed && t->iskey[c]) {
				/* Each part as its length and bytes; NULL as length ~0. */
				uint32_t len = has ? (uint32_t)n : UINT32_MAX;

				sp_buf_add(key, &len, sizeof len);
				if (has)
					sp_buf_add(key, s, n);
			}
			if (!direct || L->bin == NULL) {
				if (c > 0)
					sp_buf_addc(row, '\t');
				if (has)
					copy_field(row, s, n);
				else
					sp_buf_add(row, "\\N", 2);
			} else if (!has) {
				sp_cb_null(row);
			} else if (sp_cb_field(row, L->bin[c], s, n) != 0) {
				size_t k = n;

				/* At most 64 bytes of it, cut between UTF-8 characters. */
				if (k > 64)
					for (k = 64; k > 0 && ((unsigned char)s[k] & 0xc0) == 0x80; k--)
						;
				sp_buf_printf(reason, "column %s: '%.*s%s' is not a valid %s",
				    t->cols[c], (int)k, s, k < n ? "..." : "", sp_cb_type_name(L->bin[c]));
				return -1;
			}
		}
		if (!direct || L->bin == NULL)
			sp_buf_addc(row, '\n');
		if (keyed && dupwin_seen(L->win, key->data, key->len)) {
			/* A repeat of a row just copied: the first one stays. */
			row->len = at[--nr];
			L->repeats++;
		}
	}
	at[nr] = row->len;
	return nr;
}

/*
 * analyze_grown: fresh statistics, in the object's transaction, when its
 * rows are a large part of the table (ANALYZE_FRACTION of the planner's
 * estimate or more, at least ANALYZE_MIN rows): a first backfill into an
 * empty table otherwise runs its finish step (raw.dedupe_plays) on a plan
 * made for no rows, 17-27 s for 9,711 plays instead of a fraction of one.
 */
#define ANALYZE_MIN 1000
#define ANALYZE_FRACTION 0.1
static int
analyze_grown(struct loader *L, const struct table *t)
{
	const char *p[1] = { t->table };
	char *v;
	double est;
	struct sp_buf sql = {0};
	int rc;

	if (t->nrows < ANALYZE_MIN)
		return 0;
	v = sp_pg_value(L->db, "select reltuples from pg_class where oid = $1::regclass", 1, p);
	if (v == NULL)
		return -1;
	est = strtod(v, NULL);
	free(v);
	if (est > 0 && (double)t->nrows < ANALYZE_FRACTION * est)
		return 0;
	sp_buf_printf(&sql, "analyze %s", t->table);
	rc = sp_pg_exec(L->db, sql.data);
	sp_buf_free(&sql);
	return rc;
}

/* One attempt at loading object name; direct: plays straight into raw.plays. */
static int
load_object(struct loader *L, const char *name, const char *dataset, int is_rejects,
    int direct)
{
	struct sp_schema *schema = is_rejects ? NULL : schema_for(dataset);
	struct sp_buf row = { 0 }, reason = { 0 }, sql = { 0 }, tmp = { 0 };
	static struct mcache cache;
	struct mcache *mc = &cache;
	struct reader rd;
	unsigned char d[32];
	char hex[65], *have, nrows[32], nrej[32];
	struct checker ck;
	struct batch *bt;
	size_t ei;
	long valid = 0;
	int direct_t = -1, i, r, outcome = DONE;
	FILE *fp;

	if (!is_rejects && schema == NULL) {
		sp_warn("%s: no schema for dataset '%s'", name, dataset);
		return FAIL_DATA;
	}
	if (sp_pg_exec(L->db, "begin") != 0 ||
	    exec1(L->db, "select pg_advisory_xact_lock(" LOAD_LOCK ")", NULL) != 0)
		return rollback(L, FAIL_DB);
	{
		const char *p[1] = { name };

		have = sp_pg_value(L->db, "select checksum from raw.load_ledger where object = $1",
		    1, p);
		if (have == NULL && PQtransactionStatus(L->db) == PQTRANS_INERROR)
			return rollback(L, FAIL_DB);
	}
	if (have != NULL) {
		/* Loaded by another sp-load since this one started. */
		rollback(L, SKIPPED);
		r = verify(L, name, have);
		free(have);
		return r;
	}
	for (i = 0; i < L->map.nt; i++)
		if (L->map.t[i].before != NULL && sp_pg_exec(L->db, L->map.t[i].before) != 0)
			return rollback(L, FAIL_DB);
	if ((fp = sp_store_read(L->st, name)) == NULL)
		return rollback(L, sp_store_status(L->st) == SP_EXIT_UPSTREAM ? FAIL_DB : FAIL_DATA);
	reader_open(&rd, fp, name, 0);
	if (direct && !is_rejects) {
		for (i = 0; i < L->map.nt; i++)
			if (L->map.t[i].direct)
				direct_t = i;
	}
	L->repeats = 0;
	if (direct_t >= 0 && L->map.t[direct_t].iskey != NULL) {
		if (L->win == NULL)
			L->win = sp_xcalloc(1, sizeof *L->win);
		dupwin_reset(L->win);
	}
	if (direct_t >= 0) {
		struct table *t = &L->map.t[direct_t];

		sp_buf_printf(&sql, "copy %s (", t->table);
		for (i = 0; i < t->ncols; i++)
			sp_buf_printf(&sql, "%s%s", i ? ", " : "", t->cols[i]);
		sp_buf_adds(&sql, L->bin != NULL ? ") from stdin with (format binary)" : ") from stdin");
		if (L->bin != NULL)
			sp_cb_header(&L->copy);
		if (sp_pg_copy_in_begin(L->db, sql.data) != 0) {
			fclose(fp);
			reader_close(&rd);
			sp_buf_free(&sql);
			return rollback(L, FAIL_DB);
		}
	}

	ck_start(&ck, &rd, is_rejects ? NULL : schema);
	while (outcome == DONE && (bt = ck_next(&ck)) != NULL) {
		for (ei = 0; ei < bt->n; ei++) {
			const struct lent *e = &bt->e[ei];
			const char *line = bt->text.data + e->off;
			size_t len = e->len;
			long lineno = e->lineno;
			struct sp_jtok tok;

			sp_buf_reset(&reason);
			if (e->what == L_RAW || e->what == L_JSON) {
				jv v = sp_jv_parse(line, len);

				if (!jv_is_valid(v)) {
					jv msg = jv_invalid_get_msg(v);

					sp_buf_printf(&reason, "invalid JSON: %s",
					    jv_get_kind(msg) == JV_KIND_STRING ? jv_string_value(msg) : "parse error");
					jv_free(msg);
					add_reject(L, name, lineno, reason.data, line, len);
					continue;
				}
				if (e->what == L_JSON) {
					jv_free(v);
					add_reject(L, name, lineno, "invalid JSON: not strict JSON", line, len);
					continue;
				}
				/* A reject file of sp-stage: {"line","reason","record"}. */
				jv ln = sp_jv_get(v, "line"), rs = sp_jv_get(v, "reason"),
				    rc = sp_jv_get(v, "record");

				if (jv_get_kind(ln) == JV_KIND_NUMBER && jv_get_kind(rs) == JV_KIND_STRING)
					add_reject(L, name, (long)jv_number_value(ln), jv_string_value(rs),
					    jv_get_kind(rc) == JV_KIND_STRING ? jv_string_value(rc) : NULL,
					    jv_get_kind(rc) == JV_KIND_STRING ?
					    (size_t)jv_string_length_bytes(jv_copy(rc)) : 0);
				else
					add_reject(L, name, lineno, "not a reject record", line, len);
				jv_free(ln);
				jv_free(rs);
				jv_free(rc);
				jv_free(v);
				continue;
			}
			if (e->what == L_KIND) {
				jv v = sp_jv_parse(line, len);

				sp_buf_printf(&reason, "expected a JSON object, got %s",
				    sp_jv_kind_name(jv_get_kind(v)));
				jv_free(v);
			} else if (e->what == L_INVALID) {
				sp_buf_add(&reason, bt->text.data + e->x_off, e->x_len);
			} else {
				const struct rule *ru;
				struct rec rc = { mc, line, len, lineno, name, &tmp, NULL };

				tok.type = SP_JSON_OBJECT;
				tok.p = line + e->x_off;
				tok.len = e->x_len;

				cache_init(mc, &tok);
				ru = rule_for(&L->map, mc);

				if (ru == NULL) {
					struct sp_jtok x;
					struct ptr pk = { NULL, (char *[]){ "kind" }, (size_t[]){ 4 }, NULL, 1 };
					struct ptr ps = { NULL, (char *[]){ "source" }, (size_t[]){ 6 }, NULL, 1 };
					struct sp_buf k = { 0 }, so = { 0 };

					if (ptr_tok(&pk, &tok, &x) && x.type == SP_JSON_STRING)
						sp_jstr_decode(&x, &k);
					if (ptr_tok(&ps, &tok, &x) && x.type == SP_JSON_STRING)
						sp_jstr_decode(&x, &so);
					sp_buf_printf(&reason, "no load rule for kind '%s' from source '%s'",
					    k.data ? k.data : "?", so.data ? so.data : "?");
					sp_buf_free(&k);
					sp_buf_free(&so);
				} else {
					size_t at[ROWS_MAX + 1];
					int tab[ROWS_MAX], nr;

					nr = make_rows(L, ru, &rc, direct_t, &row, at, tab, &reason);
					if (nr < 0) {
						add_reject(L, name, lineno, reason.data, line, len);
						continue;
					}
					for (i = 0; i < nr; i++) {
						struct table *t = &L->map.t[tab[i]];

						t->nrows++;
						if (tab[i] != direct_t) {
							spool_put(&t->spool, row.data + at[i], at[i + 1] - at[i]);
							continue;
						}
						sp_buf_add(&L->copy, row.data + at[i], at[i + 1] - at[i]);
						if (L->copy.len >= COPY_CHUNK) {
							if (sp_pg_copy_put(L->db, L->copy.data, L->copy.len) != 0) {
								outcome = FAIL_DB;
								break;
							}
							sp_buf_reset(&L->copy);
						}
					}
					if (outcome != DONE)
						break;
					if (++valid % PROGRESS_EVERY == 0 && L->verbose)
						sp_warn("%s: %ld records...", name, valid);
					continue;
				}
			}
			add_reject(L, name, lineno, reason.data, line, len);
		}
		ck_release(&ck);
	}
	r = ck_stop(&ck);
	fclose(fp);
	if (outcome == DONE && r < 0) {
		sp_warn("%s: %s", name, rd.err);
		outcome = FAIL_DATA;
	}
	sp_sha256_final(&rd.hash, d);
	sp_sha256_hex(d, hex);
	reader_close(&rd);
	if (direct_t >= 0) {
		char state[6], msg[512];

		if (L->bin != NULL)
			sp_cb_trailer(&L->copy);
		if (outcome == DONE && L->copy.len > 0 &&
		    sp_pg_copy_put(L->db, L->copy.data, L->copy.len) != 0)
			outcome = FAIL_DB;
		if (outcome != DONE) {
			sp_pg_copy_in_end(L->db, "sp-load: object abandoned");
		} else if (sp_pg_copy_in_end_state(L->db, state, msg, sizeof msg) != 0) {
			if (strcmp(state, "23505") == 0) {
				outcome = RETRY_STAGED;
			} else {
				sp_warn("%s: SQL error: %s", name, msg);
				outcome = FAIL_DB;
			}
		}
	}
	if (outcome != DONE) {
		sp_buf_free(&row);
		sp_buf_free(&reason);
		sp_buf_free(&sql);
		sp_buf_free(&tmp);
		return rollback(L, outcome);
	}
	for (i = 0; outcome == DONE && i < L->map.nt; i++) {
		struct table *t = &L->map.t[i];
		int c;

		if (t->spool == NULL)
			continue;
		sp_buf_reset(&sql);
		sp_buf_printf(&sql, "create temp table load_%s on commit drop as select ", t->name);
		for (c = 0; c < t->ncols; c++)
			sp_buf_printf(&sql, "%s%s", c ? ", " : "", t->cols[c]);
		sp_buf_printf(&sql, " from %s with no data", t->table);
		if (sp_pg_exec(L->db, sql.data) != 0) {
			outcome = FAIL_DB;
			break;
		}
		sp_buf_reset(&sql);
		sp_buf_printf(&sql, "copy load_%s from stdin", t->name);
		if (copy_spool(L->db, sql.data, t->spool) != 0 || sp_pg_exec(L->db, t->merge) != 0) {
			sp_warn("%s: loading %s failed", name, t->table);
			outcome = FAIL_DB;
		}
	}
	for (i = 0; outcome == DONE && i < L->map.nt; i++) {
		struct table *t = &L->map.t[i];

		if (t->nrows > 0 && t->finish != NULL &&
		    (analyze_grown(L, t) != 0 || sp_pg_exec(L->db, t->finish) != 0))
			outcome = FAIL_DB;
	}
	if (outcome == DONE && L->rejects != NULL &&
	    copy_spool(L->db, "copy raw.rejects (object, line, reason, record) from stdin",
	    L->rejects) != 0)
		outcome = FAIL_DB;
	snprintf(nrows, sizeof nrows, "%ld", valid);
	snprintf(nrej, sizeof nrej, "%ld", L->nrejects);
	if (outcome == DONE) {
		const char *p[4] = { name, hex, nrows, nrej };
		PGresult *res = sp_pg_query(L->db, "insert into raw.load_ledger"
		    " (object, checksum, rows, rejected) values ($1, $2, $3, $4)", 4, p);

		if (res == NULL || sp_pg_exec(L->db, "commit") != 0)
			outcome = FAIL_DB;
		PQclear(res);
	}
	if (outcome == DONE) {
		if (L->verbose)
			sp_warn("%s: loaded %ld records, %ld rejected%s", name, valid, L->nrejects,
			    direct_t < 0 && !is_rejects && L->map.t[0].nrows > 0 ? " (merged)" : "");
		if (L->verbose && L->repeats > 0)
			sp_warn("%s: %ld records repeat a play just before them: loaded once",
			    name, L->repeats);
		if (L->nrejects > 0 && !is_rejects) {
			sp_warn("%s: %ld records rejected; see raw.rejects", name, L->nrejects);
			L->status = L->status ? L->status : SP_EXIT_DATA;
		}
		reset_spools(L);
	} else {
		rollback(L, outcome);
	}
	sp_buf_free(&row);
	sp_buf_free(&reason);
	sp_buf_free(&sql);
	sp_buf_free(&tmp);
	return outcome;
}

/*
 * sp-load lists the store's objects of the given datasets (default: all)
 * and loads each one not yet in raw.load_ledger into PostgreSQL, in name
 * order, each in one transaction: every line is checked against
 * schemas/DATASET.schema.json, turned into rows by schemas/load.json and
 * merged into the raw tables by the SQL files of schemas/load/, invalid lines go to
 * raw.rejects, and the ledger row (object, SHA-256, rows, rejected) is
 * written last; a crash at any point leaves nothing of the object.  An
 * object already in the ledger is checked against its checksum with
 * --check, or when named on stdin, and otherwise not read.  The
 * migrations in schemas/migrations are applied first.  Rejects files of
 * sp-stage (DATASET/rejects/) are loaded into raw.rejects.  When stdin is
 * not a terminal it is read first: the names of objects being staged
 * (sp-stage plays | sp-load), each of which must then exist.  Exit status: 0
 * ok; 1 an object unreadable or changed since it was loaded, or records
 * rejected (the rest is loaded); 2 usage; 3 PostgreSQL or the S3 store
 * failed.
 */
int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "check", no_argument, NULL, 'c' },
		{ "db", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ "pending", no_argument, NULL, 'n' },
		{ "store", required_argument, NULL, 's' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct loader L;
	const char *db_url = NULL, *store_url = NULL;
	char **names = NULL, *mpath, **piped = NULL;
	size_t n = 0, i, npiped = 0;
	long loaded = 0, skipped = 0, failed = 0;
	int c, k, argi, list_pending = 0, check_all = 0;

	sp_init(argv[0]);
	memset(&L, 0, sizeof L);
	while ((c = getopt_long(argc, argv, "cd:hns:v", longopts, NULL)) != -1) {
		switch (c) {
		case 'c': check_all = 1; break;
		case 'd': db_url = optarg; break;
		case 'n': list_pending = 1; break;
		case 'h': usage(stdout); return 0;
		case 's': store_url = optarg; break;
		case 'v': L.verbose = 1; break;
		case 'V': sp_version();
		default: usage(stderr); exit(SP_EXIT_USAGE);
		}
	}
	for (argi = optind; argi < argc; argi++) {
		const char *s = argv[argi];

		if (*s == '\0' || strchr(s, '/') != NULL || s[0] == '.')
			sp_die(SP_EXIT_USAGE, "'%s': not a dataset name", s);
	}
	/*
	 * In a pipeline (sp-stage plays | sp-load) the objects named on stdin
	 * are being staged: wait for them (stdin's end) before listing.
	 */
	if (!list_pending && !isatty(STDIN_FILENO)) {
		struct sp_lines in;
		char *line;
		size_t len;

		sp_lines_init(&in, stdin, "<stdin>");
		in.max_len = 4096;
		while ((line = sp_lines_next(&in, &len)) != NULL) {
			if (len == 0)
				continue;
			piped = sp_xreallocarray(piped, npiped + 1, sizeof *piped);
			piped[npiped++] = sp_xstrdup(line);
		}
		sp_lines_close(&in);
	}
	mpath = sp_share_path("schemas/load.json");
	map_load(&L.map, mpath);
	free(mpath);
	L.st = sp_store_open(store_url);
	L.db = sp_pg_connect(db_url);
	{
		/*
		 * A deep socket buffer lets the server parse one stretch of COPY
		 * data while this side checks the next (up to net.core.wmem_max):
		 * with the default, each side mostly waits for the other.
		 */
		int sz = 4 << 20;

		setsockopt(PQsocket(L.db), SOL_SOCKET, SO_SNDBUF, &sz, sizeof sz);
	}
	if (sp_pg_migrate(L.db, NULL) < 0)
		exit(SP_EXIT_UPSTREAM);
	if (ledger_read(&L) != 0 || binary_types(&L) != 0)
		exit(SP_EXIT_UPSTREAM);

	if (optind == argc) {
		if (sp_store_list(L.st, "", &names, &n) != 0)
			exit(sp_store_status(L.st));
	} else {
		for (argi = optind; argi < argc; argi++) {
			struct sp_buf p = { 0 };
			char **more;
			size_t m, j;

			sp_buf_printf(&p, "%s/", argv[argi]);
			if (sp_store_list(L.st, p.data, &more, &m) != 0)
				exit(sp_store_status(L.st));
			names = sp_xreallocarray(names, n + m + 1, sizeof *names);
			for (j = 0; j < m; j++)
				names[n++] = more[j];
			free(more);
			sp_buf_free(&p);
		}
	}

	if (n > 1)
		qsort(names, n, sizeof *names, cmp_str);
	for (i = 0; i < npiped; i++) {
		if (bsearch(&piped[i], names, n, sizeof *names, cmp_str) == NULL) {
			sp_warn("%s: no such object in %s", piped[i], sp_store_url(L.st));
			L.status = SP_EXIT_DATA;
		}
	}
	if (npiped > 1)
		qsort(piped, npiped, sizeof *piped, cmp_str);
	for (i = 0; i < n; i++) {
		char dataset[128];
		int is_rejects = 0;
		const char *have;

		if (list_pending) {
			/* What this run would load, and nothing else. */
			if (sp_store_classify(names[i], dataset, sizeof dataset, &is_rejects) &&
			    ledger_find(&L, names[i]) == NULL)
				printf("%s\n", names[i]);
			continue;
		}

		if (!sp_store_classify(names[i], dataset, sizeof dataset, &is_rejects)) {
			if (L.verbose)
				sp_warn("%s: not a staged object; ignored", names[i]);
			continue;
		}
		if ((have = ledger_find(&L, names[i])) != NULL) {
			/*
			 * Loaded: read again only when asked to (--check) or when
			 * named on stdin, so that a run costs what is new, not
			 * every object ever staged.
			 */
			if (check_all || (npiped > 0 &&
			    bsearch(&names[i], piped, npiped, sizeof *piped, cmp_str) != NULL))
				k = verify(&L, names[i], have);
			else
				k = SKIPPED;
		} else {
			k = load_object(&L, names[i], dataset, is_rejects, 1);
			if (k == RETRY_STAGED) {
				if (L.verbose)
					sp_warn("%s: some rows are loaded already; merging", names[i]);
				k = load_object(&L, names[i], dataset, is_rejects, 0);
			}
		}
		switch (k) {
		case DONE: loaded++; break;
		case SKIPPED: skipped++; break;
		case FAIL_DB:
			failed++;
			L.status = SP_EXIT_UPSTREAM;
			if (PQstatus(L.db) != CONNECTION_OK) {
				sp_warn("lost the connection to PostgreSQL; stopping");
				i = n;
			}
			break;
		default:
			failed++;
			if (L.status != SP_EXIT_UPSTREAM)
				L.status = SP_EXIT_DATA;
			break;
		}
	}
	if (L.verbose)
		sp_warn("%ld objects loaded, %ld already loaded, %ld failed", loaded, skipped, failed);
	sp_store_free_list(names, n);
	for (i = 0; i < npiped; i++)
		free(piped[i]);
	free(piped);
	for (i = 0; i < L.nledger; i++)
		free(L.ledger[i]);
	free(L.ledger);
	map_free(&L.map);
	for (i = 0; i < ndatasets; i++) {
		free(datasets[i].name);
		sp_schema_free(datasets[i].schema);
	}
	free(datasets);
	sp_buf_free(&L.copy);
	free(L.bin);
	if (L.win != NULL) {
		dupwin_reset(L.win);
		sp_buf_free(&L.win->make);
		free(L.win);
	}
	PQfinish(L.db);
	sp_store_close(L.st);
	return L.status;
}
