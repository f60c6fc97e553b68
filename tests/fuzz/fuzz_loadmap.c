/* fuzz_loadmap.c: the load map (loadmap.c): maps themselves, and the rows a staged record gives. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "jscan.h"
#include "loadmap.h"
#include "fuzz.h"

/* At most this many records an input. */
#define RECORDS_MAX 64

static struct sp_loadmap *project_map;
static struct sp_lmrec *rec;
static char dir[64];

/* Removes the directory of inline maps at exit. */
static void
cleanup(void)
{
	char path[128];

	snprintf(path, sizeof path, "%s/map.json", dir);
	(void)unlink(path);
	snprintf(path, sizeof path, "%s/m.sql", dir);
	(void)unlink(path);
	(void)rmdir(dir);
}

/* The project's map (schemas/load.json under $SP_ROOT, else the working
 * directory), and a directory for inline maps with an empty m.sql. */
static void
setup(void)
{
	const char *root = getenv("SP_ROOT");
	char path[4096];
	FILE *fp;

	snprintf(path, sizeof path, "%s/schemas/load.json", root ? root : ".");
	if ((project_map = sp_loadmap_load(path)) == NULL) {
		fprintf(stderr, "fuzz: cannot load %s (set SP_ROOT)\n", path);
		abort();
	}
	snprintf(dir, sizeof dir, "/tmp/fuzz-loadmap.XXXXXX");
	if (mkdtemp(dir) == NULL)
		abort();
	atexit(cleanup);
	snprintf(path, sizeof path, "%s/m.sql", dir);
	if ((fp = fopen(path, "w")) == NULL || fclose(fp) != 0)
		abort();
	rec = sp_lmrec_new();
}

/* An inline map: data[0, n) written to DIR/map.json and loaded, or NULL. */
static struct sp_loadmap *
inline_map(const uint8_t *data, size_t n)
{
	char path[128];
	FILE *fp;

	snprintf(path, sizeof path, "%s/map.json", dir);
	if ((fp = fopen(path, "w")) == NULL || fwrite(data, 1, n, fp) != n || fclose(fp) != 0)
		abort();
	return sp_loadmap_load(path);
}

/*
 * The rows of one record line under m: a record no rule takes always says
 * why; each row goes into one of the map's tables or none; a value is
 * either NULL or text that can be read to its end.
 */
static void
rows(const struct sp_loadmap *m, const char *line, size_t len, long lineno)
{
	struct sp_buf reason = { 0 }, tmp = { 0 };
	const struct sp_lmrule *ru;
	struct sp_jtok tok;
	volatile unsigned char sink = 0;
	const char *s;
	size_t n, k;
	int i, c, t, nr;

	if (sp_jscan(line, len, &tok) != 0 || tok.type != SP_JSON_OBJECT)
		return;
	ru = sp_loadmap_match(m, rec, &tok, line, len, "plays/x.ndjson", lineno, &reason);
	if (ru == NULL && reason.len == 0)
		abort();	/* a refusal always says why */
	nr = ru != NULL ? sp_lmrule_rows(ru) : 0;
	if (nr < 0 || nr > SP_LM_ROWS_MAX)
		abort();
	for (i = 0; i < nr; i++) {
		if ((t = sp_lmrow_into(ru, i, rec)) < 0)
			continue;
		if (t >= m->nt)
			abort();
		for (c = 0; c < m->t[t].ncols; c++) {
			if (!sp_lmrow_value(ru, i, c, rec, &tmp, &s, &n))
				continue;
			if (s == NULL && n > 0)
				abort();
			for (k = 0; k < n; k++)
				sink ^= (unsigned char)s[k];
		}
	}
	(void)sink;
	sp_buf_free(&reason);
	sp_buf_free(&tmp);
}

/*
 * Input: a first byte 0xff makes the text up to the first newline a map
 * (inline JSON, its SQL files beside it: m.sql exists, empty), which must
 * load or be refused with a message; any other first byte uses the
 * project's map (schemas/load.json).  The lines after are records (at
 * most 64), each turned into its rows.
 */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sp_loadmap *own = NULL;
	const struct sp_loadmap *m;
	const char *p, *end, *nl;
	long lineno = 0;

	if (project_map == NULL)
		setup();
	if (size < 1)
		return 0;
	p = (const char *)data + 1;
	end = (const char *)data + size;
	if (data[0] == 0xff) {
		nl = memchr(p, '\n', (size_t)(end - p));
		own = inline_map((const uint8_t *)p, (size_t)((nl != NULL ? nl : end) - p));
		if (own == NULL)
			return 0;
		p = nl != NULL ? nl + 1 : end;
		m = own;
	} else {
		m = project_map;
	}
	while (p < end && lineno < RECORDS_MAX) {
		nl = memchr(p, '\n', (size_t)(end - p));
		rows(m, p, (size_t)((nl != NULL ? nl : end) - p), ++lineno);
		p = nl != NULL ? nl + 1 : end;
	}
	sp_loadmap_free(own);
	return 0;
}
