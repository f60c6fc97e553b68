/* test_shared.c: unit tests of the small shared helpers: files, UTF-8, numbers, fields. */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "diag.h"
#include "ndjson.h"
#include "opt.h"
#include "utf8.h"
#include "unit.h"

static char dir[] = "/tmp/test_shared.XXXXXX";

static void
put(const char *path, const char *text, size_t n)
{
	FILE *fp = fopen(path, "w");

	if (fp == NULL || fwrite(text, 1, n, fp) != n || fclose(fp) != 0)
		sp_die(1, "%s: cannot write", path);
}

static void
test_read_file(void)
{
	char path[256], *text;
	size_t len = 99;

	snprintf(path, sizeof path, "%s/f", dir);
	put(path, "a\0b\n", 4);
	text = sp_read_file(path, SIZE_MAX, &len);
	CHECK(text != NULL && len == 4 && memcmp(text, "a\0b\n", 5) == 0);
	free(text);
	/* The cap: exactly max bytes is fine, one more is EFBIG. */
	text = sp_read_file(path, 4, NULL);
	CHECK(text != NULL);
	free(text);
	errno = 0;
	CHECK(sp_read_file(path, 3, NULL) == NULL && errno == EFBIG);
	put(path, "", 0);
	text = sp_read_file(path, 0, &len);
	CHECK(text != NULL && len == 0 && text[0] == '\0');
	free(text);
	snprintf(path, sizeof path, "%s/none", dir);
	errno = 0;
	CHECK(sp_read_file(path, SIZE_MAX, &len) == NULL && errno == ENOENT);
}

static int
u8(const char *s, size_t n)
{
	return sp_utf8_len((const unsigned char *)s, n);
}

static void
test_utf8_len(void)
{
	CHECK(u8("a", 1) == 1);
	CHECK(u8("\xc3\xa9", 2) == 2);
	CHECK(u8("\xe2\x82\xac", 3) == 3);
	CHECK(u8("\xf0\x9f\x8e\xb5", 4) == 4);
	CHECK(u8("\xc0\xaf", 2) == 0);		/* overlong */
	CHECK(u8("\xe0\x80\xaf", 3) == 0);	/* overlong */
	CHECK(u8("\xed\xa0\x80", 3) == 0);	/* a surrogate */
	CHECK(u8("\xf4\x90\x80\x80", 4) == 0);	/* above U+10FFFF */
	CHECK(u8("\x80", 1) == 0);		/* a stray continuation */
	CHECK(u8("\xc3(", 2) == 0);
	CHECK(u8("\xe2\x82", 2) == -1);		/* cut short */
	CHECK(u8("\xf0\x9f", 2) == -1);
}

static void
test_parse_long(void)
{
	long v = 7;

	CHECK(sp_parse_long("42", 0, 100, &v) == 0 && v == 42);
	CHECK(sp_parse_long("-3", -5, 5, &v) == 0 && v == -3);
	v = 7;
	CHECK(sp_parse_long("", 0, 100, &v) == -1 && v == 7);
	CHECK(sp_parse_long("4x", 0, 100, &v) == -1);
	CHECK(sp_parse_long("101", 0, 100, &v) == -1);
	CHECK(sp_parse_long("0", 1, 100, &v) == -1);
	CHECK(sp_parse_long("99999999999999999999", 0, LONG_MAX, &v) == -1);
	CHECK(v == 7);
}

static void
test_parse_double(void)
{
	double v = 7;

	CHECK(sp_parse_double("0.25", 0, 1, &v) == 0 && v == 0.25);
	CHECK(sp_parse_double("-1e2", -HUGE_VAL, HUGE_VAL, &v) == 0 && v == -100);
	CHECK(sp_parse_double("3", 0, 10, &v) == 0 && v == 3);
	v = 7;
	CHECK(sp_parse_double("", 0, 1, &v) == -1);
	CHECK(sp_parse_double("0.5x", 0, 1, &v) == -1);
	CHECK(sp_parse_double("1.5", 0, 1, &v) == -1);
	CHECK(sp_parse_double("nan", -HUGE_VAL, HUGE_VAL, &v) == -1);
	CHECK(sp_parse_double("inf", -HUGE_VAL, HUGE_VAL, &v) == -1);
	CHECK(sp_parse_double("1e999", -HUGE_VAL, HUGE_VAL, &v) == -1);
	CHECK(sp_parse_double("0x10", -HUGE_VAL, HUGE_VAL, &v) == -1);
	CHECK(sp_parse_double(" 1", -HUGE_VAL, HUGE_VAL, &v) == -1);
	CHECK(v == 7);
}

static void
test_str_field(void)
{
	struct sp_lines r = { 0 };
	const char *text = "{\"user\":\"u\\u00e9\",\"n\":null}";
	jv o = sp_jv_parse(text, strlen(text));
	size_t len = 99;
	const char *s;

	r.name = "x";
	CHECK(jv_get_kind(o) == JV_KIND_OBJECT);
	s = sp_jv_str_field(o, "user", 0, &r, &len);
	CHECK(s != NULL && len == 3 && memcmp(s, "u\xc3\xa9", 3) == 0);
	CHECK(sp_jv_str_field(o, "n", 1, &r, &len) == NULL && len == 0);
	CHECK(sp_jv_str_field(o, "absent", 1, &r, NULL) == NULL);
	jv_free(o);
}

int
main(void)
{
	char cmd[64];

	sp_init("test_shared");
	if (mkdtemp(dir) == NULL)
		sp_die(1, "mkdtemp: %s", strerror(errno));
	RUN(test_read_file);
	RUN(test_utf8_len);
	RUN(test_parse_long);
	RUN(test_parse_double);
	RUN(test_str_field);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		sp_warn("could not remove %s", dir);
	return unit_failed != 0;
}
