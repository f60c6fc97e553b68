/* model.h: dbt-style SQL models: a project read, ordered and built in PostgreSQL. */
#ifndef SP_MODEL_H
#define SP_MODEL_H

#include <stdio.h>
#include <libpq-fe.h>

/*
 * A project is a directory laid out as dbt lays one out:
 *   DIR/models/.../X.sql   one model each, named by its file (stg_x.sql -> stg_x)
 *   DIR/models/.../X.yml   "sources:" sections mapping source('s', 't') to a
 *                       relation (the source's schema, the table's
 *                       identifier or name)
 *   DIR/tests/.../X.sql    singular data tests: queries returning failing rows
 * A model's SQL may use exactly these Jinja expressions, anything else is an
 * error naming the file and line:
 *   {{ ref('model') }}  {{ source('src', 'table') }}
 *   {{ config(materialized='view'|'table') }}   (default view)
 *   {{ var('name') }}  {{ var('name', 'default') }}   (the value's text)
 *   {# comment #}
 * Rendering keeps every line where it was, so a line number in the rendered
 * SQL is a line number in the file.
 */

enum { SP_MAT_VIEW, SP_MAT_TABLE };

struct sp_model {
	char *name;		/* owned; the file name without .sql */
	char *path;		/* owned; dir/models/.../name.sql */
	char *text;		/* owned; the file's contents */
	int materialized;	/* SP_MAT_VIEW or SP_MAT_TABLE */
	size_t *deps;		/* owned; indexes of the models it refs, distinct */
	size_t ndeps;
	char **sources;		/* owned; "schema.table" of each source it reads */
	size_t nsources;
};

struct sp_source {
	char *name, *table;	/* source('name', 'table') */
	char *schema, *ident;	/* the relation: "schema"."ident" */
};

struct sp_project {
	char *dir;		/* owned; the project directory */
	char *schema;		/* owned; where models are built ("analytics") */
	int temp;		/* build into the session's pg_temp instead */
	struct sp_model *models;
	size_t nmodels;
	struct sp_source *srcs;
	size_t nsrcs;
	char **var_names, **var_values;	/* owned; set with sp_project_set_var */
	size_t nvars;
	size_t *order;		/* owned; model indexes in build order */
};

/*
 * sp_project_load: reads the project in dir (models, sources), parses every
 * model's Jinja, resolves ref() and source(), and orders the models by
 * their dependencies.  p must be zeroed; p->schema is set to schema.
 * Returns 0, or -1 after printing "prog: file:line: reason" (or
 * "prog: dependency cycle: a -> b -> a").  Free with sp_project_free
 * either way.
 */
int sp_project_load(struct sp_project *p, const char *dir, const char *schema);
void sp_project_free(struct sp_project *p);

/*
 * sp_project_set_var: sets var(name) to value (copied).  Returns 0, or -1
 * with a message when name is not a plain identifier or value holds a quote,
 * a backslash or a newline (the value is pasted into SQL text).
 */
int sp_project_set_var(struct sp_project *p, const char *name, const char *value);

/*
 * sp_project_open: what a tool's --project and --var options ask for:
 * sp_project_load of dir (NULL: sp's own pipelines/, found with
 * sp_share_path), then sp_project_set_var for each vars[i], "NAME=VALUE".
 * dir, schema and vars are borrowed (vars are not modified).  Returns 0,
 * or after printing why SP_EXIT_DATA (the project does not load) or
 * SP_EXIT_USAGE (a bad variable).  Free p with sp_project_free either way.
 */
int sp_project_open(struct sp_project *p, const char *dir, const char *schema,
    char *const *vars, size_t nvars);

/* sp_project_find: the index of model name, or -1. */
long sp_project_find(const struct sp_project *p, const char *name);

/*
 * sp_project_select: marks in sel (nmodels bytes, zeroed by the caller) the
 * models named by spec, a comma-separated list of NAME or +NAME (the model
 * and everything upstream of it), and then everything downstream of a
 * marked model: rebuilding a relation drops the views built on it, so they
 * are rebuilt too (dbt's NAME+).  Returns 0 or -1 after a message.
 */
int sp_project_select(const struct sp_project *p, const char *spec, unsigned char *sel);

/*
 * sp_project_render: text (from path, for messages) with its Jinja
 * expressions replaced: ref() by the model's relation, source() by its
 * table, var() by its value, config() and comments by nothing.  Returns a
 * malloc'd string, or NULL after printing "prog: path:line: reason".
 */
char *sp_project_render(const struct sp_project *p, const char *path, const char *text);

/*
 * sp_project_build: builds the models marked in sel (all when sel is
 * NULL) in order.  Each is one transaction: create the new relation under
 * a temporary name, drop the old one (with the views that depend on it,
 * which are downstream models rebuilt later), rename the new one into
 * place.  With p->temp the models are created as temporary views and
 * tables of this session.  log (may be NULL) gets one line per model.
 * Returns 0, or -1 after printing "prog: file:line: SQL error: ..." (that
 * model's transaction is rolled back, earlier models stay built).
 */
int sp_project_build(PGconn *c, const struct sp_project *p, const unsigned char *sel, FILE *log);

/*
 * sp_project_test: runs every DIR/tests/.../X.sql; a test passes when its query
 * returns no row.  Writes "ok   NAME" or "FAIL NAME: N failing rows" and up
 * to max_rows of them to out, then "N passed, N failed".  Returns the
 * number of failed tests (a test whose SQL fails counts as failed), or -1
 * when a test file cannot be read or rendered.
 */
int sp_project_test(PGconn *c, const struct sp_project *p, FILE *out, long max_rows);

/*
 * sp_copy_text_decode: decodes one row of COPY's text format (a single
 * column) in place: \\ \n \t \r \b \f \v and octal escapes.  Returns the
 * new length.
 */
size_t sp_copy_text_decode(char *s, size_t len);

#endif
