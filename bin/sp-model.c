/* sp-model: builds the SQL models (pipelines/models) in PostgreSQL and runs their data tests. */
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "diag.h"
#include "model.h"
#include "opt.h"
#include "pg.h"

static void __attribute__((noreturn))
usage(FILE *fp, int status)
{
	fputs("usage: sp-model run [--select M[,M...]] [--var NAME=VALUE]... [-q] [--project DIR] [--schema S]\n"
	    "       sp-model test [-n N] [--var NAME=VALUE]... [--project DIR] [--schema S]\n"
	    "       sp-model build [--select M[,M...]] [--var NAME=VALUE]... [-n N] [-q] [--project DIR] [--schema S]\n"
	    "       sp-model list [--select M[,M...]] [--project DIR]\n"
	    "       sp-model compile MODEL|FILE [--var NAME=VALUE]... [--project DIR] [--schema S]\n"
	    "\n"
	    "  run       build the models (each in its own transaction) in dependency order\n"
	    "  test      run the data tests (DIR/tests/*.sql: queries returning failing rows)\n"
	    "  build     run, then test\n"
	    "  list      print the models in build order: name, materialization, dependencies\n"
	    "  compile   print a model's (or a file's) SQL with its Jinja rendered\n"
	    "\n"
	    "  -n, --rows N         failing rows shown per test (default 10)\n"
	    "  -p, --project DIR    the project directory (default: sp's pipelines/)\n"
	    "  -q, --quiet          no line per model built\n"
	    "  -S, --schema S       the schema models are built in (default analytics)\n"
	    "  -s, --select M       only M and the models downstream of it; +M adds upstream\n"
	    "      --var NAME=VALUE set var('NAME'): as_of=DATE, tz=Europe/Paris\n"
	    "  -h, --help           this text\n"
	    "      --version        the version\n", fp);
	exit(status);
}

static void
list_models(const struct sp_project *p, const unsigned char *sel)
{
	size_t o, k;

	for (o = 0; o < p->nmodels; o++) {
		const struct sp_model *m = &p->models[p->order[o]];
		const char *sep = "";

		if (sel != NULL && !sel[p->order[o]])
			continue;
		printf("%s\t%s\t", m->name, m->materialized == SP_MAT_TABLE ? "table" : "view");
		for (k = 0; k < m->nsources; k++, sep = ",")
			printf("%s%s", sep, m->sources[k]);
		for (k = 0; k < m->ndeps; k++, sep = ",")
			printf("%s%s", sep, p->models[m->deps[k]].name);
		putchar('\n');
	}
}

static int
compile(const struct sp_project *p, const char *what)
{
	long i = sp_project_find(p, what);
	char *text, *sql;

	if (i >= 0) {
		sql = sp_project_render(p, p->models[i].path, p->models[i].text);
	} else {
		if ((text = sp_read_file(what, SIZE_MAX, NULL)) == NULL)
			sp_die(SP_EXIT_USAGE, "no model or file '%s'", what);
		sql = sp_project_render(p, what, text);
		free(text);
	}
	if (sql == NULL)
		return SP_EXIT_DATA;
	printf("%s\n", sql);
	free(sql);
	return 0;
}

/*
 * sp-model reads the project (default: sp's pipelines/: models/, tests/,
 * models/sources.yml) and the database named by $SP_DATABASE_URL or the
 * PG* environment.  run applies the migrations in schemas/migrations, then
 * builds the models in dependency order, writing one line per model to
 * stdout; test writes "ok"/"FAIL" per data test, the first failing rows,
 * and "N passed, N failed".  Exit status: 0 ok; 1 a Jinja, dependency,
 * model SQL or test failure, a bad connection setting or a right the role
 * lacks (sp_pg_connect, sp_pg_exit_status); 2 usage; 3 PostgreSQL
 * unreachable or failing in a way a rerun may fix.
 */
int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "project", required_argument, NULL, 'p' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "rows", required_argument, NULL, 'n' },
		{ "schema", required_argument, NULL, 'S' },
		{ "select", required_argument, NULL, 's' },
		{ "var", required_argument, NULL, 'V' },
		{ "version", no_argument, NULL, 'v' },
		{ NULL, 0, NULL, 0 }
	};
	struct sp_project p = { 0 };
	const char *project = NULL, *select = NULL, *schema = "analytics", *cmd;
	char **vars = NULL;
	size_t nvars = 0;
	unsigned char *sel = NULL;
	long rows = 10;
	int c, quiet = 0, rc = 0;

	sp_init(argv[0]);
	while ((c = getopt_long(argc, argv, "hn:p:qS:s:", opts, NULL)) != -1) {
		switch (c) {
		case 'h':
			usage(stdout, 0);
		case 'n':
			rows = sp_opt_long("--rows", optarg, 0, 1000000, usage);
			break;
		case 'p':
			project = optarg;
			break;
		case 'q':
			quiet = 1;
			break;
		case 'S':
			schema = optarg;
			break;
		case 's':
			select = optarg;
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
	if (optind >= argc) {
		usage(stderr, SP_EXIT_USAGE);
	}
	cmd = argv[optind++];
	if (strcmp(cmd, "run") != 0 && strcmp(cmd, "test") != 0 && strcmp(cmd, "build") != 0 &&
	    strcmp(cmd, "list") != 0 && strcmp(cmd, "compile") != 0) {
		sp_warn("unknown command '%s'", cmd);
		usage(stderr, SP_EXIT_USAGE);
	}
	if (strcmp(cmd, "compile") == 0 ? argc - optind != 1 : optind != argc) {
		usage(stderr, SP_EXIT_USAGE);
	}
	rc = sp_project_open(&p, project, schema, vars, nvars);
	free(vars);
	if (rc != 0) {
		sp_project_free(&p);
			return rc;
	}
	if (select != NULL) {
		sel = sp_xcalloc(p.nmodels ? p.nmodels : 1, 1);
		if (sp_project_select(&p, select, sel) != 0)
			exit(SP_EXIT_USAGE);
	}
	if (strcmp(cmd, "list") == 0) {
		list_models(&p, sel);
	} else if (strcmp(cmd, "compile") == 0) {
		rc = compile(&p, argv[optind]);
	} else {
		PGconn *db = sp_pg_connect(NULL);

		if (sp_pg_migrate(db, NULL) < 0) {
			/* A right the role lacks is 1: a rerun cannot fix it. */
			rc = sp_pg_exit_status(sp_pg_last_error());
		} else if (strcmp(cmd, "test") != 0 &&
		    sp_project_build(db, &p, sel, quiet ? NULL : stdout) != 0) {
			rc = SP_EXIT_DATA;
		} else if (strcmp(cmd, "run") != 0) {
			int failed;

			fflush(stdout);
			failed = sp_project_test(db, &p, stdout, rows);
			if (failed != 0) {
				fflush(stdout);
				if (failed > 0)
					sp_warn("%d data %s failed", failed,
					    sp_plural(failed, "test", "tests"));
				rc = SP_EXIT_DATA;
			}
		}
		PQfinish(db);
	}
	free(sel);
	sp_project_free(&p);
	return rc;
}
