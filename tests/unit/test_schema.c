/* test_schema.c: the schema checker's formats and text checks, and the same reasons from jv and from text. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "buf.h"
#include "jscan.h"
#include "schema.h"
#include "unit.h"

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

/* Both checkers give the same reason for each record. */
static void
test_same_reasons(void)
{
	static const char *const recs[] = {
		"{\"k\":\"x\",\"n\":1,\"t\":\"2026-01-01T00:00:00Z\",\"a\":[{\"s\":\"y\"}]}",
		"{\"n\":1,\"t\":\"2026-01-01T00:00:00Z\"}",
		"{\"k\":\"z\",\"n\":1,\"t\":\"2026-01-01T00:00:00Z\"}",
		"{\"k\":\"x\",\"n\":-1,\"t\":\"2026-01-01T00:00:00Z\"}",
		"{\"k\":\"x\",\"n\":1.5,\"t\":\"2026-01-01T00:00:00Z\"}",
		"{\"k\":\"x\",\"n\":1,\"t\":\"soon\"}",
		"{\"k\":\"x\",\"n\":1,\"t\":\"2026-01-01T00:00:00Z\",\"a\":[{\"s\":2}]}",
		"{\"k\":\"y\",\"n\":1,\"t\":\"2026-01-01T00:00:00Z\"}",
		"{\"k\":\"y\",\"n\":1,\"t\":\"2026-01-01T00:00:00Z\",\"m\":null}",
	};
	static const char *const want[] = {
		"",
		"field 'k': missing",
		"field 'k': 'z' is not one of 'x', 'y'",
		"field 'n': -1 is below the minimum 0",
		"field 'n': expected an integer, got a number",
		"field 't': not an ISO 8601 time",
		"field 'a[0].s': expected a string, got an integer",
		"field 'm': missing",
		"field 'm': expected a string, got a null",
	};
	char dir[] = "/tmp/test_schema.XXXXXX", path[64];
	struct sp_schema *s;
	FILE *fp;
	size_t i;

	CHECK(mkdtemp(dir) != NULL);
	snprintf(path, sizeof path, "%s/t.schema.json", dir);
	CHECK((fp = fopen(path, "w")) != NULL);
	fputs("{\"type\":\"object\",\"required\":[\"k\",\"n\",\"t\"],"
	    "\"properties\":{\"k\":{\"enum\":[\"x\",\"y\"]},"
	    "\"n\":{\"type\":\"integer\",\"minimum\":0},"
	    "\"t\":{\"$ref\":\"#/$defs/time\"},"
	    "\"a\":{\"type\":\"array\",\"items\":{\"properties\":{\"s\":{\"type\":\"string\"}}}}},"
	    "\"if\":{\"properties\":{\"k\":{\"const\":\"y\"}}},"
	    "\"then\":{\"required\":[\"m\"],\"properties\":{\"m\":{\"type\":\"string\"}}},"
	    "\"$defs\":{\"time\":{\"type\":\"string\",\"format\":\"date-time\"}}}", fp);
	CHECK(fclose(fp) == 0);
	s = sp_schema_load(path);
	unlink(path);
	rmdir(dir);
	CHECK(s != NULL);
	for (i = 0; i < sizeof recs / sizeof *recs; i++) {
		struct sp_buf r1 = { 0 }, r2 = { 0 };
		struct sp_jtok t;
		jv v = jv_parse(recs[i]);
		int a, b;

		a = sp_schema_check(s, v, &r1);
		jv_free(v);
		CHECK(sp_jscan(recs[i], strlen(recs[i]), &t) == 0);
		b = sp_schema_check_text(s, &t, &r2);
		CHECK(a == b);
		CHECK_STR(r1.data ? r1.data : "", want[i]);
		CHECK_STR(r2.data ? r2.data : "", want[i]);
		sp_buf_free(&r1);
		sp_buf_free(&r2);
	}
	sp_schema_free(s);
}

int
main(void)
{
	RUN(test_iso_time);
	RUN(test_text);
	RUN(test_same_reasons);
	return unit_failed != 0;
}
