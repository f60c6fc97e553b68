/* test_common.c: unit tests of diagnostics, redaction, buffers and NDJSON. */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "diag.h"
#include "ndjson.h"
#include "unit.h"

static void
redact(const char *in, const char *want)
{
	char buf[512];

	snprintf(buf, sizeof buf, "%s", in);
	sp_redact(buf, sizeof buf);
	if (strcmp(buf, want) != 0)
		printf("# redact '%s' gave '%s'\n", in, buf);
}

static int
redacts(const char *in, const char *want)
{
	char buf[512];

	snprintf(buf, sizeof buf, "%s", in);
	sp_redact(buf, sizeof buf);
	redact(in, want);
	return strcmp(buf, want) == 0;
}

static void
test_redact(void)
{
	CHECK(redacts("Authorization: Bearer abc.DEF-123", "Authorization: Bearer [redacted]"));
	CHECK(redacts("grant_type=refresh_token&refresh_token=AQx9&client_id=c1",
	    "grant_type=refresh_token&refresh_token=[redacted]&client_id=c1"));
	CHECK(redacts("{\"access_token\":\"BQD\",\"token_type\":\"Bearer\"}",
	    "{\"access_token\":\"[redacted]\",\"token_type\":\"Bearer\"}"));
	CHECK(redacts("GET /callback?code=xyz&state=s", "GET /callback?code=[redacted]&state=s"));
	CHECK(redacts("field 'encode': bad", "field 'encode': bad"));
	CHECK(redacts("no secrets here", "no secrets here"));
}

static void
test_buf(void)
{
	struct sp_buf b = { 0 };
	char *s;
	size_t n;

	sp_buf_adds(&b, "a");
	sp_buf_printf(&b, "%d-%s", 42, "x");
	sp_buf_json_str(&b, "q\"\n\x01", 4);
	CHECK_STR(b.data, "a42-x\"q\\\"\\n\\u0001\"");
	s = sp_buf_detach(&b, &n);
	CHECK(n == strlen(s) && b.data == NULL);
	free(s);
}

static void
test_lines(void)
{
	char text[] = "{\"a\":1}\r\n\n  \n[1]\n{\"b\":\"\xc3\xa9\"}";
	FILE *fp = fmemopen(text, sizeof text - 1, "r");
	struct sp_lines r;
	jv v;

	sp_lines_init(&r, fp, "mem");
	CHECK(sp_ndjson_next(&r, &v, 0) == 1);
	CHECK(jv_get_kind(v) == JV_KIND_OBJECT && r.lineno == 1);
	jv_free(v);
	CHECK(sp_ndjson_next(&r, &v, 0) == 1);	/* blank lines skipped */
	CHECK(jv_get_kind(v) == JV_KIND_ARRAY && r.lineno == 4);
	jv_free(v);
	CHECK(sp_ndjson_next(&r, &v, 1) == 1);	/* no final newline */
	CHECK(r.lineno == 5);
	jv s = sp_jv_get(v, "b");
	CHECK_STR(jv_string_value(s), "\xc3\xa9");
	jv_free(s);
	jv_free(v);
	CHECK(sp_ndjson_next(&r, &v, 0) == 0);
	sp_lines_close(&r);
	fclose(fp);
}

static void
test_json_str(void)
{
	char *buf = NULL;
	size_t len;
	FILE *fp = open_memstream(&buf, &len);

	sp_json_str(fp, "a\"\\\t\xff\xc3\xa9", 7);
	fclose(fp);
	CHECK_STR(buf, "\"a\\\"\\\\\\t\xef\xbf\xbd\xc3\xa9\"");
	free(buf);
}

int
main(void)
{
	sp_init("test_common");
	RUN(test_redact);
	RUN(test_buf);
	RUN(test_lines);
	RUN(test_json_str);
	return unit_failed != 0;
}
