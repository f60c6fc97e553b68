/* loadmap.c: compiles schemas/load.json and gives the rows of a staged record. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jv.h>

#include "buf.h"
#include "diag.h"
#include "jscan.h"
#include "loadmap.h"

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

/* At most this many columns of a row a 'rest' payload leaves out. */
#define REST_MAX 32

struct val {
	int kind;
	struct sp_jptr p;		/* V_PTR, V_JSON, V_STRIP */
	jv cst;			/* V_CONST; V_FIRST's default */
	char *prefix;		/* V_STRIP */
	struct sp_jptr *alts;	/* V_FIRST */
	int nalts;
};

struct rowrule {
	int table;
	int ncols;
	struct val *vals;	/* one per column of the table */
	struct sp_jptr *require;
	int nrequire;
	struct sp_jptr *unless;	/* skip the row when the member equals unless_v */
	jv *unless_v;
	int nunless;
	const struct val *rest[REST_MAX];	/* the columns a 'rest' value leaves out */
	int nrest;
	struct val *when;	/* V_WHEN, one per member of the rule's 'when' */
	int nwhen;
};

struct sp_lmrule {
	char **wkey;
	jv *wval;
	int nwhen;
	struct rowrule *rows;
	int nrows;
};

/*
 * The members of a record and of its object-valued members, found once
 * per record: looking a pointer up then scans only the levels below them,
 * not the whole line again for every column.
 */
struct mcache {
	struct sp_jtok root;
	struct sp_jmembers top;
	struct sp_jmembers sub[SP_JMEMBERS_MAX];	/* sub[i]: top member i's, when an object */
};

struct sp_lmrec {
	struct mcache mc;
	const char *line;
	size_t len;
	long lineno;
	const char *name;		/* the object's name */
};

/* ---- compiling the map ---- */

/* What a compile reports its errors against. */
struct lmc {
	const char *path;
	char *dir;
};

static int
lm_fail(const struct lmc *c, const char *what)
{
	sp_warn("%s: %s", c->path, what);
	return -1;
}

/* Member key of object o (borrowed), or an invalid jv when o has none. */
static jv
member(jv o, const char *key)
{
	return jv_object_get(jv_copy(o), jv_string(key));
}

/* The pointer s, split (jscan.h); fails the map when it is not one. */
static int
ptr_parse(const struct lmc *c, struct sp_jptr *p, const char *s)
{
	if (sp_jptr_parse(s, strlen(s), p) != 0)
		return lm_fail(c, "a pointer must start with '/'");
	return 0;
}

/* A pointer from member spec[key] when it is a string: 1, 0 when it is not one, -1. */
static int
ptr_member(const struct lmc *c, struct sp_jptr *p, jv spec, const char *key)
{
	jv k = member(spec, key);
	int r = 0;

	if (jv_get_kind(k) == JV_KIND_STRING)
		r = ptr_parse(c, p, jv_string_value(k)) == 0 ? 1 : -1;
	jv_free(k);
	return r;
}

/* V_FIRST: the pointers of list alts (borrowed), then spec's 'default'. */
static int
first_parse(const struct lmc *c, struct val *v, jv spec, jv alts)
{
	v->kind = V_FIRST;
	v->alts = sp_xcalloc((size_t)jv_array_length(jv_copy(alts)) + 1, sizeof *v->alts);
	jv_array_foreach(alts, i, e) {
		int r = jv_get_kind(e) != JV_KIND_STRING ? lm_fail(c, "'first' takes pointers") :
		    ptr_parse(c, &v->alts[i], jv_string_value(e));

		jv_free(e);
		if (r != 0)
			return -1;
		v->nalts = i + 1;
	}
	if (jv_object_has(jv_copy(spec), jv_string("default"))) {
		jv_free(v->cst);
		v->cst = member(spec, "default");
	}
	return 0;
}

/* Compiles value spec (borrowed) into v. */
static int
val_parse(const struct lmc *c, struct val *v, jv spec)
{
	static const struct { const char *key; int kind; } flags[] = {
		{ "record", V_RECORD }, { "rest", V_REST }, { "object", V_OBJECT }, { "line", V_LINE },
	};
	jv k;
	size_t f;
	int r;

	memset(v, 0, sizeof *v);
	v->cst = jv_null();
	if (jv_get_kind(spec) == JV_KIND_STRING) {
		v->kind = V_PTR;
		return ptr_parse(c, &v->p, jv_string_value(spec));
	}
	if (jv_get_kind(spec) != JV_KIND_OBJECT)
		return lm_fail(c, "a value must be a pointer or an object");
	if (jv_object_has(jv_copy(spec), jv_string("const"))) {
		v->kind = V_CONST;
		jv_free(v->cst);
		v->cst = member(spec, "const");
		return 0;
	}
	for (f = 0; f < sizeof flags / sizeof flags[0]; f++)
		if (jv_object_has(jv_copy(spec), jv_string(flags[f].key))) {
			v->kind = flags[f].kind;
			return 0;
		}
	if ((r = ptr_member(c, &v->p, spec, "json")) != 0) {
		v->kind = V_JSON;
		return r < 0 ? -1 : 0;
	}
	if ((r = ptr_member(c, &v->p, spec, "strip")) != 0) {
		v->kind = V_STRIP;
		if (r < 0)
			return -1;
		k = member(spec, "prefix");
		if (jv_get_kind(k) == JV_KIND_STRING)
			v->prefix = sp_xstrdup(jv_string_value(k));
		jv_free(k);
		return v->prefix == NULL ? lm_fail(c, "'strip' needs a 'prefix'") : 0;
	}
	if (jv_get_kind(k = member(spec, "first")) == JV_KIND_ARRAY) {
		r = first_parse(c, v, spec, k);
		jv_free(k);
		return r;
	}
	jv_free(k);
	return lm_fail(c, "unknown value form (pointer, const, record, rest, object, line, json, strip, first)");
}

static void
val_free(struct val *v)
{
	int k;

	sp_jptr_free(&v->p);
	jv_free(v->cst);
	free(v->prefix);
	for (k = 0; k < v->nalts; k++)
		sp_jptr_free(&v->alts[k]);
	free(v->alts);
}

static int
table_index(const struct sp_loadmap *m, const char *name)
{
	int i;

	for (i = 0; i < m->nt; i++)
		if (strcmp(m->t[i].name, name) == 0)
			return i;
	return -1;
}

/* The text of the SQL file t[key] names, into *text (NULL when t has none). */
static int
sql_file(const struct lmc *c, jv t, const char *key, char **text)
{
	jv f = member(t, key);
	int r = 0;

	*text = NULL;
	if (jv_get_kind(f) == JV_KIND_STRING) {
		struct sp_buf p = { 0 };

		sp_buf_printf(&p, "%s/%s", c->dir, jv_string_value(f));
		if ((*text = sp_read_file(p.data, SIZE_MAX, NULL)) == NULL) {
			sp_warn("%s: %s", p.data, strerror(errno));
			r = -1;
		}
		sp_buf_free(&p);
	} else if (jv_is_valid(f) && jv_get_kind(f) != JV_KIND_NULL) {
		r = lm_fail(c, "SQL files are named by strings");
	}
	jv_free(f);
	return r;
}

/* A table's 'key' (borrowed), a list of its columns, into tb->iskey. */
static int
key_compile(const struct lmc *c, struct sp_lmtable *tb, jv key)
{
	if (jv_get_kind(key) != JV_KIND_ARRAY) {
		if (jv_is_valid(key) && jv_get_kind(key) != JV_KIND_NULL)
			return lm_fail(c, "a table's 'key' is a list of column names");
		return 0;
	}
	tb->iskey = sp_xcalloc((size_t)tb->ncols, 1);
	jv_array_foreach(key, ki, kc) {
		int col, found = 0;

		for (col = 0; col < tb->ncols; col++)
			if (jv_get_kind(kc) == JV_KIND_STRING &&
			    strcmp(tb->cols[col], jv_string_value(kc)) == 0)
				found = tb->iskey[col] = 1;
		jv_free(kc);
		(void)ki;
		if (!found)
			return lm_fail(c, "a table's 'key' names a column it does not list");
	}
	return 0;
}

/* Compiles table t (borrowed) into tb, which is zeroed. */
static int
table_compile(const struct lmc *c, struct sp_lmtable *tb, jv t)
{
	jv cols = member(t, "columns"), tn = member(t, "table"), key;
	int r = 0;

	if (jv_get_kind(tn) != JV_KIND_STRING || jv_get_kind(cols) != JV_KIND_ARRAY) {
		jv_free(cols);
		jv_free(tn);
		return lm_fail(c, "a table needs 'table' and 'columns'");
	}
	tb->table = sp_xstrdup(jv_string_value(tn));
	tb->cols = sp_xcalloc((size_t)jv_array_length(jv_copy(cols)), sizeof *tb->cols);
	jv_array_foreach(cols, i, col) {
		if (r == 0 && jv_get_kind(col) != JV_KIND_STRING)
			r = lm_fail(c, "column names are strings");
		if (r == 0)
			tb->cols[tb->ncols++] = sp_xstrdup(jv_string_value(col));
		jv_free(col);
		(void)i;
	}
	jv_free(cols);
	jv_free(tn);
	if (r != 0)
		return r;
	tb->direct = jv_get_kind(key = member(t, "direct")) == JV_KIND_TRUE;
	jv_free(key);
	r = key_compile(c, tb, key = member(t, "key"));
	jv_free(key);
	if (r != 0 || sql_file(c, t, "before", &tb->before) != 0 ||
	    sql_file(c, t, "merge", &tb->merge) != 0 || sql_file(c, t, "finish", &tb->finish) != 0)
		return -1;
	if (tb->merge == NULL)
		return lm_fail(c, "a table needs a 'merge' SQL file");
	return 0;
}

/*
 * The values a 'rest' payload leaves out when the columns hold them: the
 * plain and 'strip' pointers of row rr, and the members the rule's 'when'
 * fixes.
 */
static int
rest_compile(const struct lmc *c, const struct sp_lmrule *ru, struct rowrule *rr)
{
	int col, w;

	for (col = 0; col < rr->ncols; col++)
		if (rr->vals[col].kind == V_REST)
			break;
	if (col == rr->ncols)
		return 0;
	for (col = 0; col < rr->ncols; col++) {
		if (rr->vals[col].kind != V_PTR && rr->vals[col].kind != V_STRIP)
			continue;
		if (rr->nrest == REST_MAX)
			return lm_fail(c, "a row's 'rest' leaves out at most 32 columns");
		rr->rest[rr->nrest++] = &rr->vals[col];
	}
	rr->when = sp_xcalloc((size_t)ru->nwhen + 1, sizeof *rr->when);
	for (w = 0; w < ru->nwhen; w++) {
		struct sp_buf pp = { 0 };
		int r;

		if (rr->nrest == REST_MAX)
			return lm_fail(c, "a row's 'rest' leaves out at most 32 columns");
		sp_buf_addc(&pp, '/');
		for (const char *q = ru->wkey[w]; *q != '\0'; q++)
			sp_buf_adds(&pp, *q == '~' ? "~0" : *q == '/' ? "~1" : (char[2]){ *q, '\0' });
		rr->when[w].kind = V_WHEN;
		rr->when[w].cst = jv_null();
		r = ptr_parse(c, &rr->when[w].p, pp.data);
		rr->nwhen = w + 1;
		sp_buf_free(&pp);
		if (r != 0)
			return -1;
		rr->rest[rr->nrest++] = &rr->when[w];
	}
	return 0;
}

/* A row's 'require' (a list of pointers) and 'unless' (pointer: value), borrowed. */
static int
conds_compile(const struct lmc *c, struct rowrule *rr, jv req, jv unl)
{
	if (jv_get_kind(req) == JV_KIND_ARRAY) {
		rr->require = sp_xcalloc((size_t)jv_array_length(jv_copy(req)) + 1,
		    sizeof *rr->require);
		jv_array_foreach(req, k, e) {
			int r = jv_get_kind(e) != JV_KIND_STRING ?
			    lm_fail(c, "'require' takes pointers") :
			    ptr_parse(c, &rr->require[k], jv_string_value(e));

			jv_free(e);
			rr->nrequire = k + 1;
			if (r != 0)
				return -1;
		}
	}
	if (jv_get_kind(unl) != JV_KIND_OBJECT)
		return 0;
	jv_object_foreach(unl, uk, uv) {
		int r;

		rr->unless = sp_xreallocarray(rr->unless, (size_t)rr->nunless + 1, sizeof *rr->unless);
		rr->unless_v = sp_xreallocarray(rr->unless_v, (size_t)rr->nunless + 1,
		    sizeof *rr->unless_v);
		r = ptr_parse(c, &rr->unless[rr->nunless], jv_string_value(uk));
		rr->unless_v[rr->nunless++] = uv;
		jv_free(uk);
		if (r != 0)
			return -1;
	}
	return 0;
}

/* The values of row rr (vals, borrowed): one per column of its table tb. */
static int
vals_compile(const struct lmc *c, struct rowrule *rr, const struct sp_lmtable *tb, jv vals)
{
	int col, r = 0;

	rr->vals = sp_xcalloc((size_t)tb->ncols, sizeof *rr->vals);
	for (col = 0; col < tb->ncols; col++)
		rr->vals[col].cst = jv_null();
	rr->ncols = tb->ncols;
	for (col = 0; col < tb->ncols && r == 0; col++) {
		jv spec = member(vals, tb->cols[col]);

		if (jv_is_valid(spec)) {
			jv_free(rr->vals[col].cst);
			r = val_parse(c, &rr->vals[col], spec);
		}
		jv_free(spec);
	}
	if (r != 0)
		return -1;
	jv_object_foreach(vals, vk, vv) {
		int found = 0;

		for (col = 0; col < tb->ncols; col++)
			found |= strcmp(tb->cols[col], jv_string_value(vk)) == 0;
		jv_free(vk);
		jv_free(vv);
		if (!found)
			return lm_fail(c, "a row names a column its table does not list");
	}
	return 0;
}

/* Compiles row (borrowed) of rule ru into rr, which is zeroed. */
static int
row_compile(const struct lmc *c, const struct sp_loadmap *m, const struct sp_lmrule *ru,
    struct rowrule *rr, jv row)
{
	jv into = member(row, "into"), vals = member(row, "values");
	jv req = member(row, "require"), unl = member(row, "unless");
	int r;

	rr->table = -1;
	if (jv_get_kind(into) != JV_KIND_STRING ||
	    (rr->table = table_index(m, jv_string_value(into))) < 0)
		r = lm_fail(c, "a row's 'into' must name a table of 'tables'");
	else if (jv_get_kind(vals) != JV_KIND_OBJECT)
		r = lm_fail(c, "a row needs 'values'");
	else
		r = vals_compile(c, rr, &m->t[rr->table], vals) != 0 || rest_compile(c, ru, rr) != 0 ||
		    conds_compile(c, rr, req, unl) != 0 ? -1 : 0;
	jv_free(into);
	jv_free(vals);
	jv_free(req);
	jv_free(unl);
	return r;
}

/* Compiles record rule rec (borrowed) into ru, which is zeroed. */
static int
rule_compile(const struct lmc *c, const struct sp_loadmap *m, struct sp_lmrule *ru, jv rec)
{
	jv when = member(rec, "when"), rows = member(rec, "rows");
	int r = 0;

	if (jv_get_kind(when) != JV_KIND_OBJECT || jv_get_kind(rows) != JV_KIND_ARRAY)
		r = lm_fail(c, "a record rule needs 'when' (an object) and 'rows' (a list)");
	else if (jv_array_length(jv_copy(rows)) > SP_LM_ROWS_MAX)
		r = lm_fail(c, "a record rule gives at most 16 rows");
	if (r != 0) {
		jv_free(when);
		jv_free(rows);
		return r;
	}
	jv_object_foreach(when, wk, wv) {
		ru->wkey = sp_xreallocarray(ru->wkey, (size_t)ru->nwhen + 1, sizeof *ru->wkey);
		ru->wval = sp_xreallocarray(ru->wval, (size_t)ru->nwhen + 1, sizeof *ru->wval);
		ru->wkey[ru->nwhen] = sp_xstrdup(jv_string_value(wk));
		ru->wval[ru->nwhen++] = wv;
		jv_free(wk);
	}
	ru->rows = sp_xcalloc((size_t)jv_array_length(jv_copy(rows)) + 1, sizeof *ru->rows);
	jv_array_foreach(rows, i, row) {
		if (r == 0) {
			ru->nrows = i + 1;
			r = row_compile(c, m, ru, &ru->rows[i], row);
		}
		jv_free(row);
	}
	jv_free(when);
	jv_free(rows);
	return r;
}

/* Compiles root (borrowed), the map's JSON, into m, which is zeroed. */
static int
map_compile(const struct lmc *c, struct sp_loadmap *m, jv root)
{
	jv tables = member(root, "tables"), records = member(root, "records");
	int r = 0;

	if (jv_get_kind(tables) != JV_KIND_OBJECT || jv_get_kind(records) != JV_KIND_ARRAY)
		r = lm_fail(c, "needs 'tables' (an object) and 'records' (a list)");
	if (r == 0) {
		m->t = sp_xcalloc((size_t)jv_object_length(jv_copy(tables)) + 1, sizeof *m->t);
		jv_object_foreach(tables, name, t) {
			if (r == 0) {
				m->t[m->nt].name = sp_xstrdup(jv_string_value(name));
				r = table_compile(c, &m->t[m->nt++], t);
			}
			jv_free(name);
			jv_free(t);
		}
	}
	if (r == 0) {
		m->r = sp_xcalloc((size_t)jv_array_length(jv_copy(records)) + 1, sizeof *m->r);
		jv_array_foreach(records, i, rec) {
			if (r == 0) {
				m->nr = i + 1;
				r = rule_compile(c, m, &m->r[i], rec);
			}
			jv_free(rec);
		}
	}
	jv_free(tables);
	jv_free(records);
	return r;
}

struct sp_loadmap *
sp_loadmap_load(const char *path)
{
	struct sp_loadmap *m = sp_xcalloc(1, sizeof *m);
	const char *slash = strrchr(path, '/');
	struct lmc c = { path, NULL };
	size_t len;
	char *text = sp_read_file(path, SIZE_MAX, &len);
	jv root;
	int r;

	if (text == NULL) {
		sp_warn("%s: %s", path, strerror(errno));
		free(m);
		return NULL;
	}
	c.dir = slash ? strndup(path, (size_t)(slash - path)) : sp_xstrdup(".");
	root = jv_parse_sized(text, (int)len);
	free(text);
	if (!jv_is_valid(root) || jv_get_kind(root) != JV_KIND_OBJECT)
		r = lm_fail(&c, "not a JSON object");
	else
		r = map_compile(&c, m, root);
	jv_free(root);
	free(c.dir);
	if (r != 0) {
		sp_loadmap_free(m);
		return NULL;
	}
	return m;
}

static void
rule_free(struct sp_lmrule *ru)
{
	int j, k;

	for (k = 0; k < ru->nwhen; k++) {
		free(ru->wkey[k]);
		jv_free(ru->wval[k]);
	}
	free(ru->wkey);
	free(ru->wval);
	for (j = 0; j < ru->nrows; j++) {
		struct rowrule *rr = &ru->rows[j];

		for (k = 0; k < rr->ncols; k++)
			val_free(&rr->vals[k]);
		free(rr->vals);
		for (k = 0; k < rr->nwhen; k++)
			val_free(&rr->when[k]);
		free(rr->when);
		for (k = 0; k < rr->nrequire; k++)
			sp_jptr_free(&rr->require[k]);
		free(rr->require);
		for (k = 0; k < rr->nunless; k++) {
			sp_jptr_free(&rr->unless[k]);
			jv_free(rr->unless_v[k]);
		}
		free(rr->unless);
		free(rr->unless_v);
	}
	free(ru->rows);
}

void
sp_loadmap_free(struct sp_loadmap *m)
{
	int i, c;

	if (m == NULL)
		return;
	for (i = 0; i < m->nr; i++)
		rule_free(&m->r[i]);
	free(m->r);
	for (i = 0; i < m->nt; i++) {
		struct sp_lmtable *t = &m->t[i];

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
	free(m);
}

/* ---- a record's members ---- */

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
 * Fills level l from iterator it, leaving it past the last member.  With
 * subs, the members of each object-valued member i go into subs[i] in the
 * same walk: the record is read once, not once for each level it has.
 */
static void
level_walk(struct sp_jmembers *l, struct sp_jiter *it, struct sp_jmembers *subs)
{
	struct sp_jtok k, v;

	sp_jmembers_reset(l);
	while (sp_jiter_key(it, &k)) {
		if (l->n == SP_JMEMBERS_MAX) {
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
		sp_jmembers_add(l, &k, &v);
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

/* The token at p in the cached record; 0 when absent or null. */
static int
ptr_tok_cached(const struct sp_jptr *p, const struct mcache *mc, struct sp_jtok *out);

/* The token at p in t (checked text); 0 when absent or null. */
static int
ptr_tok(const struct sp_jptr *p, const struct sp_jtok *t, struct sp_jtok *out)
{
	struct sp_jtok cur = *t, k, v;
	struct sp_jiter it;
	int i;

	for (i = 0; i < p->n; i++) {
		int found = 0;

		if (cur.type == SP_JSON_OBJECT) {
			sp_jiter_init(&it, &cur);
			while (sp_jiter_next(&it, &k, &v))
				if (key_is(&k, p->seg[i], p->len[i])) {
					found = 1;
					break;
				}
		} else if (cur.type == SP_JSON_ARRAY) {
			char *end;
			long idx = strtol(p->seg[i], &end, 10), j = 0;

			if (*p->seg[i] == '\0' || *end != '\0' || idx < 0)
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
static struct sp_jptr
ptr_after(const struct sp_jptr *p, int k)
{
	struct sp_jptr rest = { p->seg + k, p->len + k, p->hash + k, p->n - k };

	return rest;
}

static int
ptr_tok_cached(const struct sp_jptr *p, const struct mcache *mc, struct sp_jtok *out)
{
	struct sp_jptr rest;
	int i, j;

	if (p->n == 0 || !mc->top.complete)
		return ptr_tok(p, &mc->root, out);
	if ((i = sp_jmembers_find(&mc->top, p->seg[0], p->len[0], p->hash[0])) < 0)
		return 0;
	if (p->n == 1 || mc->top.v[i].type != SP_JSON_OBJECT || !mc->sub[i].complete) {
		rest = ptr_after(p, 1);
		return ptr_tok(&rest, &mc->top.v[i], out);
	}
	if ((j = sp_jmembers_find(&mc->sub[i], p->seg[1], p->len[1], p->hash[1])) < 0)
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

/* The first rule whose 'when' members all equal the record's, or NULL. */
static const struct sp_lmrule *
rule_for(const struct sp_loadmap *m, const struct mcache *mc)
{
	struct sp_jiter it;
	struct sp_jtok k, v;
	int i, w, j;

	for (i = 0; i < m->nr; i++) {
		for (w = 0; w < m->r[i].nwhen; w++) {
			const char *wk = m->r[i].wkey[w];
			int ok = 0;

			if (mc->top.complete) {
				if ((j = sp_jmembers_find(&mc->top, wk, strlen(wk), key_hash(wk, strlen(wk)))) >= 0)
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

/* ---- a record's values ---- */

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
rest_emit(struct sp_buf *b, const struct sp_jtok *t, const struct sp_jmembers *lv,
    const struct sp_jmembers *subs, const struct rowrule *rr, int depth, unsigned active)
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
			h = lv->name[m].h;
		} else {
			esc = memchr(k.p, '\\', k.len) != NULL;
			h = key_hash(k.p + 1, k.len - 2);
		}
		for (i = 0; i < rr->nrest; i++) {
			const struct sp_jptr *p = &rr->rest[i]->p;

			/* Only the first member of a name is on the column's path. */
			if (!(active & 1u << i) || (done & 1u << i) || p->n <= depth ||
			    (!esc && h != p->hash[depth]) ||
			    !key_is_esc(&k, esc, p->seg[depth], p->len[depth]))
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

			/* The range first: 1e999 is inf, which no cast may see. */
			if (d > -9e18 && d < 9e18 && d == (double)(long long)d) {
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
		if (d > -9e18 && d < 9e18 && d == (double)(long long)d)
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
val_text(const struct val *vl, const struct rowrule *rr, const struct sp_lmrec *r, struct sp_buf *out, const char **s,
    size_t *n)
{
	struct sp_jtok x;
	int i;

	switch (vl->kind) {
	case V_PTR:
	case V_JSON:
		return ptr_tok_cached(&vl->p, &r->mc, &x) && tok_text(&x, vl->kind == V_JSON, out, s, n);
	case V_CONST:
		return jv_text(vl->cst, 0, out, s, n);
	case V_RECORD:
		*s = r->line, *n = r->len;
		return 1;
	case V_REST:
		sp_buf_reset(out);
		rest_emit(out, &r->mc.root, &r->mc.top, r->mc.sub, rr, 0,
		    rr->nrest == REST_MAX ? ~0u : (1u << rr->nrest) - 1);
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
		if (ptr_tok_cached(&vl->p, &r->mc, &x) && x.type == SP_JSON_STRING)
			sp_jstr_decode(&x, out);
		if (out->len < pl || memcmp(out->data, vl->prefix, pl) != 0)
			return 0;
		*s = out->data + pl, *n = out->len - pl;
		return 1;
	}
	case V_FIRST:
		for (i = 0; i < vl->nalts; i++)
			if (ptr_tok_cached(&vl->alts[i], &r->mc, &x))
				return tok_text(&x, 0, out, s, n);
		return jv_text(vl->cst, 0, out, s, n);
	default:
		return 0;
	}
}

/* Whether row rule rr applies to the record. */
static int
row_applies(const struct rowrule *rr, const struct mcache *t)
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


/* ---- the public side ---- */

struct sp_lmrec *
sp_lmrec_new(void)
{
	return sp_xcalloc(1, sizeof(struct sp_lmrec));
}

void
sp_lmrec_free(struct sp_lmrec *r)
{
	free(r);
}

/* Appends the string member key of the record, decoded, or "?". */
static void
member_text(const struct mcache *mc, const char *key, struct sp_buf *out)
{
	struct sp_jptr p = { (char *[]){ (char *)key }, (size_t[]){ strlen(key) },
		(uint32_t[]){ key_hash(key, strlen(key)) }, 1 };
	struct sp_jtok x;

	if (ptr_tok_cached(&p, mc, &x) && x.type == SP_JSON_STRING)
		sp_jstr_decode(&x, out);
	else
		sp_buf_addc(out, '?');
}

const struct sp_lmrule *
sp_loadmap_match(const struct sp_loadmap *m, struct sp_lmrec *r, const struct sp_jtok *obj,
    const char *line, size_t len, const char *object, long lineno, struct sp_buf *reason)
{
	const struct sp_lmrule *ru;

	r->line = line;
	r->len = len;
	r->lineno = lineno;
	r->name = object;
	cache_init(&r->mc, obj);
	if ((ru = rule_for(m, &r->mc)) == NULL) {
		sp_buf_adds(reason, "no load rule for kind '");
		member_text(&r->mc, "kind", reason);
		sp_buf_adds(reason, "' from source '");
		member_text(&r->mc, "source", reason);
		sp_buf_addc(reason, '\'');
	}
	return ru;
}

int
sp_lmrule_rows(const struct sp_lmrule *ru)
{
	return ru->nrows;
}

int
sp_lmrow_into(const struct sp_lmrule *ru, int i, const struct sp_lmrec *r)
{
	return row_applies(&ru->rows[i], &r->mc) ? ru->rows[i].table : -1;
}

int
sp_lmrow_value(const struct sp_lmrule *ru, int i, int c, const struct sp_lmrec *r,
    struct sp_buf *tmp, const char **s, size_t *n)
{
	const struct rowrule *rr = &ru->rows[i];

	return val_text(&rr->vals[c], rr, r, tmp, s, n);
}
