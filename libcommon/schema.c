/* schema.c: a small JSON Schema checker over JSON text (see schema.h). */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "dates.h"
#include "diag.h"
#include "jscan.h"
#include "schema.h"
#include "utf8.h"

/* One schema document; $ref may name others, loaded once each. */
struct doc {
	char *path;
	jv root;
};

struct node;

struct sp_schema {
	char *dir;		/* the directory of the main document */
	struct doc *docs;	/* docs[0] is the main document */
	size_t ndocs;
	struct node *root;	/* compiled (below) */
	struct node **nodes;	/* every compiled node, for freeing */
	size_t nnodes;
};

/* Where a check is: the schema's document, and the path of the value. */
struct objcache;

/*
 * One step of the path to the value checked: a member's name or an
 * element's index.  The path is spelled out only for a message.
 */
struct step {
	const char *p;		/* the name; NULL for an index */
	size_t len;
	int tok;		/* p[0, len) is a JSON string token (quotes, escapes) */
	int index;
};

/* More than the deepest path: tcheck() stops at depth 64. */
#define MAX_STEPS 80

struct ctx {
	const struct sp_schema *s;
	struct sp_buf *reason;
	int depth;
	int quiet;		/* only the verdict counts: no message, no path */
	struct objcache *oc;	/* text checks: members of recent objects */
	size_t nstep;
	struct step step[MAX_STEPS];
};

static const char *const types[] = {
	"null", "boolean", "object", "array", "number", "string", "integer", NULL
};

static const char *const formats[] = { "date-time", "date", "spotify-uri", "spotify-id", NULL };

static int
in_list(const char *const *list, const char *s)
{
	for (; *list != NULL; list++)
		if (strcmp(*list, s) == 0)
			return 1;
	return 0;
}

static jv
read_json(const char *path)
{
	size_t len;
	char *text = sp_read_file(path, INT_MAX, &len);
	jv v;

	if (text == NULL) {
		sp_warn("%s: %s", path, strerror(errno));
		return jv_invalid();
	}
	v = jv_parse_sized(text, (int)len);
	free(text);
	if (!jv_is_valid(v)) {
		jv msg = jv_invalid_get_msg(v);

		sp_warn("%s: invalid JSON: %s", path,
		    jv_get_kind(msg) == JV_KIND_STRING ? jv_string_value(msg) : "parse error");
		jv_free(msg);
		return jv_invalid();
	}
	if (jv_get_kind(v) != JV_KIND_OBJECT) {
		sp_warn("%s: a schema must be a JSON object", path);
		jv_free(v);
		return jv_invalid();
	}
	return v;
}

static int
add_doc(struct sp_schema *s, const char *path)
{
	jv root = read_json(path);

	if (!jv_is_valid(root)) {
		jv_free(root);
		return -1;
	}
	s->docs = sp_xreallocarray(s->docs, s->ndocs + 1, sizeof *s->docs);
	s->docs[s->ndocs].path = sp_xstrdup(path);
	s->docs[s->ndocs].root = root;
	s->ndocs++;
	return 0;
}

/* Resolves "file#/pointer" or "#/pointer" from document d; loads files. */
static int resolve(struct sp_schema *s, size_t d, const char *ref, size_t *outdoc, jv *out);

static int
resolve(struct sp_schema *s, size_t d, const char *ref, size_t *outdoc, jv *out)
{
	const char *hash = strchr(ref, '#');
	size_t i, flen = hash ? (size_t)(hash - ref) : strlen(ref);
	const char *ptr = hash ? hash + 1 : "";
	struct sp_jptr jp;
	jv cur;

	if (flen > 0) {
		struct sp_buf p = { 0 };

		if (memchr(ref, '/', flen) != NULL) {
			sp_warn("%s: $ref '%s': only files beside the schema may be named",
			    s->docs[d].path, ref);
			return -1;
		}
		sp_buf_printf(&p, "%s/%.*s", s->dir, (int)flen, ref);
		for (i = 0; i < s->ndocs; i++)
			if (strcmp(s->docs[i].path, p.data) == 0)
				break;
		if (i == s->ndocs) {
			if (add_doc(s, p.data) != 0) {
				sp_buf_free(&p);
				return -1;
			}
		}
		sp_buf_free(&p);
		d = i;
	}
	if (sp_jptr_parse(ptr, strlen(ptr), &jp) != 0) {
		sp_warn("%s: $ref '%s' is not a JSON pointer", s->docs[d].path, ref);
		return -1;
	}
	cur = jv_copy(s->docs[d].root);
	for (i = 0; i < (size_t)jp.n; i++) {
		jv next = jv_get_kind(cur) == JV_KIND_OBJECT ?
		    jv_object_get(jv_copy(cur), jv_string_sized(jp.seg[i], (int)jp.len[i])) : jv_invalid();

		jv_free(cur);
		if (!jv_is_valid(next)) {
			jv_free(next);
			sp_jptr_free(&jp);
			sp_warn("%s: $ref '%s' does not resolve", s->docs[d].path, ref);
			return -1;
		}
		cur = next;
	}
	sp_jptr_free(&jp);
	*outdoc = d;
	*out = cur;
	return 0;
}

static int compile_all(struct sp_schema *s);
static void node_free(struct node *n);

struct sp_schema *
sp_schema_load(const char *path)
{
	struct sp_schema *s = sp_xcalloc(1, sizeof *s);
	const char *slash = strrchr(path, '/');

	s->dir = slash ? strndup(path, (size_t)(slash - path)) : sp_xstrdup(".");
	if (s->dir == NULL)
		sp_die(SP_EXIT_DATA, "out of memory");
	if (add_doc(s, path) != 0 || compile_all(s) != 0) {
		sp_schema_free(s);
		return NULL;
	}
	return s;
}

void
sp_schema_free(struct sp_schema *s)
{
	size_t i;

	if (s == NULL)
		return;
	for (i = 0; i < s->nnodes; i++)
		node_free(s->nodes[i]);
	free(s->nodes);
	for (i = 0; i < s->ndocs; i++) {
		free(s->docs[i].path);
		jv_free(s->docs[i].root);
	}
	free(s->docs);
	free(s->dir);
	free(s);
}

/* A calendar date YYYY-MM-DD from the year 1000 (sp_date_parse). */
static int
date_ok(const char *s, size_t len)
{
	int32_t day;

	return len == 10 && s[0] != '0' && sp_date_parse(s, len, &day) == 0;
}

int
sp_iso_time_ok(const char *s, size_t len)
{
	int64_t us;

	return sp_time_parse(s, len, &us) == 0;
}

/* A Spotify id: exactly 22 base-62 characters. */
static int
id_ok(const char *s, size_t len)
{
	size_t i;

	if (len != 22)
		return 0;
	for (i = 0; i < len; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'A' && s[i] <= 'Z') ||
		    (s[i] >= 'a' && s[i] <= 'z')))
			return 0;
	return 1;
}

/*
 * "spotify:TYPE:REST"; a track, artist or album URI's REST must be an id
 * (one that is not is fetched and loaded as a key), other types (local
 * files, episodes, users) are only checked for their shape.
 */
static int
uri_ok(const char *s, size_t len)
{
	static const char *const typed[] = { "track", "artist", "album" };
	const char *c;
	size_t i, n;

	if (len < 10 || strncmp(s, "spotify:", 8) != 0)
		return 0;
	c = memchr(s + 8, ':', len - 8);
	if (c == NULL || c == s + 8 || c + 1 >= s + len)
		return 0;
	n = (size_t)(c - (s + 8));
	for (i = 0; i < sizeof typed / sizeof typed[0]; i++)
		if (strlen(typed[i]) == n && memcmp(s + 8, typed[i], n) == 0)
			return id_ok(c + 1, (size_t)(s + len - (c + 1)));
	return 1;
}

/* Starts a message about the current value: "field 'a.b': " or nothing at the root. */
static int
bad(struct ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int
bad(struct ctx *c, const char *fmt, ...)
{
	va_list ap;
	char msg[512];
	struct sp_buf path = { 0 };
	const struct step *st;
	size_t i;

	if (c->quiet)
		return -1;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	for (i = 0; i < c->nstep; i++) {
		st = &c->step[i];
		if (st->p == NULL) {
			sp_buf_printf(&path, "[%d]", st->index);
			continue;
		}
		if (path.len > 0)
			sp_buf_addc(&path, '.');
		if (!st->tok)
			sp_buf_add(&path, st->p, st->len);
		else if (memchr(st->p, '\\', st->len) == NULL)
			sp_buf_add(&path, st->p + 1, st->len - 2);
		else
			sp_jstr_decode(&(struct sp_jtok){ SP_JSON_STRING, st->p, st->len }, &path);
	}
	if (path.len > 0)
		sp_buf_printf(c->reason, "field '%s': %s", path.data, msg);
	else
		sp_buf_adds(c->reason, msg);
	sp_buf_free(&path);
	return -1;
}

/*
 * The schema compiled for checking: a tree of nodes (a $ref points at its
 * target's node, compiled once), so that checking a record does no lookup
 * in the schema's JSON.
 */
enum { T_NULL = 1, T_BOOL = 2, T_OBJECT = 4, T_ARRAY = 8, T_NUMBER = 16,
	T_STRING = 32, T_INTEGER = 64 };
enum { F_NONE, F_DATETIME, F_DATE, F_URI, F_ID };

struct node {
	int never;		/* the schema false */
	unsigned types;		/* 0: any */
	char *type_names;	/* for messages: "a string", "integer or null" */
	int has_const;
	jv cst;
	jv *enums;
	int nenum;
	char *enum_names;
	char **req;
	int nreq;
	char **pname;
	struct node **prop;
	int nprop;
	struct pent *tab;	/* the names of req and pname, hashed */
	unsigned tabmask;
	int *req_first;		/* req[i] is also req[req_first[i]], the first */
	int addl_false;
	struct node *addl;
	struct node *items;
	int has_min_items, has_min, has_max, has_minlen, has_maxlen;
	double min_items, min, max, minlen, maxlen;
	int format;
	struct node *ref;
	struct node **all, **any;
	int nall, nany;
	struct node *if_, *then_, *else_;
	int only_ref;		/* a $ref and nothing else: checks its target */
	size_t cst_len;		/* of cst, when a string */
	size_t *enum_len;	/* of enums[i], when a string */
};

/*
 * A name of properties or required in a node's hash table: the index of
 * its property (or -1) and of its first place in required (or -1).
 */
struct pent {
	const char *name;	/* NULL: an empty slot */
	size_t len;
	struct sp_jname key;
	int prop, req;
};

struct memo {
	size_t doc;
	char *ptr;
	struct node *n;
};

struct compiler {
	struct sp_schema *s;
	struct node **all;	/* every node, for freeing */
	size_t nall;
	struct memo *memo;
	size_t nmemo;
};


static struct node *
new_node(struct compiler *k)
{
	struct node *n = sp_xcalloc(1, sizeof *n);

	n->cst = jv_null();
	k->all = sp_xreallocarray(k->all, k->nall + 1, sizeof *k->all);
	k->all[k->nall++] = n;
	return n;
}

static unsigned
type_bit(const char *t)
{
	static const char *const names[] = { "null", "boolean", "object", "array",
		"number", "string", "integer" };
	unsigned i;

	for (i = 0; i < 7; i++)
		if (strcmp(names[i], t) == 0)
			return 1u << i;
	return 0;
}

static const char *
article(const char *t)
{
	return (t[0] == 'a' || t[0] == 'i' || t[0] == 'o') ? "an" : "a";
}

/* Short text of a scalar for messages, e.g. 'foo' or 42. */
static void
show(jv v, char *out, size_t n)
{
	if (jv_get_kind(v) == JV_KIND_STRING) {
		snprintf(out, n, "'%.40s%s'", jv_string_value(v),
		    jv_string_length_bytes(jv_copy(v)) > 40 ? "..." : "");
	} else {
		jv s = jv_dump_string(jv_copy(v), 0);

		snprintf(out, n, "%.40s", jv_string_value(s));
		jv_free(s);
	}
}

static struct node *compile(struct compiler *k, size_t d, jv n, int depth);

/*
 * The node of $ref ref from document d, compiled once (a memo by target);
 * a document the ref loads is compiled whole, to check all of it.  NULL
 * after printing why when it does not resolve or compile.
 */
static struct node *
compile_ref(struct compiler *k, size_t d, const char *ref)
{
	size_t od, i, ndocs = k->s->ndocs;
	const char *hash = strchr(ref, '#');
	jv t;
	struct node *n;

	if (resolve(k->s, d, ref, &od, &t) != 0)
		return NULL;
	for (i = ndocs; i < k->s->ndocs; i++)
		if (compile(k, i, k->s->docs[i].root, 0) == NULL) {
			jv_free(t);
			return NULL;
		}
	for (i = 0; i < k->nmemo; i++)
		if (k->memo[i].doc == od && strcmp(k->memo[i].ptr, hash ? hash : "") == 0) {
			jv_free(t);
			return k->memo[i].n;
		}
	n = new_node(k);
	n->only_ref = 1;
	k->memo = sp_xreallocarray(k->memo, k->nmemo + 1, sizeof *k->memo);
	k->memo[k->nmemo].doc = od;
	k->memo[k->nmemo].ptr = sp_xstrdup(hash ? hash : "");
	k->memo[k->nmemo].n = n;
	k->nmemo++;
	/* Compile the target into n (recursion through the memo is safe). */
	n->ref = compile(k, od, t, 0);
	jv_free(t);
	return n->ref != NULL ? n : NULL;
}

/* Whether the entry e is the name s[0, len) of key k. */
static int
pent_is(const struct pent *e, const char *s, size_t len, const struct sp_jname *k)
{
	return e->key.h == k->h && e->len == len && e->key.a == k->a && e->key.b == k->b &&
	    (len <= 16 || memcmp(e->name + 8, s + 8, len - 16) == 0);
}

/* The entry of name in o's table, added when absent. */
static struct pent *
tab_add(struct node *o, const char *name)
{
	size_t len = strlen(name);
	struct sp_jname k;
	unsigned i;

	sp_jname_key(name, len, &k);
	for (i = k.h & o->tabmask; o->tab[i].name != NULL; i = (i + 1) & o->tabmask)
		if (pent_is(&o->tab[i], name, len, &k))
			return &o->tab[i];
	o->tab[i].name = name;
	o->tab[i].len = len;
	o->tab[i].key = k;
	o->tab[i].prop = o->tab[i].req = -1;
	return &o->tab[i];
}

/*
 * Hashes the names of o's properties and required members once, so that
 * checking an object looks each member up instead of comparing it with
 * every name.  The table is at most half full.
 */
static void
build_table(struct node *o)
{
	unsigned size = 4;
	struct pent *e;
	int i;

	if (o->nprop + o->nreq == 0)
		return;
	while (size < 2u * (unsigned)(o->nprop + o->nreq))
		size <<= 1;
	o->tab = sp_xcalloc(size, sizeof *o->tab);
	o->tabmask = size - 1;
	o->req_first = sp_xcalloc((size_t)o->nreq + 1, sizeof *o->req_first);
	for (i = 0; i < o->nprop; i++)
		if ((e = tab_add(o, o->pname[i]))->prop < 0)
			e->prop = i;
	for (i = 0; i < o->nreq; i++) {
		if ((e = tab_add(o, o->req[i]))->req < 0)
			e->req = i;
		o->req_first[i] = e->req;
	}
}

/* The entry of the name s[0, len) of key k in n's table, or NULL. */
static const struct pent *
tab_find(const struct node *n, const char *s, size_t len, const struct sp_jname *k)
{
	unsigned i;

	for (i = k->h & n->tabmask; n->tab[i].name != NULL; i = (i + 1) & n->tabmask)
		if (pent_is(&n->tab[i], s, len, k))
			return &n->tab[i];
	return NULL;
}

/*
 * Compiling: one walk over a schema's members, one function per keyword
 * (the table below), each checking its keyword's value and compiling it
 * into the node.  A keyword that is not in the table is an error, so a
 * typo never silently accepts everything.
 */
struct compiler;
typedef int kw_fn(struct compiler *k, size_t d, struct node *o, const char *key, jv v,
    int depth);

/* Reports what (about document d) and fails the compile. */
static int
kfail(struct compiler *k, size_t d, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int
kfail(struct compiler *k, size_t d, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	sp_warn("%s: %s", k->s->docs[d].path, msg);
	return -1;
}

/* A sub-schema v into *out; -1 when it does not compile. */
static int
compile_sub(struct compiler *k, size_t d, jv v, int depth, struct node **out)
{
	return (*out = compile(k, d, v, depth + 1)) == NULL ? -1 : 0;
}

static int
kw_type(struct compiler *k, size_t d, struct node *o, const char *key, jv v, int depth)
{
	struct sp_buf b = { 0 };
	int rc = 0;

	if (jv_get_kind(v) == JV_KIND_STRING) {
		if (!in_list(types, jv_string_value(v)))
			return kfail(k, d, "unknown type '%s'", jv_string_value(v));
		o->types = type_bit(jv_string_value(v));
		/* A kind's own name, as sp_json_kind_name words it ("null", "a string"). */
		if (strcmp(jv_string_value(v), "null") == 0)
			sp_buf_adds(&b, "null");
		else
			sp_buf_printf(&b, "%s %s", article(jv_string_value(v)), jv_string_value(v));
	} else if (jv_get_kind(v) == JV_KIND_ARRAY) {
		jv_array_foreach(v, i, t) {
			if (rc == 0 && (jv_get_kind(t) != JV_KIND_STRING ||
			    !in_list(types, jv_string_value(t))))
				rc = kfail(k, d, "bad 'type' list");
			if (rc == 0) {
				o->types |= type_bit(jv_string_value(t));
				sp_buf_printf(&b, "%s%s", i ? " or " : "", jv_string_value(t));
			}
			jv_free(t);
		}
	} else {
		return kfail(k, d, "'type' must be a string or a list");
	}
	free(o->type_names);
	o->type_names = b.data ? sp_buf_detach(&b, NULL) : sp_xstrdup("");
	sp_buf_free(&b);
	return rc;
}

static int
kw_const(struct compiler *k, size_t d, struct node *o, const char *key, jv v, int depth)
{
	o->has_const = 1;
	jv_free(o->cst);
	o->cst = jv_copy(v);
	if (jv_get_kind(v) == JV_KIND_STRING)
		o->cst_len = (size_t)jv_string_length_bytes(jv_copy(v));
	return 0;
}

static int
kw_enum(struct compiler *k, size_t d, struct node *o, const char *key, jv v, int depth)
{
	struct sp_buf b = { 0 };

	if (jv_get_kind(v) != JV_KIND_ARRAY)
		return kfail(k, d, "'%s' must be a list", key);
	o->nenum = jv_array_length(jv_copy(v));
	o->enums = sp_xcalloc((size_t)o->nenum + 1, sizeof *o->enums);
	o->enum_len = sp_xcalloc((size_t)o->nenum + 1, sizeof *o->enum_len);
	jv_array_foreach(v, i, e) {
		char a[64];

		if (jv_get_kind(e) == JV_KIND_STRING)
			o->enum_len[i] = (size_t)jv_string_length_bytes(jv_copy(e));
		show(e, a, sizeof a);
		sp_buf_printf(&b, "%s%s", i ? ", " : "", a);
		o->enums[i] = e;
	}
	o->enum_names = b.data ? sp_buf_detach(&b, NULL) : sp_xstrdup("");
	return 0;
}

static int
kw_required(struct compiler *k, size_t d, struct node *o, const char *key, jv v, int depth)
{
	if (jv_get_kind(v) != JV_KIND_ARRAY)
		return kfail(k, d, "'%s' must be a list", key);
	o->nreq = jv_array_length(jv_copy(v));
	o->req = sp_xcalloc((size_t)o->nreq + 1, sizeof *o->req);
	jv_array_foreach(v, i, e) {
		o->req[i] = sp_xstrdup(jv_get_kind(e) == JV_KIND_STRING ? jv_string_value(e) : "");
		jv_free(e);
	}
	return 0;
}

/* properties, and $defs (compiled to check them; a $ref compiles its target). */
static int
kw_members(struct compiler *k, size_t d, struct node *o, const char *key, jv v, int depth)
{
	int rc = 0, props = strcmp(key, "properties") == 0;

	if (jv_get_kind(v) != JV_KIND_OBJECT)
		return kfail(k, d, "'%s' must be an object", key);
	jv_object_foreach(v, pk, pv) {
		struct node *sub = NULL;

		if (rc == 0)
			rc = compile_sub(k, d, pv, depth, &sub);
		if (rc == 0 && props) {
			o->pname = sp_xreallocarray(o->pname, (size_t)o->nprop + 1, sizeof *o->pname);
			o->prop = sp_xreallocarray(o->prop, (size_t)o->nprop + 1, sizeof *o->prop);
			o->pname[o->nprop] = sp_xstrdup(jv_string_value(pk));
			o->prop[o->nprop++] = sub;
		}
		jv_free(pk);
		jv_free(pv);
	}
	return rc;
}

/* additionalProperties, items, if, then, else: one sub-schema each. */
static int
kw_sub(struct compiler *k, size_t d, struct node *o, const char *key, jv v, int depth)
{
	struct node **slot = strcmp(key, "items") == 0 ? &o->items :
	    strcmp(key, "if") == 0 ? &o->if_ : strcmp(key, "then") == 0 ? &o->then_ :
	    strcmp(key, "else") == 0 ? &o->else_ : &o->addl;

	if (slot == &o->addl && jv_get_kind(v) == JV_KIND_FALSE) {
		o->addl_false = 1;
		return 0;
	}
	return compile_sub(k, d, v, depth, slot);
}

/* allOf, anyOf: lists of sub-schemas. */
static int
kw_list(struct compiler *k, size_t d, struct node *o, const char *key, jv v, int depth)
{
	int all = strcmp(key, "allOf") == 0, rc = 0;
	struct node ***list = all ? &o->all : &o->any;
	int *count = all ? &o->nall : &o->nany;

	if (jv_get_kind(v) != JV_KIND_ARRAY)
		return kfail(k, d, "'%s' must be a list", key);
	*list = sp_xcalloc((size_t)jv_array_length(jv_copy(v)) + 1, sizeof **list);
	jv_array_foreach(v, i, e) {
		if (rc == 0 && (rc = compile_sub(k, d, e, depth, &(*list)[i])) == 0)
			*count = i + 1;
		jv_free(e);
	}
	return rc;
}

/* minItems, minimum, maximum, minLength, maxLength. */
static int
kw_num(struct compiler *k, size_t d, struct node *o, const char *key, jv v, int depth)
{
	static const char *const names[] = { "minItems", "minimum", "maximum", "minLength",
		"maxLength" };
	int *has[] = { &o->has_min_items, &o->has_min, &o->has_max, &o->has_minlen,
		&o->has_maxlen };
	double *x[] = { &o->min_items, &o->min, &o->max, &o->minlen, &o->maxlen };
	size_t i;

	if (jv_get_kind(v) != JV_KIND_NUMBER)
		return kfail(k, d, "'%s' must be a number", key);
	for (i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcmp(names[i], key) == 0) {
			*has[i] = 1;
			*x[i] = jv_number_value(v);
		}
	return 0;
}

static int
kw_format(struct compiler *k, size_t d, struct node *o, const char *key, jv v, int depth)
{
	const char *f;

	if (jv_get_kind(v) != JV_KIND_STRING || !in_list(formats, jv_string_value(v)))
		return kfail(k, d, "unsupported format");
	f = jv_string_value(v);
	o->format = strcmp(f, "date-time") == 0 ? F_DATETIME :
	    strcmp(f, "date") == 0 ? F_DATE :
	    strcmp(f, "spotify-id") == 0 ? F_ID : F_URI;
	return 0;
}

static int
kw_ref(struct compiler *k, size_t d, struct node *o, const char *key, jv v, int depth)
{
	if (jv_get_kind(v) != JV_KIND_STRING)
		return kfail(k, d, "'$ref' must be a string");
	return (o->ref = compile_ref(k, d, jv_string_value(v))) == NULL ? -1 : 0;
}

/* The keywords; NULL: an annotation, ignored. */
static const struct keyword {
	const char *name;
	kw_fn *fn;
} keywords[] = {
	{ "type", kw_type }, { "enum", kw_enum }, { "const", kw_const },
	{ "required", kw_required }, { "properties", kw_members },
	{ "additionalProperties", kw_sub }, { "items", kw_sub }, { "minItems", kw_num },
	{ "minimum", kw_num }, { "maximum", kw_num }, { "minLength", kw_num },
	{ "maxLength", kw_num }, { "format", kw_format }, { "$ref", kw_ref },
	{ "$defs", kw_members }, { "allOf", kw_list }, { "anyOf", kw_list }, { "if", kw_sub },
	{ "then", kw_sub }, { "else", kw_sub }, { "$schema", NULL }, { "$id", NULL },
	{ "$comment", NULL }, { "title", NULL }, { "description", NULL }, { "default", NULL },
	{ "examples", NULL },
};

/* Compiles schema n of document d; NULL after printing why it is not a schema. */
static struct node *
compile(struct compiler *k, size_t d, jv n, int depth)
{
	struct node *o;
	size_t w;
	int rc = 0;

	if (depth > 64) {
		kfail(k, d, "schema nested too deeply");
		return NULL;
	}
	if (jv_get_kind(n) != JV_KIND_OBJECT && jv_get_kind(n) != JV_KIND_TRUE &&
	    jv_get_kind(n) != JV_KIND_FALSE) {
		kfail(k, d, "a schema must be an object or a boolean");
		return NULL;
	}
	o = new_node(k);
	o->never = jv_get_kind(n) == JV_KIND_FALSE;
	if (jv_get_kind(n) != JV_KIND_OBJECT)
		return o;
	jv_object_foreach(n, kv, v) {
		const char *key = jv_string_value(kv);

		for (w = 0; w < sizeof keywords / sizeof keywords[0]; w++)
			if (strcmp(keywords[w].name, key) == 0)
				break;
		if (rc != 0 || strncmp(key, "x-", 2) == 0) {
			/* the rest is not looked at; x-* are annotations */
		} else if (w == sizeof keywords / sizeof keywords[0]) {
			rc = kfail(k, d, "unsupported schema keyword '%s'", key);
		} else if (keywords[w].fn != NULL) {
			rc = keywords[w].fn(k, d, o, key, v, depth);
		}
		jv_free(kv);
		jv_free(v);
	}
	if (rc != 0)
		return NULL;
	build_table(o);
	return o;
}

static void
node_free(struct node *n)
{
	int i;

	free(n->type_names);
	jv_free(n->cst);
	for (i = 0; i < n->nenum; i++)
		jv_free(n->enums[i]);
	free(n->enums);
	free(n->enum_len);
	free(n->enum_names);
	for (i = 0; i < n->nreq; i++)
		free(n->req[i]);
	free(n->req);
	for (i = 0; i < n->nprop; i++)
		free(n->pname[i]);
	free(n->pname);
	free(n->prop);
	free(n->tab);
	free(n->req_first);
	free(n->all);
	free(n->any);
	free(n);
}

static const char *
kind_name(unsigned bits)
{
	return bits & T_INTEGER ? "an integer" : sp_json_kind_name(bits & T_NUMBER ? SP_JSON_NUMBER :
	    bits & T_NULL ? SP_JSON_NULL : bits & T_BOOL ? SP_JSON_TRUE :
	    bits & T_OBJECT ? SP_JSON_OBJECT : bits & T_ARRAY ? SP_JSON_ARRAY :
	    bits & T_STRING ? SP_JSON_STRING : 0);
}

/* Adds a step to the path (not in quiet mode: no message will need it). */
static void
step_push(struct ctx *c, const char *p, size_t len, int tok, int index, size_t *saved)
{
	*saved = c->nstep;
	if (c->quiet || c->nstep == MAX_STEPS)
		return;
	c->step[c->nstep].p = p;
	c->step[c->nstep].len = len;
	c->step[c->nstep].tok = tok;
	c->step[c->nstep].index = index;
	c->nstep++;
}

static void
path_push(struct ctx *c, const char *key, size_t *saved)
{
	step_push(c, key, strlen(key), 0, 0, saved);
}

static void
path_pop(struct ctx *c, size_t saved)
{
	c->nstep = saved;
}

static int tcheck(struct ctx *c, const struct node *n, const struct sp_jtok *t);

static int
check_range(struct ctx *c, const struct node *n, double x)
{
	if (n->has_min && x < n->min)
		return bad(c, "%.17g is below the minimum %.17g", x, n->min);
	if (n->has_max && x > n->max)
		return bad(c, "%.17g is above the maximum %.17g", x, n->max);
	return 0;
}

/* allOf, anyOf and if/then/else of n over value t. */
static int
check_combined(struct ctx *c, const struct node *n, const struct sp_jtok *v)
{
	int i, rc = 0;

	for (i = 0; i < n->nall; i++)
		if ((rc = tcheck(c, n->all[i], v)) != 0)
			return rc;
	if (n->nany > 0) {
		struct sp_buf first = { 0 }, *saved = c->reason;
		int quiet = c->quiet;

		/* Only the first shape's reason is ever shown. */
		for (i = 0; i < n->nany; i++) {
			struct sp_buf r = { 0 };
			int ok;

			if (i == 0 && !quiet) {
				c->reason = &r;
				ok = tcheck(c, n->any[i], v) == 0;
				c->reason = saved;
				if (!ok)
					sp_buf_adds(&first, r.data ? r.data : "");
				sp_buf_free(&r);
			} else {
				c->quiet = 1;
				ok = tcheck(c, n->any[i], v) == 0;
				c->quiet = quiet;
			}
			if (ok)
				break;
		}
		if (i == n->nany)
			rc = bad(c, "matches none of the allowed shapes (the first: %s)",
			    first.data ? first.data : "");
		sp_buf_free(&first);
		if (rc != 0)
			return rc;
	}
	if (n->if_ != NULL) {
		int cond, quiet = c->quiet;

		/* A condition is expected to fail: it makes no message. */
		c->quiet = 1;
		cond = tcheck(c, n->if_, v) == 0;
		c->quiet = quiet;
		if (cond && n->then_ != NULL)
			rc = tcheck(c, n->then_, v);
		else if (!cond && n->else_ != NULL)
			rc = tcheck(c, n->else_, v);
	}
	return rc;
}

static int
compile_all(struct sp_schema *s)
{
	struct compiler k = { s, NULL, 0, NULL, 0 };
	size_t i;

	s->root = compile(&k, 0, s->docs[0].root, 0);
	s->nodes = k.all;
	s->nnodes = k.nall;
	for (i = 0; i < k.nmemo; i++)
		free(k.memo[i].ptr);
	free(k.memo);
	return s->root != NULL ? 0 : -1;
}

/* ---- checking JSON text (jscan.h), without building values ---- */

/* The kind bits of a token; for numbers the value in *x. */
static unsigned
tok_bits(const struct sp_jtok *t, double *x)
{
	switch (t->type) {
	case SP_JSON_NULL: return T_NULL;
	case SP_JSON_TRUE: case SP_JSON_FALSE: return T_BOOL;
	case SP_JSON_OBJECT: return T_OBJECT;
	case SP_JSON_ARRAY: return T_ARRAY;
	case SP_JSON_STRING: return T_STRING;
	default: {
		char tmp[64];
		size_t n = t->len < sizeof tmp - 1 ? t->len : sizeof tmp - 1;
		size_t i = t->len > 0 && t->p[0] == '-';
		unsigned long long u = 0;

		/*
		 * Most numbers are short integers, exact in a double: no copy
		 * and no strtod for them.
		 */
		if (t->len > i && t->len - i <= 15) {
			while (i < t->len && t->p[i] >= '0' && t->p[i] <= '9')
				u = u * 10 + (unsigned)(t->p[i++] - '0');
			if (i == t->len) {
				*x = t->p[0] == '-' ? -(double)u : (double)u;
				return T_NUMBER | T_INTEGER;
			}
		}
		memcpy(tmp, t->p, n);
		tmp[n] = '\0';
		*x = strtod(tmp, NULL);
		if (!isfinite(*x))
			return T_NUMBER;
		return *x == floor(*x) && fabs(*x) < 9007199254740992.0 ?
		    (T_NUMBER | T_INTEGER) : T_NUMBER;
	}
	}
}

/*
 * Whether token t equals the scalar jv v (strings, numbers, booleans,
 * null); vlen is v's length in bytes when it is a string.
 */
static int
tok_same(const struct sp_jtok *t, jv v, size_t vlen)
{
	double x = 0;

	switch (jv_get_kind(v)) {
	case JV_KIND_STRING: {
		struct sp_buf b = { 0 };
		int eq;

		if (t->type != SP_JSON_STRING)
			return 0;
		/* Without escapes the text between the quotes is the string. */
		if (memchr(t->p, '\\', t->len) == NULL)
			return t->len - 2 == vlen && memcmp(t->p + 1, jv_string_value(v), vlen) == 0;
		sp_jstr_decode(t, &b);
		eq = b.len == vlen && memcmp(b.data ? b.data : "", jv_string_value(v), b.len) == 0;
		sp_buf_free(&b);
		return eq;
	}
	case JV_KIND_NUMBER:
		return t->type == SP_JSON_NUMBER && (tok_bits(t, &x), x == jv_number_value(v));
	case JV_KIND_TRUE: return t->type == SP_JSON_TRUE;
	case JV_KIND_FALSE: return t->type == SP_JSON_FALSE;
	case JV_KIND_NULL: return t->type == SP_JSON_NULL;
	default: {
		jv u = jv_parse_sized(t->p, (int)t->len);
		int eq = jv_equal(u, jv_copy(v));

		return eq;
	}
	}
}

static void
tok_show(const struct sp_jtok *t, char *out, size_t n)
{
	if (t->type == SP_JSON_STRING) {
		struct sp_buf b = { 0 };

		sp_jstr_decode(t, &b);
		/* The decoded text is not NUL-terminated: bound it by its length. */
		snprintf(out, n, "'%.*s%s'", (int)(b.len > 40 ? 40 : b.len), b.data ? b.data : "",
		    b.len > 40 ? "..." : "");
		sp_buf_free(&b);
	} else {
		snprintf(out, n, "%.*s", t->len > 40 ? 40 : (int)t->len, t->p);
	}
}

static size_t
utf8_count(const char *s, size_t n)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++)
		k += ((unsigned char)s[i] & 0xc0) != 0x80;
	return k;
}

static int
tcheck_string(struct ctx *c, const struct node *n, const struct sp_jtok *t)
{
	struct sp_buf b = { 0 };
	const char *s;
	size_t len;
	int rc = 0, ok = 1;
	const char *what = "";

	if (!n->has_minlen && !n->has_maxlen && n->format == F_NONE)
		return 0;
	if (memchr(t->p, '\\', t->len) == NULL) {
		s = t->p + 1;
		len = t->len - 2;
	} else {
		sp_jstr_decode(t, &b);
		s = b.data ? b.data : "";
		len = b.len;
	}
	if (n->has_minlen && utf8_count(s, len) < n->minlen)
		rc = bad(c, "shorter than %g characters", n->minlen);
	else if (n->has_maxlen && utf8_count(s, len) > n->maxlen)
		rc = bad(c, "longer than %g characters", n->maxlen);
	else {
		switch (n->format) {
		case F_DATETIME: ok = sp_iso_time_ok(s, len), what = "not an ISO 8601 time"; break;
		case F_DATE: ok = date_ok(s, (size_t)len), what = "not a date (YYYY-MM-DD)"; break;
		case F_URI: ok = uri_ok(s, len), what = "not a Spotify URI"; break;
		case F_ID: ok = id_ok(s, len), what = "not a Spotify id (22 base-62 characters)"; break;
		default: break;
		}
		if (!ok)
			rc = bad(c, "%s", what);
	}
	sp_buf_free(&b);
	return rc;
}

/* Appends the decoded key to the path. */
static void
tpath_push(struct ctx *c, const struct sp_jtok *k, size_t *saved)
{
	step_push(c, k->p, k->len, 1, 0, saved);
}

/*
 * The members of the objects checked last: several schema nodes (allOf,
 * if/then) look at the same object, and scanning its text once is enough.
 */
#define OC_SLOTS 8

/* Member indexes (jscan.h) of the objects at p (len bytes). */
struct objcache {
	struct {
		const char *p;
		size_t len;
		struct sp_jmembers m;
	} slot[OC_SLOTS];
	unsigned next;
};

/*
 * Walking the members of an object whose text sp_jscan has checked
 * already: the walk need not check it again, only find where each
 * string and value ends (sp_jiter_next checks every byte again).
 */
/* The end of the string token at p (its opening quote). */
static const char *
str_end(const char *p, const char *end)
{
	const char *q = p + 1, *b;

	for (;;) {
		q = memchr(q, '"', (size_t)(end - q));
		if (q == NULL)
			return end;	/* cannot happen in checked text */
		/* A quote after an odd run of backslashes is escaped. */
		for (b = q; b[-1] == '\\'; b--)
			;
		if ((q - b) % 2 == 0)
			return q + 1;
		q++;
	}
}

/* The end of the value at p, and its type in *type. */
static const char *
value_end(const char *p, const char *end, int *type)
{
	int depth = 0;

	switch (*p) {
	case '"':
		*type = SP_JSON_STRING;
		return str_end(p, end);
	case '{':
	case '[':
		*type = *p == '{' ? SP_JSON_OBJECT : SP_JSON_ARRAY;
		break;
	default:
		*type = *p == 'n' ? SP_JSON_NULL : *p == 't' ? SP_JSON_TRUE :
		    *p == 'f' ? SP_JSON_FALSE : SP_JSON_NUMBER;
		while (p < end && *p != ',' && *p != '}' && *p != ']' && *p != ' ' &&
		    *p != '\t' && *p != '\n' && *p != '\r')
			p++;
		return p;
	}
	while (p < end) {
		if (*p == '"') {
			p = str_end(p, end);
			continue;
		}
		if (*p == '{' || *p == '[')
			depth++;
		else if ((*p == '}' || *p == ']') && --depth == 0)
			return p + 1;
		p++;
	}
	return end;	/* cannot happen in checked text */
}

/* sp_jiter_next over checked text: the next member of an object. */
static int
next_member(struct sp_jiter *it, struct sp_jtok *k, struct sp_jtok *v)
{
	const char *p = sp_jscan_ws(it->p, it->end), *q;

	if (p < it->end && *p == ',')
		p = sp_jscan_ws(p + 1, it->end);
	if (p >= it->end)
		return 0;
	q = str_end(p, it->end);
	k->type = SP_JSON_STRING;
	k->p = p;
	k->len = (size_t)(q - p);
	p = sp_jscan_ws(sp_jscan_ws(q, it->end) + 1, it->end);
	q = value_end(p, it->end, &v->type);
	v->p = p;
	v->len = (size_t)(q - p);
	it->p = q;
	return 1;
}

/* The member index of object t, from the cache or walked now; NULL when it has too many. */
static const struct sp_jmembers *
members(struct ctx *c, const struct sp_jtok *t)
{
	struct objcache *oc = c->oc;
	struct sp_jiter it;
	struct sp_jtok kk, vv;
	unsigned i;

	for (i = 0; i < OC_SLOTS; i++)
		if (oc->slot[i].p == t->p && oc->slot[i].len == t->len)
			return oc->slot[i].m.complete ? &oc->slot[i].m : NULL;
	i = oc->next++ % OC_SLOTS;
	oc->slot[i].p = NULL;
	sp_jmembers_reset(&oc->slot[i].m);
	sp_jiter_init(&it, t);
	while (next_member(&it, &kk, &vv))
		if (sp_jmembers_add(&oc->slot[i].m, &kk, &vv) != 0)
			return NULL;
	oc->slot[i].p = t->p;
	oc->slot[i].len = t->len;
	return &oc->slot[i].m;
}

static int
tcheck_object(struct ctx *c, const struct node *n, const struct sp_jtok *t)
{
	unsigned char seen[64];
	const struct sp_jmembers *ms;
	struct sp_jiter it;
	struct sp_jtok k, v;	/* the member being walked, when not cached */
	const struct sp_jtok *kp, *vp;
	struct sp_jname one;
	const struct sp_jname *key = &one;
	size_t saved;
	int i, m, esc, rc = 0;

	/* A node that names no member and allows any looks at none. */
	if (n->tab == NULL && !n->addl_false && n->addl == NULL)
		return 0;
	memset(seen, 0, sizeof seen);
	if ((ms = members(c, t)) == NULL)
		sp_jiter_init(&it, t);
	for (m = 0; ms != NULL ? m < ms->n : next_member(&it, &k, &v); m++) {
		const struct node *sub = NULL;

		if (ms != NULL) {
			kp = &ms->k[m];
			vp = &ms->v[m];
			key = &ms->name[m];
			esc = ms->esc[m];
		} else {
			kp = &k;
			vp = &v;
			if (!(esc = memchr(k.p, '\\', k.len) != NULL))
				sp_jname_key(k.p + 1, k.len - 2, &one);
		}
		if (n->tab == NULL) {
			/* no names to find */
		} else if (!esc) {
			const struct pent *e = tab_find(n, kp->p + 1, kp->len - 2, key);

			if (e != NULL) {
				if (e->req >= 0 && e->req < 64)
					seen[e->req] = 1;
				if (e->prop >= 0)
					sub = n->prop[e->prop];
			}
		} else {
			for (i = 0; i < n->nreq && i < 64; i++)
				if (!seen[i] && sp_jstr_eq(kp, n->req[i]))
					seen[i] = 1;
			for (i = 0; i < n->nprop; i++)
				if (sp_jstr_eq(kp, n->pname[i])) {
					sub = n->prop[i];
					break;
				}
		}
		if (rc != 0)
			continue;
		if (sub != NULL || n->addl_false || n->addl != NULL) {
			tpath_push(c, kp, &saved);
			if (sub != NULL)
				rc = tcheck(c, sub, vp);
			else if (n->addl_false)
				rc = bad(c, "not allowed here");
			else
				rc = tcheck(c, n->addl, vp);
			path_pop(c, saved);
		}
	}
	/* Missing members are reported first, in the schema's order. */
	for (i = 0; i < n->nreq && i < 64; i++)
		if (!seen[n->req_first[i]]) {
			if (c->quiet)
				return -1;
			sp_buf_reset(c->reason);
			path_push(c, n->req[i], &saved);
			rc = bad(c, "missing");
			path_pop(c, saved);
			return rc;
		}
	return rc;
}

static int
tcheck_array(struct ctx *c, const struct node *n, const struct sp_jtok *t)
{
	size_t saved;
	struct sp_jiter it;
	struct sp_jtok v;
	int i = 0, rc = 0;

	if (n->has_min_items) {
		sp_jiter_init(&it, t);
		while (sp_jiter_next(&it, NULL, &v))
			i++;
		if (i < n->min_items)
			return bad(c, "fewer than %g items", n->min_items);
	}
	if (n->items == NULL)
		return 0;
	sp_jiter_init(&it, t);
	for (i = 0; rc == 0 && sp_jiter_next(&it, NULL, &v); i++) {
		step_push(c, NULL, 0, 0, i, &saved);
		rc = tcheck(c, n->items, &v);
		path_pop(c, saved);
	}
	return rc;
}

static int
tcheck(struct ctx *c, const struct node *n, const struct sp_jtok *t)
{
	unsigned bits;
	double x = 0;
	int i, rc = 0;

	if (n->never)
		return bad(c, "not allowed here");
	if (++c->depth > 64) {
		c->depth--;
		return bad(c, "nested too deeply");
	}
	/*
	 * A node that is only a $ref checks nothing the target does not,
	 * except a number's finiteness, which it would report first (its
	 * parent has, so numbers take the long way only to be sure).
	 */
	if (n->only_ref && t->type != SP_JSON_NUMBER) {
		rc = tcheck(c, n->ref, t);
		goto out;
	}
	bits = tok_bits(t, &x);
	if ((bits & T_NUMBER) && !isfinite(x)) {
		rc = bad(c, "not a finite number");
		goto out;
	}
	if (n->ref != NULL && (rc = tcheck(c, n->ref, t)) != 0)
		goto out;
	if (n->types != 0 && (n->types & bits) == 0) {
		rc = bad(c, "expected %s, got %s", n->type_names, kind_name(bits));
		goto out;
	}
	if (n->has_const && !tok_same(t, n->cst, n->cst_len)) {
		char a[64];

		if (c->quiet) {
			rc = -1;
			goto out;
		}
		show(n->cst, a, sizeof a);
		rc = bad(c, "expected %s", a);
		goto out;
	}
	if (n->nenum > 0) {
		for (i = 0; i < n->nenum; i++)
			if (tok_same(t, n->enums[i], n->enum_len[i]))
				break;
		if (i == n->nenum) {
			char a[64];

			if (c->quiet) {
				rc = -1;
				goto out;
			}
			tok_show(t, a, sizeof a);
			rc = bad(c, "%s is not one of %s", a, n->enum_names);
			goto out;
		}
	}
	if ((bits & T_NUMBER) && (rc = check_range(c, n, x)) != 0)
		goto out;
	if ((bits & T_STRING) && (rc = tcheck_string(c, n, t)) != 0)
		goto out;
	if ((bits & T_OBJECT) && (rc = tcheck_object(c, n, t)) != 0)
		goto out;
	if ((bits & T_ARRAY) && (rc = tcheck_array(c, n, t)) != 0)
		goto out;
	rc = check_combined(c, n, t);
out:
	c->depth--;
	return rc;
}

int
sp_schema_check_text(const struct sp_schema *s, const struct sp_jtok *t,
    struct sp_buf *reason)
{
	struct objcache oc;	/* on the stack: checkers may run in threads */
	struct ctx c;
	int i;

	oc.next = 0;
	for (i = 0; i < OC_SLOTS; i++)
		oc.slot[i].p = NULL;
	c.s = s;
	c.reason = reason;
	c.depth = c.quiet = 0;
	c.oc = &oc;
	c.nstep = 0;
	return tcheck(&c, s->root, t);
}

int
sp_json_text_ok(const char *text, size_t n, struct sp_buf *reason)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t i = 0, run = 0;
	int k;

	while (i < n) {
		/*
		 * Plain ASCII without a backslash needs no look: skip it 8
		 * bytes at a time (not just after a backslash, run > 0).
		 */
		while (run == 0 && n - i >= 8) {
			uint64_t w, x;

			memcpy(&w, s + i, 8);
			x = w ^ 0x5c5c5c5c5c5c5c5cull;	/* a backslash becomes 0 */
			if ((w & 0x8080808080808080ull) != 0 ||
			    ((x - 0x0101010101010101ull) & ~x & 0x8080808080808080ull) != 0)
				break;
			i += 8;
		}
		if (i >= n)
			break;
		if (s[i] < 0x80) {
			if (s[i] == 'u' && run % 2 == 1 && i + 4 < n) {
				unsigned long u = strtoul((char[5]){ (char)s[i + 1], (char)s[i + 2],
				    (char)s[i + 3], (char)s[i + 4], 0 }, NULL, 16);

				if (u == 0) {
					sp_buf_adds(reason, "contains \\u0000, which PostgreSQL refuses");
					return 0;
				}
				if (u >= 0xd800 && u <= 0xdfff && (u >= 0xdc00 || i + 10 >= n ||
				    s[i + 5] != '\\' || s[i + 6] != 'u' ||
				    strtoul((char[5]){ (char)s[i + 7], (char)s[i + 8], (char)s[i + 9],
				    (char)s[i + 10], 0 }, NULL, 16) < 0xdc00 ||
				    strtoul((char[5]){ (char)s[i + 7], (char)s[i + 8], (char)s[i + 9],
				    (char)s[i + 10], 0 }, NULL, 16) > 0xdfff)) {
					sp_buf_adds(reason, "contains a lone UTF-16 surrogate escape, which PostgreSQL refuses");
					return 0;
				}
				if (u >= 0xd800 && u <= 0xdbff) {
					/* Skip the low half: it is not alone. */
					i += 6;
				}
			}
			run = s[i] == '\\' ? run + 1 : 0;
			i++;
			continue;
		}
		run = 0;
		if ((k = sp_utf8_len(s + i, n - i)) <= 0)
			goto bad;
		i += (size_t)k;
	}
	return 1;
bad:
	sp_buf_adds(reason, "invalid UTF-8");
	return 0;
}
