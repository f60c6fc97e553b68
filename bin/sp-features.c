/* sp-features: streams the track feature mart as NDJSON rows for sp-encode. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "diag.h"
#include "model.h"
#include "pg.h"

/* The default query: every mart column, track_id first, in a stable order. */
static const char default_query[] =
    "select * from {{ ref('mart_spotify__merged_tracks') }} order by track_id";

static void __attribute__((noreturn))
usage(FILE *fp, int status)
{
	fputs("usage: sp-features [--as-of DATE] [--query FILE] [--var NAME=VALUE]... [--project DIR] [--schema S]\n"
	    "\n"
	    "  -a, --as-of DATE     rebuild the models as of DATE (var as_of) in this\n"
	    "                       session's temporary schema and read that mart\n"
	    "  -f, --query FILE     the query whose rows are written (default: the whole\n"
	    "                       mart_spotify__merged_tracks, ordered by track_id)\n"
	    "  -p, --project DIR    the models' project directory (default: sp's pipelines/)\n"
	    "  -S, --schema S       the schema sp-model built the models in (default analytics)\n"
	    "      --var NAME=VALUE set var('NAME') for the rebuild (implies a rebuild)\n"
	    "  -h, --help           this text\n"
	    "      --version        the version\n", fp);
	exit(status);
}

/* valid_date: YYYY-MM-DD, then nothing or a time; PostgreSQL checks the rest. */
static int
valid_date(const char *s)
{
	int i;

	for (i = 0; i < 10; i++)
		if (i == 4 || i == 7 ? s[i] != '-' : (s[i] < '0' || s[i] > '9'))
			return 0;
	return s[10] == '\0' || s[10] == ' ' || s[10] == 'T';
}

static int
write_row(const char *row, size_t len, void *arg)
{
	struct sp_buf *b = arg;

	sp_buf_reset(b);
	sp_buf_add(b, row, len);
	b->len = sp_copy_text_decode(b->data, b->len);
	if (fwrite(b->data, 1, b->len, stdout) != b->len)
		return -1;
	return 0;
}

/*
 * sp-features reads the mart built by sp-model (or, with --as-of or --var,
 * builds every model afresh as temporary relations of its own session, so
 * the live schema is untouched) and writes one JSON object per row of the
 * query to stdout, the columns as members in query order: track_id first
 * for the default query.  Rows stream through COPY: memory does not grow
 * with the mart.  Exit status: 0 ok; 1 a query, model or output failure;
 * 2 usage; 3 PostgreSQL unreachable.
 */
int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "as-of", required_argument, NULL, 'a' },
		{ "help", no_argument, NULL, 'h' },
		{ "project", required_argument, NULL, 'p' },
		{ "query", required_argument, NULL, 'f' },
		{ "schema", required_argument, NULL, 'S' },
		{ "var", required_argument, NULL, 'V' },
		{ "version", no_argument, NULL, 'v' },
		{ NULL, 0, NULL, 0 }
	};
	struct sp_project p = { 0 };
	const char *as_of = NULL, *project = NULL, *query_file = NULL, *schema = "analytics";
	char **vars = NULL, *text, *sql;
	struct sp_buf copy = { 0 }, row = { 0 };
	size_t nvars = 0;
	PGconn *db;
	int c, rc = 0;

	sp_init(argv[0]);
	while ((c = getopt_long(argc, argv, "a:f:hp:S:", opts, NULL)) != -1) {
		switch (c) {
		case 'a':
			as_of = optarg;
			break;
		case 'f':
			query_file = optarg;
			break;
		case 'h':
			usage(stdout, 0);
		case 'p':
			project = optarg;
			break;
		case 'S':
			schema = optarg;
			break;
		case 'V':
			vars = sp_xreallocarray(vars, nvars + 1, sizeof *vars);
			vars[nvars++] = optarg;
			break;
		case 'v':
			sp_version();
		default:
			usage(stderr, SP_EXIT_USAGE);
		}
	}
	if (optind != argc) {
		usage(stderr, SP_EXIT_USAGE);
	}
	if ((rc = sp_project_open(&p, project, schema, vars, nvars)) != 0)
		exit(rc);
	if (as_of != NULL && !valid_date(as_of))
		sp_die(SP_EXIT_USAGE, "--as-of: expected a date (YYYY-MM-DD, optionally with a time), got '%s'", as_of);
	if (as_of != NULL && sp_project_set_var(&p, "as_of", as_of) != 0)
		exit(SP_EXIT_USAGE);
	if (query_file == NULL)
		text = sp_xstrdup(default_query);
	else if ((text = sp_read_file(query_file, SIZE_MAX, NULL)) == NULL)
		sp_die(SP_EXIT_DATA, "%s: %s", query_file, strerror(errno));

	db = sp_pg_connect(NULL);
	if (as_of != NULL || nvars > 0) {
		p.temp = 1;
		if (sp_pg_migrate(db, NULL) < 0)
			exit(sp_pg_exit_status(sp_pg_last_error()));
		if (sp_project_build(db, &p, NULL, NULL) != 0)
			exit(SP_EXIT_DATA);
	}
	if ((sql = sp_project_render(&p, query_file ? query_file : "<default query>", text)) == NULL)
		exit(SP_EXIT_DATA);
	sp_buf_printf(&copy, "copy (select row_to_json(q) from (\n%s\n) as q) to stdout", sql);
	if (sp_pg_copy_out(db, copy.data, write_row, &row) != 0) {
		if (!p.temp)
			sp_hint("build the mart first (sp-model run), or pass --as-of DATE");
		rc = SP_EXIT_DATA;
	}
	if (ferror(stdout))
		rc = SP_EXIT_DATA;
	PQfinish(db);
	sp_buf_free(&copy);
	sp_buf_free(&row);
	free(sql);
	free(text);
	free(vars);
	sp_project_free(&p);
	return rc;
}
