/* model.c: dbt-style SQL models: reading, Jinja subset, ordering, building, data tests. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <yaml.h>

#include "buf.h"
#include "diag.h"
#include "model.h"
#include "paths.h"
#include "pg.h"

#define MAX_DEPTH 8		/* directory levels searched under models/ */
#define NAME_MAX_LEN 54		/* 63 (PostgreSQL) minus the "__sp_new" suffix */
#define TMP_SUFFIX "__sp_new"

/* A Jinja call as parsed: fn(args...) or config(materialized=...). */
struct jcall {
	char fn[16];
	char *args[2];
	int nargs;
	char *mat;		/* config(materialized=...) */
	long line;
};

typedef int (*jcall_fn)(const struct jcall *j, const char *path, struct sp_buf *out, void *arg);

/* The whole file, or NULL after a warning naming it. */
static char *
slurp(const char *path)
{
	char *text = sp_read_file(path, SIZE_MAX, NULL);

	if (text == NULL)
		sp_warn("%s: %s", path, strerror(errno));
	return text;
}

static int
is_ident(const char *s, size_t max)
{
	size_t i;

	if (s[0] == '\0' || isdigit((unsigned char)s[0]))
		return 0;
	for (i = 0; s[i] != '\0'; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '_')
			return 0;
	return i <= max;
}

static const char *
skip_ws(const char *s, const char *end)
{
	while (s < end && isspace((unsigned char)*s))
		s++;
	return s;
}

static void
jcall_clear(struct jcall *j)
{
	free(j->args[0]);
	free(j->args[1]);
	free(j->mat);
	memset(j, 0, sizeof *j);
}

/* Reads a quoted string at *s; returns it (malloc'd) or NULL. */
static char *
parse_str(const char **s, const char *end)
{
	const char *p = *s, *start;
	char q;

	if (p >= end || (*p != '\'' && *p != '"'))
		return NULL;
	q = *p++;
	start = p;
	while (p < end && *p != q) {
		if (*p == '\\' || *p == '\n')
			return NULL;
		p++;
	}
	if (p >= end)
		return NULL;
	*s = p + 1;
	char *r = sp_xmalloc((size_t)(p - start) + 1);
	memcpy(r, start, (size_t)(p - start));
	r[p - start] = '\0';
	return r;
}

/*
 * parse_call: parses the inside of {{ ... }} into j.  Returns 0, or -1
 * with the reason in why.
 */
static int
parse_call(const char *s, const char *end, struct jcall *j, const char **why)
{
	const char *p = skip_ws(s, end), *id;
	size_t n;

	id = p;
	while (p < end && (isalnum((unsigned char)*p) || *p == '_'))
		p++;
	n = (size_t)(p - id);
	if (n == 0 || n >= sizeof j->fn) {
		*why = "unsupported";
		return -1;
	}
	memcpy(j->fn, id, n);
	j->fn[n] = '\0';
	if (strcmp(j->fn, "ref") != 0 && strcmp(j->fn, "source") != 0 &&
	    strcmp(j->fn, "config") != 0 && strcmp(j->fn, "var") != 0) {
		*why = "unsupported";
		return -1;
	}
	p = skip_ws(p, end);
	if (p >= end || *p != '(') {
		*why = "unsupported";
		return -1;
	}
	p = skip_ws(p + 1, end);
	while (p < end && *p != ')') {
		char *v;

		if (*p == '\'' || *p == '"') {
			if (j->nargs == 2 || (v = parse_str(&p, end)) == NULL) {
				*why = "bad arguments";
				return -1;
			}
			j->args[j->nargs++] = v;
		} else {
			const char *k = p;

			while (p < end && (isalnum((unsigned char)*p) || *p == '_'))
				p++;
			if ((size_t)(p - k) != strlen("materialized") ||
			    strncmp(k, "materialized", (size_t)(p - k)) != 0) {
				*why = "bad arguments";
				return -1;
			}
			p = skip_ws(p, end);
			if (p >= end || *p != '=') {
				*why = "bad arguments";
				return -1;
			}
			p = skip_ws(p + 1, end);
			free(j->mat);
			if ((j->mat = parse_str(&p, end)) == NULL) {
				*why = "bad arguments";
				return -1;
			}
		}
		p = skip_ws(p, end);
		if (p < end && *p == ',')
			p = skip_ws(p + 1, end);
		else if (p < end && *p != ')') {
			*why = "bad arguments";
			return -1;
		}
	}
	if (p >= end) {
		*why = "bad arguments";
		return -1;
	}
	p = skip_ws(p + 1, end);
	if (p != end) {
		*why = "unsupported";
		return -1;
	}
	*why = "bad arguments";
	if (strcmp(j->fn, "ref") == 0)
		return j->nargs == 1 && j->mat == NULL ? 0 : -1;
	if (strcmp(j->fn, "source") == 0)
		return j->nargs == 2 && j->mat == NULL ? 0 : -1;
	if (strcmp(j->fn, "var") == 0)
		return j->nargs >= 1 && j->mat == NULL ? 0 : -1;
	/* config */
	if (j->nargs != 0 || j->mat == NULL)
		return -1;
	if (strcmp(j->mat, "view") != 0 && strcmp(j->mat, "table") != 0) {
		*why = "materialized";
		return -1;
	}
	return 0;
}

static const char *
usage_of(const char *fn)
{
	if (strcmp(fn, "ref") == 0)
		return "ref('model')";
	if (strcmp(fn, "source") == 0)
		return "source('source', 'table')";
	if (strcmp(fn, "var") == 0)
		return "var('name') or var('name', 'default')";
	return "config(materialized='view') or config(materialized='table')";
}

static void
add_newlines(struct sp_buf *out, const char *s, const char *end)
{
	for (; s < end; s++)
		if (*s == '\n')
			sp_buf_addc(out, '\n');
}

/*
 * jinja_walk: copies text to out (when not NULL) and calls fn for each
 * {{ call }}.  Returns 0, or -1 after a message naming path and line.
 */
static int
jinja_walk(const char *path, const char *text, struct sp_buf *out, jcall_fn fn, void *arg)
{
	const char *s = text, *e;
	long line = 1;

	while (*s != '\0') {
		if (s[0] == '{' && (s[1] == '{' || s[1] == '%' || s[1] == '#')) {
			const char *close = s[1] == '{' ? "}}" : s[1] == '%' ? "%}" : "#}";

			e = strstr(s + 2, close);
			if (s[1] == '%') {
				sp_warn_at(path, line, "Jinja statements ('{%%') are not supported: only ref(), source(), config() and var() are allowed");
				return -1;
			}
			if (e == NULL) {
				sp_warn_at(path, line, "unterminated '%.2s'", s);
				return -1;
			}
			if (s[1] == '{') {
				struct jcall j;
				const char *why;

				memset(&j, 0, sizeof j);
				j.line = line;
				if (parse_call(s + 2, e, &j, &why) != 0) {
					int n = (int)(e + 2 - s);

					if (strcmp(why, "unsupported") == 0)
						sp_warn_at(path, line, "unsupported Jinja '%.*s': only ref(), source(), config() and var() are allowed",
						    n > 80 ? 80 : n, s);
					else if (strcmp(why, "materialized") == 0)
						sp_warn_at(path, line, "materialized='%s' is not supported: use 'view' or 'table'", j.mat);
					else
						sp_warn_at(path, line, "bad call '%.*s': expected %s",
						    n > 80 ? 80 : n, s, usage_of(j.fn));
					jcall_clear(&j);
					return -1;
				}
				if (fn(&j, path, out, arg) != 0) {
					jcall_clear(&j);
					return -1;
				}
				jcall_clear(&j);
			}
			if (out != NULL)
				add_newlines(out, s, e);
			for (; s < e; s++)
				if (*s == '\n')
					line++;
			s = e + 2;
			continue;
		}
		if (*s == '\n')
			line++;
		if (out != NULL)
			sp_buf_addc(out, *s);
		s++;
	}
	return 0;
}

/* Finding files. */

struct paths {
	char **v;
	size_t n, cap;
};

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Collects the files under dir whose names end in ext; a missing dir is empty. */
static int
find_files(const char *dir, const char *ext, int depth, struct paths *ps)
{
	DIR *d;
	struct dirent *de;
	size_t el = strlen(ext);

	if ((d = opendir(dir)) == NULL) {
		if (errno == ENOENT && depth == 0)
			return 0;
		sp_warn("%s: %s", dir, strerror(errno));
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		struct sp_buf b = { 0 };
		struct stat st;
		size_t l = strlen(de->d_name);

		if (de->d_name[0] == '.')
			continue;
		sp_buf_printf(&b, "%s/%s", dir, de->d_name);
		if (stat(b.data, &st) != 0) {
			sp_buf_free(&b);
			continue;
		}
		if (S_ISDIR(st.st_mode)) {
			if (depth < MAX_DEPTH && find_files(b.data, ext, depth + 1, ps) != 0) {
				sp_buf_free(&b);
				closedir(d);
				return -1;
			}
			sp_buf_free(&b);
		} else if (l > el && strcmp(de->d_name + l - el, ext) == 0) {
			if (ps->n == ps->cap)
				ps->v = sp_xreallocarray(ps->v, ps->cap = ps->cap ? ps->cap * 2 : 32, sizeof *ps->v);
			ps->v[ps->n++] = sp_buf_detach(&b, NULL);
		} else {
			sp_buf_free(&b);
		}
	}
	closedir(d);
	if (depth == 0 && ps->n > 1)
		qsort(ps->v, ps->n, sizeof *ps->v, cmp_str);
	return 0;
}

static void
paths_free(struct paths *ps)
{
	size_t i;

	for (i = 0; i < ps->n; i++)
		free(ps->v[i]);
	free(ps->v);
	memset(ps, 0, sizeof *ps);
}

static char *
base_name(const char *path, const char *ext)
{
	const char *b = strrchr(path, '/');
	size_t n;
	char *r;

	b = b ? b + 1 : path;
	n = strlen(b) - strlen(ext);
	r = sp_xmalloc(n + 1);
	memcpy(r, b, n);
	r[n] = '\0';
	return r;
}

/*
 * Sources: the "sources:" section of a dbt schema file, read with libyaml
 * (so any YAML a dbt user writes: flow style, quotes, anchors, block
 * scalars, comments).  Understood: each source's name and schema
 * (default: its name) and each of its tables' name and identifier
 * (default: the name); other keys (columns, tests, descriptions) are
 * skipped.  Errors name the file and line.
 */

/*
 * The value of key in mapping node m of d, or NULL; a key of its own wins
 * over one merged in with "<<: *anchor" (or a list of anchors), as YAML's
 * merge key says.
 */
static yaml_node_t *
ymap_get(yaml_document_t *d, yaml_node_t *m, const char *key)
{
	yaml_node_pair_t *pr;
	yaml_node_item_t *it;
	yaml_node_t *k, *v, *r;

	if (m == NULL || m->type != YAML_MAPPING_NODE)
		return NULL;
	for (pr = m->data.mapping.pairs.start; pr < m->data.mapping.pairs.top; pr++) {
		k = yaml_document_get_node(d, pr->key);
		if (k != NULL && k->type == YAML_SCALAR_NODE &&
		    strcmp((const char *)k->data.scalar.value, key) == 0)
			return yaml_document_get_node(d, pr->value);
	}
	for (pr = m->data.mapping.pairs.start; pr < m->data.mapping.pairs.top; pr++) {
		k = yaml_document_get_node(d, pr->key);
		if (k == NULL || k->type != YAML_SCALAR_NODE ||
		    strcmp((const char *)k->data.scalar.value, "<<") != 0 ||
		    (v = yaml_document_get_node(d, pr->value)) == NULL || v == m)
			continue;
		if (v->type == YAML_MAPPING_NODE && (r = ymap_get(d, v, key)) != NULL)
			return r;
		if (v->type != YAML_SEQUENCE_NODE)
			continue;
		for (it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++)
			if ((r = ymap_get(d, yaml_document_get_node(d, *it), key)) != NULL)
				return r;
	}
	return NULL;
}

/* The text of scalar member key of m (a copy), or NULL (also when not a scalar). */
static char *
ymap_str(yaml_document_t *d, yaml_node_t *m, const char *key)
{
	yaml_node_t *v = ymap_get(d, m, key);

	if (v == NULL || v->type != YAML_SCALAR_NODE)
		return NULL;
	return sp_xstrdup((const char *)v->data.scalar.value);
}

/* The line of node n, from 1. */
static unsigned long
yline(const yaml_node_t *n)
{
	return (unsigned long)n->start_mark.line + 1;
}

/* Adds the tables of source item src (a mapping) of document d. */
static int
add_source(struct sp_project *p, const char *path, yaml_document_t *d, yaml_node_t *src)
{
	char *name = ymap_str(d, src, "name"), *schema = ymap_str(d, src, "schema");
	yaml_node_t *tables = ymap_get(d, src, "tables");
	yaml_node_item_t *it;
	int rc = 0;

	if (name == NULL) {
		sp_warn("%s:%lu: a source needs a name", path, yline(src));
		rc = -1;
	} else if (tables != NULL && tables->type != YAML_SEQUENCE_NODE) {
		sp_warn("%s:%lu: the tables of source '%s' are not a list", path, yline(tables), name);
		rc = -1;
	}
	for (it = tables ? tables->data.sequence.items.start : NULL;
	    rc == 0 && it != NULL && it < tables->data.sequence.items.top; it++) {
		yaml_node_t *t = yaml_document_get_node(d, *it);
		struct sp_source *cur;
		char *table = ymap_str(d, t, "name");

		if (table == NULL) {
			sp_warn("%s:%lu: a table of source '%s' has no name", path, yline(t), name);
			rc = -1;
			break;
		}
		p->srcs = sp_xreallocarray(p->srcs, p->nsrcs + 1, sizeof *p->srcs);
		cur = &p->srcs[p->nsrcs++];
		cur->name = sp_xstrdup(name);
		cur->table = table;
		cur->schema = sp_xstrdup(schema ? schema : name);
		if ((cur->ident = ymap_str(d, t, "identifier")) == NULL)
			cur->ident = sp_xstrdup(table);
		if (!is_ident(cur->schema, 63) || !is_ident(cur->ident, 63)) {
			sp_warn("%s:%lu: source '%s.%s': '%s.%s' is not a plain schema.table name",
			    path, yline(t), cur->name, cur->table, cur->schema, cur->ident);
			rc = -1;
		}
	}
	free(name);
	free(schema);
	return rc;
}

static int
load_sources(struct sp_project *p, const char *path)
{
	FILE *fp = fopen(path, "rb");
	yaml_parser_t ps;
	yaml_document_t doc;
	yaml_node_t *srcs;
	yaml_node_item_t *it;
	int rc = 0;

	if (fp == NULL) {
		sp_warn("%s: %s", path, strerror(errno));
		return -1;
	}
	yaml_parser_initialize(&ps);
	yaml_parser_set_input_file(&ps, fp);
	if (!yaml_parser_load(&ps, &doc)) {
		sp_warn("%s:%lu: %s%s%s", path, (unsigned long)ps.problem_mark.line + 1,
		    ps.problem ? ps.problem : "invalid YAML", ps.context ? " " : "",
		    ps.context ? ps.context : "");
		yaml_parser_delete(&ps);
		fclose(fp);
		return -1;
	}
	srcs = ymap_get(&doc, yaml_document_get_root_node(&doc), "sources");
	if (srcs != NULL && srcs->type != YAML_SEQUENCE_NODE) {
		sp_warn("%s:%lu: 'sources' is not a list", path, yline(srcs));
		rc = -1;
	}
	for (it = srcs && rc == 0 ? srcs->data.sequence.items.start : NULL;
	    rc == 0 && it != NULL && it < srcs->data.sequence.items.top; it++)
		rc = add_source(p, path, &doc, yaml_document_get_node(&doc, *it));
	yaml_document_delete(&doc);
	yaml_parser_delete(&ps);
	fclose(fp);
	return rc;
}

static const struct sp_source *
find_source(const struct sp_project *p, const char *name, const char *table)
{
	size_t i;

	for (i = 0; i < p->nsrcs; i++)
		if (strcmp(p->srcs[i].name, name) == 0 && strcmp(p->srcs[i].table, table) == 0)
			return &p->srcs[i];
	return NULL;
}

long
sp_project_find(const struct sp_project *p, const char *name)
{
	size_t i;

	for (i = 0; i < p->nmodels; i++)
		if (strcmp(p->models[i].name, name) == 0)
			return (long)i;
	return -1;
}

/* The load pass: records config(), refs and sources of one model. */
struct scan {
	struct sp_project *p;
	struct sp_model *m;
};

static int
scan_call(const struct jcall *j, const char *path, struct sp_buf *out, void *arg)
{
	struct scan *sc = arg;
	struct sp_model *m = sc->m;
	const struct sp_source *src;
	long idx;
	size_t i;

	(void)out;
	if (strcmp(j->fn, "config") == 0) {
		m->materialized = strcmp(j->mat, "table") == 0 ? SP_MAT_TABLE : SP_MAT_VIEW;
	} else if (strcmp(j->fn, "ref") == 0) {
		if ((idx = sp_project_find(sc->p, j->args[0])) < 0) {
			sp_warn_at(path, j->line, "ref to unknown model '%s'", j->args[0]);
			return -1;
		}
		if ((size_t)idx == (size_t)(m - sc->p->models)) {
			sp_warn_at(path, j->line, "model '%s' refers to itself", m->name);
			return -1;
		}
		for (i = 0; i < m->ndeps; i++)
			if (m->deps[i] == (size_t)idx)
				return 0;
		m->deps = sp_xreallocarray(m->deps, m->ndeps + 1, sizeof *m->deps);
		m->deps[m->ndeps++] = (size_t)idx;
	} else if (strcmp(j->fn, "source") == 0) {
		struct sp_buf b = { 0 };

		if ((src = find_source(sc->p, j->args[0], j->args[1])) == NULL) {
			sp_warn_at(path, j->line, "unknown source '%s.%s' (not declared in models/*.yml)",
			    j->args[0], j->args[1]);
			return -1;
		}
		sp_buf_printf(&b, "%s.%s", src->schema, src->ident);
		for (i = 0; i < m->nsources; i++)
			if (strcmp(m->sources[i], b.data) == 0) {
				sp_buf_free(&b);
				return 0;
			}
		m->sources = sp_xreallocarray(m->sources, m->nsources + 1, sizeof *m->sources);
		m->sources[m->nsources++] = sp_buf_detach(&b, NULL);
	}
	return 0;
}

/*
 * order_models: Kahn's algorithm, the smallest name first among the ready
 * ones so that the order is deterministic.  A cycle is reported by
 * following unbuilt dependencies from the first unbuilt model.
 */
static int
order_models(struct sp_project *p)
{
	size_t n = p->nmodels, done = 0, i, k;
	unsigned char *built = sp_xcalloc(n ? n : 1, 1);

	p->order = sp_xcalloc(n ? n : 1, sizeof *p->order);
	while (done < n) {
		long best = -1;

		for (i = 0; i < n; i++) {
			int ready = !built[i];

			for (k = 0; ready && k < p->models[i].ndeps; k++)
				if (!built[p->models[i].deps[k]])
					ready = 0;
			if (ready && (best < 0 || strcmp(p->models[i].name, p->models[best].name) < 0))
				best = (long)i;
		}
		if (best < 0)
			break;
		built[best] = 1;
		p->order[done++] = (size_t)best;
	}
	if (done < n) {
		/* Every unbuilt model has an unbuilt dependency: walk until a repeat. */
		size_t *path = sp_xcalloc(n + 1, sizeof *path), len = 0, cur = 0, start;
		unsigned char *seen = sp_xcalloc(n, 1);
		struct sp_buf b = { 0 };

		for (i = n; i-- > 0;)
			if (!built[i] && (built[cur] || strcmp(p->models[i].name, p->models[cur].name) < 0))
				cur = i;
		while (!seen[cur]) {
			seen[cur] = 1;
			path[len++] = cur;
			for (k = 0; k < p->models[cur].ndeps; k++)
				if (!built[p->models[cur].deps[k]])
					break;
			cur = p->models[cur].deps[k];
		}
		for (start = 0; path[start] != cur; start++)
			;
		/* path[start..len) is the cycle, each depending on the next. */
		for (i = start; i < len; i++)
			sp_buf_printf(&b, "%s -> ", p->models[path[i]].name);
		sp_buf_adds(&b, p->models[cur].name);
		sp_warn("dependency cycle: %s", b.data);
		sp_hint("each model refs the next one; %s", p->models[path[start]].path);
		sp_buf_free(&b);
		free(path);
		free(seen);
		free(built);
		return -1;
	}
	free(built);
	return 0;
}

int
sp_project_load(struct sp_project *p, const char *dir, const char *schema)
{
	struct paths sql = { 0 }, yml = { 0 };
	struct sp_buf b = { 0 };
	size_t i, k;
	int rc = -1;

	p->dir = sp_xstrdup(dir);
	p->schema = sp_xstrdup(schema ? schema : "analytics");
	if (!is_ident(p->schema, 63)) {
		sp_warn("schema '%s' is not a plain name", p->schema);
		return -1;
	}
	sp_buf_printf(&b, "%s/models", dir);
	{
		struct stat st;

		if (stat(b.data, &st) != 0 || !S_ISDIR(st.st_mode)) {
			sp_warn("%s: no models directory", b.data);
			sp_buf_free(&b);
			return -1;
		}
	}
	if (find_files(b.data, ".yml", 0, &yml) != 0 || find_files(b.data, ".sql", 0, &sql) != 0)
		goto out;
	for (i = 0; i < yml.n; i++)
		if (load_sources(p, yml.v[i]) != 0)
			goto out;
	p->models = sp_xcalloc(sql.n ? sql.n : 1, sizeof *p->models);
	for (i = 0; i < sql.n; i++) {
		struct sp_model *m = &p->models[p->nmodels];

		m->name = base_name(sql.v[i], ".sql");
		m->path = sp_xstrdup(sql.v[i]);
		m->materialized = SP_MAT_VIEW;
		p->nmodels++;
		if (!is_ident(m->name, NAME_MAX_LEN)) {
			sp_warn("%s: model name '%s' is not a plain name of at most %d characters",
			    m->path, m->name, NAME_MAX_LEN);
			goto out;
		}
		for (k = 0; k + 1 < p->nmodels; k++)
			if (strcmp(p->models[k].name, m->name) == 0) {
				sp_warn("%s: model '%s' is already defined in %s", m->path, m->name,
				    p->models[k].path);
				goto out;
			}
		if ((m->text = slurp(m->path)) == NULL)
			goto out;
	}
	for (i = 0; i < p->nmodels; i++) {
		struct scan sc = { p, &p->models[i] };

		if (jinja_walk(p->models[i].path, p->models[i].text, NULL, scan_call, &sc) != 0)
			goto out;
	}
	rc = order_models(p);
out:
	sp_buf_free(&b);
	paths_free(&sql);
	paths_free(&yml);
	return rc;
}

void
sp_project_free(struct sp_project *p)
{
	size_t i, k;

	for (i = 0; i < p->nmodels; i++) {
		struct sp_model *m = &p->models[i];

		free(m->name);
		free(m->path);
		free(m->text);
		free(m->deps);
		for (k = 0; k < m->nsources; k++)
			free(m->sources[k]);
		free(m->sources);
	}
	free(p->models);
	for (i = 0; i < p->nsrcs; i++) {
		free(p->srcs[i].name);
		free(p->srcs[i].table);
		free(p->srcs[i].schema);
		free(p->srcs[i].ident);
	}
	free(p->srcs);
	for (i = 0; i < p->nvars; i++) {
		free(p->var_names[i]);
		free(p->var_values[i]);
	}
	free(p->var_names);
	free(p->var_values);
	free(p->order);
	free(p->dir);
	free(p->schema);
	memset(p, 0, sizeof *p);
}

int
sp_project_set_var(struct sp_project *p, const char *name, const char *value)
{
	size_t i;

	if (!is_ident(name, 63)) {
		sp_warn("var '%s': not a plain name", name);
		return -1;
	}
	if (strpbrk(value, "'\\\n\r") != NULL) {
		sp_warn("var '%s': the value must not hold a quote, a backslash or a newline", name);
		return -1;
	}
	for (i = 0; i < p->nvars; i++)
		if (strcmp(p->var_names[i], name) == 0) {
			free(p->var_values[i]);
			p->var_values[i] = sp_xstrdup(value);
			return 0;
		}
	p->var_names = sp_xreallocarray(p->var_names, p->nvars + 1, sizeof *p->var_names);
	p->var_values = sp_xreallocarray(p->var_values, p->nvars + 1, sizeof *p->var_values);
	p->var_names[p->nvars] = sp_xstrdup(name);
	p->var_values[p->nvars++] = sp_xstrdup(value);
	return 0;
}

int
sp_project_open(struct sp_project *p, const char *dir, const char *schema,
    char *const *vars, size_t nvars)
{
	char *own = NULL, *name;
	const char *eq;
	size_t i;
	int rc;

	if (dir == NULL) {
		char *sp = sp_share_path("pipelines");

		/* The real path, so that messages name files the user can open. */
		if ((own = realpath(sp, NULL)) == NULL)
			own = sp;
		else
			free(sp);
		dir = own;
	}
	rc = sp_project_load(p, dir, schema);
	free(own);
	if (rc != 0)
		return SP_EXIT_DATA;
	for (i = 0; i < nvars; i++) {
		if ((eq = strchr(vars[i], '=')) == NULL) {
			sp_warn("--var: expected NAME=VALUE, got '%s'", vars[i]);
			return SP_EXIT_USAGE;
		}
		name = sp_xstrdup(vars[i]);
		name[eq - vars[i]] = '\0';
		rc = sp_project_set_var(p, name, eq + 1);
		free(name);
		if (rc != 0)
			return SP_EXIT_USAGE;
	}
	return 0;
}

/* Marks in sel everything downstream of the models already marked. */
static void
mark_down(const struct sp_project *p, unsigned char *sel)
{
	size_t k, o;

	/* In build order a model comes after everything it depends on. */
	for (o = 0; o < p->nmodels; o++) {
		const struct sp_model *m = &p->models[p->order[o]];

		for (k = 0; k < m->ndeps; k++)
			if (sel[m->deps[k]])
				sel[p->order[o]] = 1;
	}
}

static void
mark_up(const struct sp_project *p, size_t i, unsigned char *sel)
{
	size_t k;

	if (sel[i])
		return;
	sel[i] = 1;
	for (k = 0; k < p->models[i].ndeps; k++)
		mark_up(p, p->models[i].deps[k], sel);
}

int
sp_project_select(const struct sp_project *p, const char *spec, unsigned char *sel)
{
	char *s = sp_xstrdup(spec), *tok, *save = NULL;
	int rc = 0;

	for (tok = strtok_r(s, ",", &save); tok != NULL; tok = strtok_r(NULL, ",", &save)) {
		int up = 0;
		long idx;

		while (*tok == ' ')
			tok++;
		if (*tok == '+') {
			up = 1;
			tok++;
		}
		if ((idx = sp_project_find(p, tok)) < 0) {
			sp_warn("--select: no model '%s'", tok);
			rc = -1;
			break;
		}
		if (up)
			mark_up(p, (size_t)idx, sel);
		sel[idx] = 1;
	}
	if (rc == 0)
		mark_down(p, sel);
	free(s);
	return rc;
}
/* Rendering. */

static void
add_model_rel(const struct sp_project *p, struct sp_buf *out, const char *name)
{
	if (p->temp)
		sp_buf_printf(out, "pg_temp.\"%s\"", name);
	else
		sp_buf_printf(out, "\"%s\".\"%s\"", p->schema, name);
}

static int
render_call(const struct jcall *j, const char *path, struct sp_buf *out, void *arg)
{
	const struct sp_project *p = arg;
	const struct sp_source *src;
	size_t i;

	if (strcmp(j->fn, "ref") == 0) {
		if (sp_project_find(p, j->args[0]) < 0) {
			sp_warn_at(path, j->line, "ref to unknown model '%s'", j->args[0]);
			return -1;
		}
		add_model_rel(p, out, j->args[0]);
	} else if (strcmp(j->fn, "source") == 0) {
		if ((src = find_source(p, j->args[0], j->args[1])) == NULL) {
			sp_warn_at(path, j->line, "unknown source '%s.%s' (not declared in models/*.yml)",
			    j->args[0], j->args[1]);
			return -1;
		}
		sp_buf_printf(out, "\"%s\".\"%s\"", src->schema, src->ident);
	} else if (strcmp(j->fn, "var") == 0) {
		for (i = 0; i < p->nvars; i++)
			if (strcmp(p->var_names[i], j->args[0]) == 0) {
				sp_buf_adds(out, p->var_values[i]);
				return 0;
			}
		if (j->nargs < 2) {
			sp_warn_at(path, j->line, "var '%s' is not set and has no default", j->args[0]);
			sp_hint("pass --var %s=VALUE", j->args[0]);
			return -1;
		}
		sp_buf_adds(out, j->args[1]);
	}
	return 0;
}

/* Trailing blanks and semicolons go: the SQL is wrapped in other statements. */
static void
trim_sql(struct sp_buf *b)
{
	while (b->len > 0 && (isspace((unsigned char)b->data[b->len - 1]) || b->data[b->len - 1] == ';'))
		b->data[--b->len] = '\0';
}

char *
sp_project_render(const struct sp_project *p, const char *path, const char *text)
{
	struct sp_buf b = { 0 };

	sp_buf_add(&b, "", 0);
	if (jinja_walk(path, text, &b, render_call, (void *)p) != 0) {
		sp_buf_free(&b);
		return NULL;
	}
	trim_sql(&b);
	return sp_buf_detach(&b, NULL);
}

/* Building. */

/*
 * exec_at: runs sql (one statement, no parameters) whose text from byte
 * body on is the rendered file path; an error is reported at the file's
 * line.  Returns the result (caller clears) or NULL.
 */
static PGresult *
exec_at(PGconn *c, const char *sql, size_t body, const char *path)
{
	PGresult *r = PQexecParams(c, sql, 0, NULL, NULL, NULL, NULL, 0);
	ExecStatusType st = PQresultStatus(r);
	const char *msg, *pos, *detail, *hint;
	char buf[2048];
	long line = 0;

	if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK)
		return r;
	msg = PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY);
	snprintf(buf, sizeof buf, "%s", msg ? msg : PQerrorMessage(c));
	buf[strcspn(buf, "\n")] = '\0';
	pos = PQresultErrorField(r, PG_DIAG_STATEMENT_POSITION);
	if (pos != NULL) {
		/* The position counts characters from 1; find its byte. */
		long want = atol(pos) - 1, chars = 0;
		size_t i;

		for (i = 0; sql[i] != '\0' && chars < want; i++)
			if (((unsigned char)sql[i] & 0xc0) != 0x80)
				chars++;
		if (i >= body) {
			size_t k;

			line = 1;
			for (k = body; k < i; k++)
				if (sql[k] == '\n')
					line++;
		}
	}
	sp_warn_at(path, line, "SQL error: %s", buf);
	detail = PQresultErrorField(r, PG_DIAG_MESSAGE_DETAIL);
	hint = PQresultErrorField(r, PG_DIAG_MESSAGE_HINT);
	if (detail != NULL)
		sp_hint("%s", detail);
	if (hint != NULL)
		sp_hint("%s", hint);
	PQclear(r);
	return NULL;
}

/* The kind of schema.name: 'r', 'v', 'm', 'p', ... or 0 when absent. */
static char
rel_kind(PGconn *c, const char *schema, const char *name)
{
	const char *prm[2] = { schema, name };
	char *v = sp_pg_value(c, "select c.relkind from pg_class c join pg_namespace n"
	    " on n.oid = c.relnamespace where n.nspname = $1 and c.relname = $2", 2, prm);
	char k = v ? v[0] : 0;

	free(v);
	return k;
}

static const char *
kind_word(char k)
{
	switch (k) {
	case 'v': return "view";
	case 'm': return "materialized view";
	case 'r': case 'p': return "table";
	case 'f': return "foreign table";
	default: return NULL;
	}
}

/* Drops schema.name whatever kind of relation it is, with its dependents. */
static int
drop_rel(PGconn *c, const char *schema, const char *name)
{
	char k = rel_kind(c, schema, name);
	const char *w = kind_word(k);
	struct sp_buf b = { 0 };
	int rc;

	if (k == 0)
		return 0;
	if (w == NULL) {
		sp_warn("\"%s\".\"%s\" exists and is not a table or a view", schema, name);
		return -1;
	}
	sp_buf_printf(&b, "drop %s \"%s\".\"%s\" cascade", w, schema, name);
	rc = sp_pg_exec(c, b.data);
	sp_buf_free(&b);
	return rc;
}

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int
build_one(PGconn *c, const struct sp_project *p, const struct sp_model *m, FILE *log)
{
	const char *what = m->materialized == SP_MAT_TABLE ? "table" : "view";
	struct sp_buf sql = { 0 }, tmp = { 0 };
	char *body;
	PGresult *r = NULL;
	size_t pre;
	double t0 = now_ms();
	int rc = -1;

	if ((body = sp_project_render(p, m->path, m->text)) == NULL)
		return -1;
	sp_buf_printf(&tmp, "%s%s", m->name, TMP_SUFFIX);
	if (p->temp)
		sp_buf_printf(&sql, "create temp %s \"%s\" as\n", what, m->name);
	else
		sp_buf_printf(&sql, "create %s \"%s\".\"%s\" as\n", what, p->schema, tmp.data);
	pre = sql.len;
	sp_buf_printf(&sql, "%s\n", body);
	if (sp_pg_exec(c, "begin") != 0)
		goto out;
	if (!p->temp && drop_rel(c, p->schema, tmp.data) != 0)
		goto rollback;
	if ((r = exec_at(c, sql.data, pre, m->path)) == NULL)
		goto rollback;
	if (m->materialized == SP_MAT_TABLE) {
		/*
		 * Fresh statistics: the models downstream are planned with them
		 * (autovacuum never analyzes temporary tables, and is late for
		 * the others).
		 */
		struct sp_buf an = { 0 };

		if (p->temp)
			sp_buf_printf(&an, "analyze pg_temp.\"%s\"", m->name);
		else
			sp_buf_printf(&an, "analyze \"%s\".\"%s\"", p->schema, tmp.data);
		if (sp_pg_exec(c, an.data) != 0) {
			sp_buf_free(&an);
			goto rollback;
		}
		sp_buf_free(&an);
	}
	if (!p->temp) {
		struct sp_buf ren = { 0 };

		if (drop_rel(c, p->schema, m->name) != 0)
			goto rollback;
		sp_buf_printf(&ren, "alter %s \"%s\".\"%s\" rename to \"%s\"", what, p->schema,
		    tmp.data, m->name);
		if (sp_pg_exec(c, ren.data) != 0) {
			sp_buf_free(&ren);
			goto rollback;
		}
		sp_buf_free(&ren);
	}
	if (sp_pg_exec(c, "commit") != 0)
		goto out;
	if (log != NULL) {
		const char *schema = p->temp ? "pg_temp" : p->schema;

		if (m->materialized == SP_MAT_TABLE)
			fprintf(log, "built table %s.%s: %s rows (%.0f ms)\n", schema, m->name,
			    PQcmdTuples(r), now_ms() - t0);
		else
			fprintf(log, "built view %s.%s (%.0f ms)\n", schema, m->name, now_ms() - t0);
	}
	rc = 0;
	goto out;
rollback:
	sp_pg_exec(c, "rollback");
	sp_hint("model '%s' not built; it and the models after it keep their previous state", m->name);
out:
	PQclear(r);
	free(body);
	sp_buf_free(&sql);
	sp_buf_free(&tmp);
	return rc;
}

int
sp_project_build(PGconn *c, const struct sp_project *p, const unsigned char *sel, FILE *log)
{
	size_t o;

	/*
	 * JIT compiling costs more than it saves on these queries: on 100,000
	 * tracks stg_spotify__tracks spent 1.6 s compiling and 2.2 s running.
	 */
	if (sp_pg_exec(c, "set jit = off") != 0)
		return -1;
	if (!p->temp && sp_pg_ensure_schema(c, p->schema) != 0)
		return -1;
	for (o = 0; o < p->nmodels; o++) {
		size_t i = p->order[o];

		if (sel != NULL && !sel[i])
			continue;
		if (build_one(c, p, &p->models[i], log) != 0)
			return -1;
	}
	return 0;
}

/* Data tests. */

static void
print_rows(FILE *out, PGresult *r, long shown)
{
	int nf = PQnfields(r), f;
	long i;

	fputs("     ", out);
	for (f = 0; f < nf; f++)
		fprintf(out, "%s%s", f ? " | " : "", PQfname(r, f));
	fputc('\n', out);
	for (i = 0; i < shown && i < PQntuples(r); i++) {
		fputs("     ", out);
		for (f = 0; f < nf; f++)
			fprintf(out, "%s%s", f ? " | " : "",
			    PQgetisnull(r, (int)i, f) ? "null" : PQgetvalue(r, (int)i, f));
		fputc('\n', out);
	}
}

int
sp_project_test(PGconn *c, const struct sp_project *p, FILE *out, long max_rows)
{
	struct paths ts = { 0 };
	struct sp_buf dir = { 0 };
	size_t i;
	int failed = 0, passed = 0;

	sp_buf_printf(&dir, "%s/tests", p->dir);
	if (find_files(dir.data, ".sql", 0, &ts) != 0) {
		sp_buf_free(&dir);
		return -1;
	}
	sp_buf_free(&dir);
	for (i = 0; i < ts.n; i++) {
		char *text = slurp(ts.v[i]), *body, *name = base_name(ts.v[i], ".sql");
		struct sp_buf q = { 0 };
		PGresult *r;
		size_t pre;
		long n;

		if (text == NULL || (body = sp_project_render(p, ts.v[i], text)) == NULL) {
			free(text);
			free(name);
			paths_free(&ts);
			return -1;
		}
		free(text);
		sp_buf_adds(&q, "select count(*) from (\n");
		pre = q.len;
		sp_buf_printf(&q, "%s\n) as t", body);
		if ((r = exec_at(c, q.data, pre, ts.v[i])) == NULL) {
			fprintf(out, "FAIL %s: SQL error\n", name);
			failed++;
			goto next;
		}
		n = atol(PQgetvalue(r, 0, 0));
		PQclear(r);
		if (n == 0) {
			fprintf(out, "ok   %s\n", name);
			passed++;
			goto next;
		}
		failed++;
		fprintf(out, "FAIL %s: %ld failing %s\n", name, n, sp_plural(n, "row", "rows"));
		sp_buf_reset(&q);
		sp_buf_adds(&q, "select * from (\n");
		pre = q.len;
		sp_buf_printf(&q, "%s\n) as t limit %ld", body, max_rows);
		if ((r = exec_at(c, q.data, pre, ts.v[i])) != NULL) {
			print_rows(out, r, max_rows);
			if (n > max_rows)
				fprintf(out, "     ... and %ld more\n", n - max_rows);
			PQclear(r);
		}
next:
		free(body);
		free(name);
		sp_buf_free(&q);
	}
	fprintf(out, "%d passed, %d failed\n", passed, failed);
	paths_free(&ts);
	return failed;
}

size_t
sp_copy_text_decode(char *s, size_t len)
{
	size_t i, o = 0;

	for (i = 0; i < len; i++) {
		char ch = s[i];

		if (ch == '\\' && i + 1 < len) {
			char e = s[++i];

			switch (e) {
			case 'n': ch = '\n'; break;
			case 't': ch = '\t'; break;
			case 'r': ch = '\r'; break;
			case 'b': ch = '\b'; break;
			case 'f': ch = '\f'; break;
			case 'v': ch = '\v'; break;
			default:
				if (e >= '0' && e <= '7') {
					int v = e - '0', k;

					for (k = 0; k < 2 && i + 1 < len && s[i + 1] >= '0' && s[i + 1] <= '7'; k++)
						v = v * 8 + (s[++i] - '0');
					ch = (char)v;
				} else {
					ch = e;
				}
			}
		}
		s[o++] = ch;
	}
	return o;
}
