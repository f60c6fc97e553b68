/* copybin.c: PostgreSQL's binary COPY format, for the column types sp-load writes. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "copybin.h"
#include "dates.h"

/* Microseconds from 1970-01-01 to 2000-01-01, PostgreSQL's epoch. */
#define PG_EPOCH_US (INT64_C(10957) * 86400 * 1000000)

/* The types by the name format_type() gives them (text's first). */
static const struct {
	const char *name;
	enum sp_cb_type t;
} types[] = {
	{ "text", SP_CB_TEXT },
	{ "character varying", SP_CB_TEXT },
	{ "smallint", SP_CB_INT2 },
	{ "integer", SP_CB_INT4 },
	{ "bigint", SP_CB_INT8 },
	{ "double precision", SP_CB_FLOAT8 },
	{ "boolean", SP_CB_BOOL },
	{ "timestamp with time zone", SP_CB_TSTZ },
	{ "json", SP_CB_JSON },
	{ "jsonb", SP_CB_JSONB },
};

enum sp_cb_type
sp_cb_type_of(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof types / sizeof types[0]; i++)
		if (strcmp(name, types[i].name) == 0)
			return types[i].t;
	return SP_CB_OTHER;
}

const char *
sp_cb_type_name(enum sp_cb_type t)
{
	size_t i;

	for (i = 0; i < sizeof types / sizeof types[0]; i++)
		if (types[i].t == t)
			return types[i].name;
	return "?";
}

static void
put16(struct sp_buf *b, uint16_t v)
{
	unsigned char c[2] = { (unsigned char)(v >> 8), (unsigned char)v };

	sp_buf_add(b, (const char *)c, 2);
}

static void
put32(struct sp_buf *b, uint32_t v)
{
	unsigned char c[4] = { (unsigned char)(v >> 24), (unsigned char)(v >> 16),
	    (unsigned char)(v >> 8), (unsigned char)v };

	sp_buf_add(b, (const char *)c, 4);
}

static void
put64(struct sp_buf *b, uint64_t v)
{
	put32(b, (uint32_t)(v >> 32));
	put32(b, (uint32_t)v);
}

void
sp_cb_header(struct sp_buf *b)
{
	sp_buf_add(b, "PGCOPY\n\377\r\n\0", 11);
	put32(b, 0);		/* flags: no OIDs */
	put32(b, 0);		/* no header extension */
}

void
sp_cb_trailer(struct sp_buf *b)
{
	put16(b, 0xffff);
}

void
sp_cb_tuple(struct sp_buf *b, int n)
{
	put16(b, (uint16_t)n);
}

void
sp_cb_null(struct sp_buf *b)
{
	put32(b, 0xffffffffu);
}

static int
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* s[0, n) without the white space around it, as the input functions trim. */
static void
trim(const char **s, size_t *n)
{
	while (*n > 0 && is_space(**s))
		(*s)++, (*n)--;
	while (*n > 0 && is_space((*s)[*n - 1]))
		(*n)--;
}

/* An integer as int2in/int4in/int8in read it: [+-]digits, within [lo, hi]. */
static int
parse_int(const char *s, size_t n, int64_t lo, int64_t hi, int64_t *out)
{
	uint64_t v = 0, lim;
	int neg = 0;
	size_t i = 0;

	trim(&s, &n);
	if (i < n && (s[i] == '+' || s[i] == '-'))
		neg = s[i++] == '-';
	if (i == n)
		return -1;
	lim = neg ? (uint64_t)(-(lo + 1)) + 1 : (uint64_t)hi;
	for (; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		if (v > (lim - (uint64_t)(s[i] - '0')) / 10)
			return -1;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	*out = neg ? (v == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)v) : (int64_t)v;
	return 0;
}

static int
word_is(const char *s, size_t n, const char *w)
{
	size_t i;

	if (strlen(w) != n)
		return 0;
	for (i = 0; i < n; i++)
		if ((s[i] | 0x20) != w[i])
			return 0;
	return 1;
}

/* A boolean as boolin reads its usual spellings; 1, 0 or -1. */
static int
parse_bool(const char *s, size_t n)
{
	static const char *yes[] = { "t", "true", "yes", "on", "1" };
	static const char *no[] = { "f", "false", "no", "off", "0" };
	size_t i;

	trim(&s, &n);
	for (i = 0; i < 5; i++) {
		if (word_is(s, n, yes[i]))
			return 1;
		if (word_is(s, n, no[i]))
			return 0;
	}
	return -1;
}

int
sp_cb_field(struct sp_buf *b, enum sp_cb_type t, const char *s, size_t n)
{
	int64_t v;
	double d;
	int k;

	switch (t) {
	case SP_CB_TEXT:
	case SP_CB_JSON:
		put32(b, (uint32_t)n);
		sp_buf_add(b, s, n);
		return 0;
	case SP_CB_JSONB:
		put32(b, (uint32_t)n + 1);
		sp_buf_addc(b, 1);	/* jsonb's binary form: version 1, then the text */
		sp_buf_add(b, s, n);
		return 0;
	case SP_CB_INT2:
		if (parse_int(s, n, INT16_MIN, INT16_MAX, &v) != 0)
			return -1;
		put32(b, 2);
		put16(b, (uint16_t)v);
		return 0;
	case SP_CB_INT4:
		if (parse_int(s, n, INT32_MIN, INT32_MAX, &v) != 0)
			return -1;
		put32(b, 4);
		put32(b, (uint32_t)v);
		return 0;
	case SP_CB_INT8:
		if (parse_int(s, n, INT64_MIN, INT64_MAX, &v) != 0)
			return -1;
		put32(b, 8);
		put64(b, (uint64_t)v);
		return 0;
	case SP_CB_FLOAT8: {
		char num[64], *end;
		uint64_t bits;

		trim(&s, &n);
		if (n == 0 || n >= sizeof num)
			return -1;
		memcpy(num, s, n);
		num[n] = '\0';
		errno = 0;
		d = strtod(num, &end);
		if (*end != '\0' || errno == ERANGE)
			return -1;
		memcpy(&bits, &d, 8);
		put32(b, 8);
		put64(b, bits);
		return 0;
	}
	case SP_CB_BOOL:
		if ((k = parse_bool(s, n)) < 0)
			return -1;
		put32(b, 1);
		sp_buf_addc(b, (char)k);
		return 0;
	case SP_CB_TSTZ:
		if (sp_time_parse(s, n, &v) != 0)
			return -1;
		v -= PG_EPOCH_US;
		put32(b, 8);
		put64(b, (uint64_t)v);
		return 0;
	default:
		return -1;
	}
}
