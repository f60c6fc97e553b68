/* test_loadmap.c: the load map's rows for each record of the table in loadmap.test. */
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "diag.h"
#include "jscan.h"
#include "loadmap.h"
#include "unit.h"
#include "table.h"

static char root[PATH_MAX];	/* the tree: the binary is ROOT/tests/unit/test_loadmap */
static int cases;

/* Appends s[0, n) as a JSON string. */
static void
json_str(struct sp_buf *b, const char *s, size_t n)
{
	size_t i;

	sp_buf_addc(b, '"');
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '"' || c == '\\')
			sp_buf_printf(b, "\\%c", c);
		else if (c == '\t')
			sp_buf_adds(b, "\\t");
		else if (c == '\n')
			sp_buf_adds(b, "\\n");
		else if (c < 0x20)
			sp_buf_printf(b, "\\u%04x", c);
		else
			sp_buf_addc(b, (char)c);
	}
	sp_buf_addc(b, '"');
}

/* The rows record gives under map m, one a line, as loadmap.test writes them. */
static void
rows_of(const struct sp_loadmap *m, struct sp_lmrec *r, const char *rec, struct sp_buf *out)
{
	struct sp_buf reason = { 0 }, tmp = { 0 };
	const struct sp_lmrule *ru;
	struct sp_jtok tok;
	const char *s;
	size_t n;
	int i, c, t;

	if (sp_jscan(rec, strlen(rec), &tok) != 0 || tok.type != SP_JSON_OBJECT) {
		sp_buf_adds(out, "(not an object)\n");
		return;
	}
	if ((ru = sp_loadmap_match(m, r, &tok, rec, strlen(rec), "plays/x.ndjson", 7,
	    &reason)) == NULL)
		sp_buf_printf(out, "! %s\n", reason.data);
	for (i = 0; ru != NULL && i < sp_lmrule_rows(ru); i++) {
		if ((t = sp_lmrow_into(ru, i, r)) < 0)
			continue;
		sp_buf_printf(out, "%s [", m->t[t].name);
		for (c = 0; c < m->t[t].ncols; c++) {
			if (c > 0)
				sp_buf_addc(out, ',');
			if (sp_lmrow_value(ru, i, c, r, &tmp, &s, &n))
				json_str(out, s, n);
			else
				sp_buf_adds(out, "null");
		}
		sp_buf_adds(out, "]\n");
	}
	sp_buf_free(&reason);
	sp_buf_free(&tmp);
}

/* Loads the map line (inline JSON, or @PATH of the tree). */
static struct sp_loadmap *
map_of(const char *line)
{
	char path[PATH_MAX * 2];

	if (line[0] == '@') {
		snprintf(path, sizeof path, "%s/%s", root, line + 1);
		return sp_loadmap_load(path);
	}
	write_file("map.json", line);
	return sp_loadmap_load("map.json");
}

/* The first line sp_loadmap_load prints loading the map line, into out. */
static void
map_error(const char *line, struct sp_buf *out)
{
	char buf[1024];
	FILE *err = tmpfile();
	int saved = dup(2);
	struct sp_loadmap *m;

	fflush(stderr);
	dup2(fileno(err), 2);
	m = map_of(line);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	sp_loadmap_free(m);
	rewind(err);
	if (m != NULL)
		sp_buf_adds(out, "(the map loaded)");
	else if (fgets(buf, sizeof buf, err) != NULL)
		sp_buf_add(out, buf, strcspn(buf, "\n"));
	fclose(err);
}

/* Every case of loadmap.test: the rows (or error) it expects, and what it got. */
static void
test_table(void)
{
	char path[PATH_MAX * 2];
	struct sp_buf line = { 0 }, want = { 0 }, got = { 0 }, rec = { 0 };
	struct sp_loadmap *m = NULL;
	struct sp_lmrec *r = sp_lmrec_new();
	long lineno = 0, at;
	FILE *fp;
	char *l;

	snprintf(path, sizeof path, "%s/tests/unit/loadmap.test", root);
	CHECK((fp = fopen(path, "r")) != NULL);
	write_file("m.sql", "");
	while ((l = next_line(fp, &line, &lineno)) != NULL) {
		if (*l == '\0' || *l == '#')
			continue;
		at = lineno;
		sp_buf_reset(&want);
		sp_buf_reset(&got);
		if (strcmp(l, "%%MAP") == 0) {
			sp_loadmap_free(m);
			CHECK(next_line(fp, &line, &lineno) != NULL);
			if ((m = map_of(line.data)) == NULL)
				printf("not ok - %s: loadmap.test:%ld: the map does not load\n",
				    unit_cur, lineno);
			CHECK(m != NULL);
			continue;
		}
		if (strcmp(l, "%%MAPFAIL") == 0) {
			CHECK(next_line(fp, &line, &lineno) != NULL);
			map_error(line.data, &got);
			CHECK(next_line(fp, &line, &lineno) != NULL);
			sp_buf_adds(&want, line.data);
		} else {
			CHECK(m != NULL);
			sp_buf_reset(&rec);
			sp_buf_adds(&rec, l);
			while ((l = next_line(fp, &line, &lineno)) != NULL && *l != '\0')
				sp_buf_printf(&want, "%s\n", l);
			rows_of(m, r, rec.data, &got);
		}
		cases++;
		if (strcmp(want.data ? want.data : "", got.data ? got.data : "") != 0) {
			printf("not ok - %s: loadmap.test:%ld: expected\n%s\ngot\n%s\n", unit_cur, at,
			    want.data ? want.data : "", got.data ? got.data : "");
			unit_cur_failed = 1;
		}
	}
	fclose(fp);
	sp_loadmap_free(m);
	sp_lmrec_free(r);
	sp_buf_free(&line);
	sp_buf_free(&want);
	sp_buf_free(&got);
	sp_buf_free(&rec);
	/* A table that stopped reading early would pass: count its cases. */
	CHECK(cases >= 30);
}

int
main(void)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);

	if (n <= 0)
		return 1;
	exe[n] = '\0';
	snprintf(root, sizeof root, "%s/../..", dirname(exe));
	sp_progname = "sp-load";
	RUN(test_table);
	return unit_failed != 0;
}
