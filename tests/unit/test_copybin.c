/* test_copybin.c: unit tests of the binary COPY encoders (libcommon/copybin.c). */
#include <stdint.h>
#include <string.h>

#include "buf.h"
#include "copybin.h"
#include "dates.h"
#include "unit.h"

/* The field sp_cb_field writes for text s, as hex ("-" when it refuses). */
static const char *
field_hex(enum sp_cb_type t, const char *s)
{
	static char hex[256];
	struct sp_buf b = { 0 };
	size_t i;

	if (sp_cb_field(&b, t, s, strlen(s)) != 0) {
		const char *r = b.len == 0 ? "-" : "appended on failure";

		sp_buf_free(&b);
		return r;
	}
	for (i = 0; i < b.len && 2 * i + 2 < sizeof hex; i++)
		snprintf(hex + 2 * i, 3, "%02x", (unsigned char)b.data[i]);
	hex[2 * i] = '\0';
	sp_buf_free(&b);
	return hex;
}

/* sp_time_parse (dates.h) as the binary form counts: from 2000-01-01. */
static int64_t
us(const char *s)
{
	int64_t v;

	return sp_time_parse(s, strlen(s), &v) == 0 ? v - INT64_C(946684800000000) : INT64_MIN;
}

static void
test_frame(void)
{
	struct sp_buf b = { 0 };

	sp_cb_header(&b);
	CHECK(b.len == 19 && memcmp(b.data, "PGCOPY\n\377\r\n\0\0\0\0\0\0\0\0\0", 19) == 0);
	sp_buf_reset(&b);
	sp_cb_tuple(&b, 2);
	sp_cb_null(&b);
	CHECK(sp_cb_field(&b, SP_CB_TEXT, "abc", 3) == 0);
	sp_cb_trailer(&b);
	CHECK(b.len == 2 + 4 + 4 + 3 + 2);
	CHECK(memcmp(b.data, "\0\2\377\377\377\377\0\0\0\3abc\377\377", b.len) == 0);
	sp_buf_free(&b);
}

static void
test_types(void)
{
	CHECK(sp_cb_type_of("integer") == SP_CB_INT4);
	CHECK(sp_cb_type_of("timestamp with time zone") == SP_CB_TSTZ);
	CHECK(sp_cb_type_of("jsonb") == SP_CB_JSONB);
	CHECK(sp_cb_type_of("numeric") == SP_CB_OTHER);
	CHECK(sp_cb_type_of("timestamp without time zone") == SP_CB_OTHER);
	CHECK_STR(sp_cb_type_name(SP_CB_INT2), "smallint");
}

static void
test_ints(void)
{
	CHECK_STR(field_hex(SP_CB_INT4, "1000"), "00000004000003e8");
	CHECK_STR(field_hex(SP_CB_INT4, " -1 "), "00000004ffffffff");
	CHECK_STR(field_hex(SP_CB_INT4, "+7"), "0000000400000007");
	CHECK_STR(field_hex(SP_CB_INT4, "2147483647"), "000000047fffffff");
	CHECK_STR(field_hex(SP_CB_INT4, "-2147483648"), "0000000480000000");
	CHECK_STR(field_hex(SP_CB_INT4, "2147483648"), "-");
	CHECK_STR(field_hex(SP_CB_INT4, "-2147483649"), "-");
	CHECK_STR(field_hex(SP_CB_INT4, "1.5"), "-");
	CHECK_STR(field_hex(SP_CB_INT4, ""), "-");
	CHECK_STR(field_hex(SP_CB_INT4, "-"), "-");
	CHECK_STR(field_hex(SP_CB_INT2, "32768"), "-");
	CHECK_STR(field_hex(SP_CB_INT2, "-32768"), "000000028000");
	CHECK_STR(field_hex(SP_CB_INT8, "-9223372036854775808"), "000000088000000000000000");
	CHECK_STR(field_hex(SP_CB_INT8, "9223372036854775807"), "000000087fffffffffffffff");
	CHECK_STR(field_hex(SP_CB_INT8, "9223372036854775808"), "-");
	CHECK_STR(field_hex(SP_CB_INT8, "99999999999999999999"), "-");
}

static void
test_scalars(void)
{
	CHECK_STR(field_hex(SP_CB_BOOL, "t"), "0000000101");
	CHECK_STR(field_hex(SP_CB_BOOL, "FALSE"), "0000000100");
	CHECK_STR(field_hex(SP_CB_BOOL, "on"), "0000000101");
	CHECK_STR(field_hex(SP_CB_BOOL, "maybe"), "-");
	CHECK_STR(field_hex(SP_CB_TEXT, "a\tb"), "00000003610962");
	CHECK_STR(field_hex(SP_CB_JSONB, "{}"), "00000003017b7d");
	CHECK_STR(field_hex(SP_CB_FLOAT8, "1.5"), "000000083ff8000000000000");
	CHECK_STR(field_hex(SP_CB_FLOAT8, "1e999"), "-");
	CHECK_STR(field_hex(SP_CB_FLOAT8, "x"), "-");
}

static void
test_times(void)
{
	CHECK(us("2000-01-01T00:00:00Z") == 0);
	CHECK(us("1970-01-01T00:00:00Z") == -INT64_C(946684800000000));
	CHECK(us("2000-01-01T01:00:00+01:00") == 0);
	CHECK(us("1999-12-31T23:30:00-00:30") == 0);
	CHECK(us("2000-01-01T00:00Z") == 0);		/* no seconds */
	CHECK(us("2000-01-01 00:00:01Z") == INT64_MIN);	/* the schemas' form only */
	CHECK(us("2000-01-01t00:00:01z") == INT64_MIN);
	CHECK(us("2000-01-01T00:00:00.5Z") == 500000);
	CHECK(us("2000-01-01T00:00:00.123456789Z") == 123457);
	/* Half a microsecond rounds to even, as rint() in PostgreSQL. */
	CHECK(us("2000-01-01T00:00:00.0000005Z") == 0);
	CHECK(us("2000-01-01T00:00:00.0000015Z") == 2);
	/* A leap second is the next minute's first, as PostgreSQL reads it. */
	CHECK(us("1999-12-31T23:59:60Z") == 0);
	CHECK(us("2024-02-29T00:00:00Z") != INT64_MIN);
	CHECK(us("2023-02-29T00:00:00Z") == INT64_MIN);
	CHECK(us("2000-01-01T24:00:00Z") == INT64_MIN);
	CHECK(us("2000-01-01T00:00:00") == INT64_MIN);	/* no zone */
	CHECK(us("2000-01-01T00:00:00.Z") == INT64_MIN);
	CHECK(us("2000-01-01T00:00:00.1234567890Z") == INT64_MIN);
	CHECK(us("2000-13-01T00:00:00Z") == INT64_MIN);
	CHECK(us("0999-01-01T00:00:00Z") == INT64_MIN);
	CHECK(us("2000-01-01T00:00:00+24:00") == INT64_MIN);
	CHECK(us("2000-01-01") == INT64_MIN);
	CHECK_STR(field_hex(SP_CB_TSTZ, "2000-01-01T00:00:01Z"), "0000000800000000000f4240");
	CHECK_STR(field_hex(SP_CB_TSTZ, "yesterday"), "-");
}

int
main(void)
{
	RUN(test_frame);
	RUN(test_types);
	RUN(test_ints);
	RUN(test_scalars);
	RUN(test_times);
	return unit_failed != 0;
}
