/* test_schema.c: the schema checker's formats, text checks and the table in schema.test. */
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "buf.h"
#include "diag.h"
#include "jscan.h"
#include "schema.h"
#include "unit.h"
#include "table.h"
#include "utf8.h"

static void
test_iso_time(void)
{
	CHECK(sp_iso_time_ok("2026-11-27T05:49:30Z", 20));
	CHECK(sp_iso_time_ok("2016-12-13T20:44:04.589Z", 24));
	CHECK(sp_iso_time_ok("2024-02-29T00:00:00+01:00", 25));
	CHECK(sp_iso_time_ok("2026-11-27T05:49Z", 17));
	CHECK(!sp_iso_time_ok("2023-02-29T00:00:00Z", 20));
	CHECK(!sp_iso_time_ok("2026-13-01T00:00:00Z", 20));
	CHECK(!sp_iso_time_ok("2026-11-27 05:49:30Z", 20));
	CHECK(!sp_iso_time_ok("2026-11-27T24:00:00Z", 20));
	CHECK(!sp_iso_time_ok("2026-11-27T05:49:30", 19));
	CHECK(!sp_iso_time_ok("2026-11-27T05:49:30.Z", 21));
}

static int
text_ok(const char *s)
{
	struct sp_buf r = { 0 };
	int ok = sp_json_text_ok(s, strlen(s), &r);

	sp_buf_free(&r);
	return ok;
}

static void
test_text(void)
{
	CHECK(text_ok("{\"a\":\"caf\xc3\xa9\"}"));
	CHECK(text_ok("{\"a\":\"\\\\u0000\"}"));	/* an escaped backslash, then text */
	CHECK(text_ok("{\"a\":\"\\ud83d\\ude00\"}"));
	CHECK(!text_ok("{\"a\":\"\\u0000\"}"));
	CHECK(!text_ok("{\"a\":\"\\ud83d\"}"));
	CHECK(!text_ok("{\"a\":\"\\ude00\"}"));
	CHECK(!text_ok("{\"a\":\"\xc3\"}"));
	CHECK(!text_ok("{\"a\":\"\xed\xa0\x80\"}"));
}

static char root[PATH_MAX];	/* the tree: the binary is ROOT/tests/unit/test_schema */

/* Loads the schema line (inline JSON, or @PATH of the tree). */
static struct sp_schema *
schema_of(const char *line)
{
	char path[PATH_MAX * 2];

	if (line[0] == '@') {
		snprintf(path, sizeof path, "%s/%s", root, line + 1);
		return sp_schema_load(path);
	}
	write_file("s.schema.json", line);
	return sp_schema_load("./s.schema.json");
}

/* The first line sp_schema_load prints loading the schema line, into out. */
static void
schema_error(const char *line, struct sp_buf *out)
{
	char buf[1024];
	FILE *err = tmpfile();
	int saved = dup(2);
	struct sp_schema *s;

	fflush(stderr);
	dup2(fileno(err), 2);
	s = schema_of(line);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	rewind(err);
	if (s != NULL)
		sp_buf_adds(out, "(the schema loaded)");
	else if (fgets(buf, sizeof buf, err) != NULL)
		sp_buf_add(out, buf, strcspn(buf, "\n"));
	sp_schema_free(s);
	fclose(err);
}

/* The verdict on record rec: "ok" or the reason. */
static void
verdict(const struct sp_schema *s, const char *rec, struct sp_buf *out)
{
	struct sp_jtok t;

	if (sp_jscan(rec, strlen(rec), &t) != 0)
		sp_buf_adds(out, "(not JSON)");
	else if (sp_schema_check_text(s, &t, out) == 0)
		sp_buf_adds(out, "ok");
}

/* Every case of schema.test: the verdict (or load error) it expects, and what it got. */
static void
test_table(void)
{
	char path[PATH_MAX * 2];
	struct sp_buf line = { 0 }, want = { 0 }, got = { 0 }, name = { 0 };
	struct sp_schema *s = NULL;
	long lineno = 0, at;
	int cases = 0;
	FILE *fp;
	char *l;

	snprintf(path, sizeof path, "%s/tests/unit/schema.test", root);
	CHECK((fp = fopen(path, "r")) != NULL);
	while ((l = next_line(fp, &line, &lineno)) != NULL) {
		if (*l == '\0' || *l == '#')
			continue;
		at = lineno;
		sp_buf_reset(&want);
		sp_buf_reset(&got);
		if (strcmp(l, "%%FILE") == 0) {
			CHECK(next_line(fp, &line, &lineno) != NULL);
			sp_buf_reset(&name);
			sp_buf_adds(&name, line.data);
			CHECK(next_line(fp, &line, &lineno) != NULL);
			write_file(name.data, line.data);
			continue;
		}
		if (strcmp(l, "%%SCHEMA") == 0) {
			sp_schema_free(s);
			CHECK(next_line(fp, &line, &lineno) != NULL);
			if ((s = schema_of(line.data)) == NULL)
				printf("not ok - %s: schema.test:%ld: the schema does not load\n",
				    unit_cur, lineno);
			CHECK(s != NULL);
			continue;
		}
		if (strcmp(l, "%%SCHEMAFAIL") == 0) {
			CHECK(next_line(fp, &line, &lineno) != NULL);
			schema_error(line.data, &got);
		} else {
			CHECK(s != NULL);
			verdict(s, l, &got);
		}
		CHECK(next_line(fp, &line, &lineno) != NULL);
		sp_buf_adds(&want, line.data);
		cases++;
		if (strcmp(want.data, got.data ? got.data : "") != 0) {
			printf("not ok - %s: schema.test:%ld: expected '%s', got '%s'\n", unit_cur, at,
			    want.data, got.data ? got.data : "");
			unit_cur_failed = 1;
		}
	}
	fclose(fp);
	sp_schema_free(s);
	sp_buf_free(&line);
	sp_buf_free(&want);
	sp_buf_free(&got);
	sp_buf_free(&name);
	/* A table that stopped reading early would pass: count its cases. */
	CHECK(cases >= 40);
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
	RUN(test_iso_time);
	RUN(test_text);
	RUN(test_table);
	return unit_failed != 0;
}
