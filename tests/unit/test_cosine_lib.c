/* test_cosine_lib.c: unit tests of dates (and the zone tables), jscan, strtab and topk (sp-cosine's helpers). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "dates.h"
#include "diag.h"
#include "jscan.h"
#include "jsonstream.h"
#include "ndjson.h"
#include "strtab.h"
#include "topk.h"
#include "unit.h"

static int32_t
day(const char *s)
{
	int32_t d = -99999;

	if (sp_date_parse(s, strlen(s), &d) != 0)
		return -99999;
	return d;
}

static void
test_dates(void)
{
	char buf[16];
	int y, m, d;

	CHECK(day("1970-01-01") == 0);
	CHECK(day("1970-01-02") == 1);
	CHECK(day("1969-12-31") == -1);
	CHECK(day("2000-03-01") - day("2000-02-28") == 2);	/* 2000 is a leap year */
	CHECK(day("1900-03-01") - day("1900-02-28") == 1);	/* 1900 is not */
	CHECK(day("2019") == day("2019-01-01"));
	CHECK(day("2019-06") == day("2019-06-01"));
	CHECK(day("2026-11-27") == 20784);
	CHECK(day("2024-02-29") == day("2024-02-28") + 1);
	CHECK(day("2023-02-29") == -99999);
	CHECK(day("2019-13") == -99999);
	CHECK(day("2019-00-10") == -99999);
	CHECK(day("2019-04-31") == -99999);
	CHECK(day("2019-1-01") == -99999);
	CHECK(day("19") == -99999);
	CHECK(day("2019-06-1x") == -99999);
	CHECK(day("") == -99999);
	for (int32_t k = -800000; k <= 800000; k += 997) {
		sp_date_to_civil(k, &y, &m, &d);
		CHECK(sp_date_from_civil(y, m, d) == k);
	}
	sp_date_format(day("2016-02-29"), buf, sizeof buf);
	CHECK_STR(buf, "2016-02-29");
	CHECK(sp_date_parse_day("2019-06", &(int32_t){ 0 }) == -1);
	CHECK(sp_date_parse_day("2019-06-30", &(int32_t){ 0 }) == 0);
	CHECK(sp_date_today() > day("2020-01-01"));
}

static int
scan(const char *s)
{
	struct sp_jtok t;

	return sp_jscan(s, strlen(s), &t) == 0 ? t.type : -1;
}

static void
test_jscan_valid(void)
{
	CHECK(scan("{}") == SP_JSON_OBJECT);
	CHECK(scan(" [1, -2.5e+3, \"x\", null, true, false, {\"a\":[]}] ") == SP_JSON_ARRAY);
	CHECK(scan("\"\\u00e9\\n\\\"\"") == SP_JSON_STRING);
	CHECK(scan("-0") == SP_JSON_NUMBER);
	CHECK(scan("{\"a\":1,}") == -1);
	CHECK(scan("{\"a\" 1}") == -1);
	CHECK(scan("[1 2]") == -1);
	CHECK(scan("{\"a\":1} x") == -1);
	CHECK(scan("\"abc") == -1);
	CHECK(scan("\"a\tb\"") == -1);		/* raw control character */
	CHECK(scan("\"\\x\"") == -1);
	CHECK(scan("\"\\u12g4\"") == -1);
	CHECK(scan("01") == -1);
	CHECK(scan("1.") == -1);
	CHECK(scan("tru") == -1);
	CHECK(scan("") == -1);
	CHECK(scan("{\"a\":") == -1);
}

static void
test_jscan_deep(void)
{
	char buf[2 * 300 + 1];

	memset(buf, '[', 300);
	memset(buf + 300, ']', 300);
	buf[600] = '\0';
	CHECK(scan(buf) == -1);		/* deeper than 256: refused, no stack overflow */
	memset(buf, '[', 200);
	memset(buf + 200, ']', 200);
	buf[400] = '\0';
	CHECK(scan(buf) == SP_JSON_ARRAY);
}

static void
test_jscan_iter(void)
{
	const char *s = "{\"id\":\"a\\\"b\", \"n\" : [1,\"x\",{\"k\":[2]}] ,\"e\":{},\"esc\\u0061\":true}";
	struct sp_jtok t, k, v, el;
	struct sp_jiter it, ai;
	struct sp_buf b = { 0 };
	int n = 0, ne = 0;

	CHECK(sp_jscan(s, strlen(s), &t) == 0);
	CHECK(sp_jiter_init(&it, &t) == 0);
	while (sp_jiter_next(&it, &k, &v)) {
		n++;
		if (n == 1) {
			CHECK(sp_jstr_eq(&k, "id"));
			sp_jstr_decode(&v, &b);
			CHECK_STR(b.data, "a\"b");
		} else if (n == 2) {
			CHECK(sp_jstr_eq(&k, "n"));
			CHECK(v.type == SP_JSON_ARRAY);
			CHECK(sp_jiter_init(&ai, &v) == 0);
			while (sp_jiter_next(&ai, NULL, &el))
				ne++;
			CHECK(ne == 3);
		} else if (n == 3) {
			CHECK(v.type == SP_JSON_OBJECT && v.len == 2);
		} else {
			CHECK(sp_jstr_eq(&k, "esca"));
			CHECK(v.type == SP_JSON_TRUE);
		}
	}
	CHECK(n == 4);
	CHECK(!sp_jstr_eq(&k, "esc"));
	sp_buf_free(&b);
}

static void
test_jstr_decode(void)
{
	const char *s = "\"\\u00e9\\ud83c\\udfb5\\ud800x\\/\\t\"";
	struct sp_jtok t;
	struct sp_buf b = { 0 };

	CHECK(sp_jscan(s, strlen(s), &t) == 0);
	sp_jstr_decode(&t, &b);
	CHECK_STR(b.data, "\xc3\xa9\xf0\x9f\x8e\xb5\xef\xbf\xbdx/\t");
	sp_buf_free(&b);
}

/* One name per kind, the same for every reader (jscan, jsonstream, jv). */
static void
test_kind_names(void)
{
	struct sp_jtok t;

	CHECK(sp_jscan("null", 4, &t) == 0);
	CHECK_STR(sp_json_kind_name(t.type), "null");
	CHECK(sp_jscan("[true]", 6, &t) == 0);
	CHECK_STR(sp_json_kind_name(t.type), "an array");
	CHECK_STR(sp_json_kind_name(SP_JSON_FALSE), "a boolean");
	CHECK_STR(sp_json_kind_name(SP_JSON_TRUE), "a boolean");
	CHECK_STR(sp_json_kind_name(SP_JSON_NUMBER), "a number");
	CHECK_STR(sp_json_kind_name(SP_JSON_STRING), "a string");
	CHECK_STR(sp_json_kind_name(SP_JSON_OBJECT), "an object");
	CHECK_STR(sp_json_kind_name(0), "nothing");
	CHECK_STR(sp_json_kind_name(SP_JSON_NULL), "null");
	CHECK_STR(sp_jv_kind_name(JV_KIND_NULL), "null");
	CHECK_STR(sp_jv_kind_name(JV_KIND_OBJECT), "an object");
}

static void
test_strtab(void)
{
	struct sp_strtab t = { 0 };
	char key[32];
	int added;
	size_t len;

	CHECK(sp_strtab_find(&t, "x", 1) == SP_STRTAB_NONE);
	for (int i = 0; i < 5000; i++) {
		snprintf(key, sizeof key, "k%d", i);
		CHECK(sp_strtab_add(&t, key, strlen(key), &added) == (uint32_t)i && added);
	}
	CHECK(sp_strtab_add(&t, "k17", 3, &added) == 17 && !added);
	CHECK(sp_strtab_find(&t, "k4999", 5) == 4999);
	CHECK(sp_strtab_find(&t, "k5000", 5) == SP_STRTAB_NONE);
	CHECK(sp_strtab_add(&t, "a\0b", 3, NULL) == 5000);
	CHECK(sp_strtab_find(&t, "a\0c", 3) == SP_STRTAB_NONE);
	CHECK(memcmp(sp_strtab_str(&t, 5000, &len), "a\0b", 3) == 0 && len == 3);
	CHECK(sp_strtab_cmp(&t, 1, 10) < 0);	/* "k1" < "k10" */
	CHECK(sp_strtab_cmp(&t, 10, 2) < 0);	/* "k10" < "k2" */
	{
		struct sp_strtab u = { 0 };
		uint32_t *s;

		sp_strtab_add(&u, "rock", 4, NULL);
		sp_strtab_add(&u, "indie rock", 10, NULL);
		sp_strtab_add(&u, "roc", 3, NULL);
		sp_strtab_add(&u, "a\0c", 3, NULL);
		sp_strtab_add(&u, "a\0b", 3, NULL);
		s = sp_strtab_sorted(&u);
		/* Byte order, a prefix first: "a\0b" "a\0c" "indie rock" "roc" "rock". */
		CHECK(s[0] == 4 && s[1] == 3 && s[2] == 1 && s[3] == 2 && s[4] == 0);
		free(s);
		sp_strtab_free(&u);
	}
	CHECK(sp_strtab_cmp(&t, 3, 3) == 0);
	sp_strtab_free(&t);
	CHECK(t.n == 0);
}

static int
int_cmp(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

static void
test_topk(void)
{
	int a[1000], b[1000];

	srand(3);
	for (int i = 0; i < 1000; i++)
		a[i] = b[i] = rand() % 300;
	qsort(b, 1000, sizeof *b, int_cmp);
	for (size_t k = 0; k <= 1000; k += 37) {
		int c[1000];

		memcpy(c, a, sizeof c);
		sp_topk(c, 1000, sizeof *c, k, int_cmp);
		CHECK(memcmp(c, b, k * sizeof *c) == 0);
	}
	sp_topk(a, 1000, sizeof *a, 5000, int_cmp);	/* k > n sorts everything */
	CHECK(memcmp(a, b, sizeof a) == 0);
	sp_topk(a, 0, sizeof *a, 3, int_cmp);
}

struct tab_rows {
	int stop, rows, fields[8];
	char zone[8][40];
};

static int
tab_row(char *const *f, int n, void *arg)
{
	struct tab_rows *t = arg;

	if (t->rows < 8) {
		t->fields[t->rows] = n;
		snprintf(t->zone[t->rows], sizeof t->zone[0], "%s", n >= 3 ? f[2] : f[0]);
	}
	t->rows++;
	return t->stop && strcmp(f[0], "ZZ") == 0;
}

/*
 * sp_tz_tab reads $TZDIR's table: comments and blank lines skipped, a
 * line over 1 KiB skipped whole, a last line without a newline read,
 * fields split at tabs (at most 4; at spaces in tzdata.zi), and the walk
 * stops when fn says so.
 */
static void
test_tz_tab(void)
{
	char dir[] = "/tmp/sp-tztab.XXXXXX", path[64], *old = getenv("TZDIR");
	struct tab_rows t = { 0 };
	FILE *fp;
	int i;

	CHECK(mkdtemp(dir) != NULL);
	snprintf(path, sizeof path, "%s/zone.tab", dir);
	CHECK((fp = fopen(path, "w")) != NULL);
	if (fp == NULL)
		return;
	fputs("# comment\n\nDE\t+5230+01322\tEurope/Berlin\tmost of Germany\n", fp);
	fputs("XX\t", fp);
	for (i = 0; i < 3000; i++)
		fputc('x', fp);
	fputs("\nIN\t+2232+08822\tAsia/Kolkata\r\nAR\tbad\nZZ\t0\tStop/Here\nUS\t0\tAmerica/New_York", fp);
	fclose(fp);
	setenv("TZDIR", dir, 1);
	CHECK(sp_tz_tab("zone.tab", tab_row, &t) == 0);
	CHECK(t.rows == 5);
	CHECK(t.fields[0] == 4 && strcmp(t.zone[0], "Europe/Berlin") == 0);
	CHECK(t.fields[1] == 3 && strcmp(t.zone[1], "Asia/Kolkata") == 0);
	CHECK(t.fields[2] == 2 && strcmp(t.zone[2], "AR") == 0);
	CHECK(strcmp(t.zone[3], "Stop/Here") == 0);
	CHECK(strcmp(t.zone[4], "America/New_York") == 0);
	/* fn stops the walk. */
	memset(&t, 0, sizeof t);
	t.stop = 1;
	CHECK(sp_tz_tab("zone.tab", tab_row, &t) == 0 && t.rows == 4);
	memset(&t, 0, sizeof t);
	CHECK(sp_tz_tab("iso3166.tab", tab_row, &t) == -1 && t.rows == 0);
	unlink(path);
	/* tzdata.zi splits at spaces; the fourth field keeps the rest. */
	snprintf(path, sizeof path, "%s/tzdata.zi", dir);
	CHECK((fp = fopen(path, "w")) != NULL);
	if (fp == NULL)
		return;
	fputs("# version 2025b\nR Z 1 2 - Mar\tlastSu 2s 1 S\nL America/New_York US/Eastern\n", fp);
	fclose(fp);
	memset(&t, 0, sizeof t);
	CHECK(sp_tz_tab("tzdata.zi", tab_row, &t) == 0 && t.rows == 2);
	CHECK(t.fields[0] == 4 && strcmp(t.zone[0], "1") == 0);
	CHECK(t.fields[1] == 3 && strcmp(t.zone[1], "US/Eastern") == 0);
	unlink(path);
	rmdir(dir);
	if (old != NULL)
		setenv("TZDIR", old, 1);
	else
		unsetenv("TZDIR");
	/* Debian's own table has India's one zone. */
	memset(&t, 0, sizeof t);
	if (sp_tz_tab("zone.tab", tab_row, &t) == 0)
		CHECK(t.rows > 300);
}

int
main(int argc, char **argv)
{
	sp_init(argc > 0 ? argv[0] : "test_cosine_lib");
	RUN(test_dates);
	RUN(test_tz_tab);
	RUN(test_jscan_valid);
	RUN(test_jscan_deep);
	RUN(test_jscan_iter);
	RUN(test_jstr_decode);
	RUN(test_kind_names);
	RUN(test_strtab);
	RUN(test_topk);
	return unit_failed != 0;
}
