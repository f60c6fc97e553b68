/* jscan.c: validating and walking JSON text without building values. */
#include <string.h>

#include "jscan.h"

#define MAX_DEPTH 256

static const char *
ws(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
		p++;
	return p;
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* p at the opening quote; returns the position after the closing one. */
static const char *
skip_string(const char *p, const char *end)
{
	for (p++; p < end; p++) {
		unsigned char c = (unsigned char)*p;

		if (c == '"')
			return p + 1;
		if (c < 0x20)
			return NULL;
		if (c != '\\')
			continue;
		if (++p >= end)
			return NULL;
		switch (*p) {
		case '"': case '\\': case '/': case 'b': case 'f':
		case 'n': case 'r': case 't':
			break;
		case 'u':
			if (end - p < 5)
				return NULL;
			for (int i = 1; i <= 4; i++)
				if (hexval(p[i]) < 0)
					return NULL;
			p += 4;
			break;
		default:
			return NULL;
		}
	}
	return NULL;
}

static const char *
skip_digits(const char *p, const char *end)
{
	const char *q = p;

	while (q < end && *q >= '0' && *q <= '9')
		q++;
	return q > p ? q : NULL;
}

static const char *
skip_number(const char *p, const char *end)
{
	if (p < end && *p == '-')
		p++;
	if (p < end && *p == '0')
		p++;
	else if ((p = skip_digits(p, end)) == NULL)
		return NULL;
	if (p < end && *p == '.' && (p = skip_digits(p + 1, end)) == NULL)
		return NULL;
	if (p < end && (*p == 'e' || *p == 'E')) {
		p++;
		if (p < end && (*p == '+' || *p == '-'))
			p++;
		if ((p = skip_digits(p, end)) == NULL)
			return NULL;
	}
	return p;
}

static const char *
skip_word(const char *p, const char *end, const char *w)
{
	size_t n = strlen(w);

	return (size_t)(end - p) >= n && memcmp(p, w, n) == 0 ? p + n : NULL;
}

/* p at a value (no leading space); returns the position after it. */
static const char *
skip_value(const char *p, const char *end, int depth, int *type)
{
	int t;

	if (p >= end)
		return NULL;
	switch (*p) {
	case '"':
		*type = SP_JSON_STRING;
		return skip_string(p, end);
	case 'n':
		*type = SP_JSON_NULL;
		return skip_word(p, end, "null");
	case 't':
		*type = SP_JSON_TRUE;
		return skip_word(p, end, "true");
	case 'f':
		*type = SP_JSON_FALSE;
		return skip_word(p, end, "false");
	case '[':
	case '{': {
		char close = *p == '[' ? ']' : '}';

		*type = *p == '[' ? SP_JSON_ARRAY : SP_JSON_OBJECT;
		if (depth >= MAX_DEPTH)
			return NULL;
		p = ws(p + 1, end);
		if (p < end && *p == close)
			return p + 1;
		for (;;) {
			if (close == '}') {
				if (p >= end || *p != '"' || (p = skip_string(p, end)) == NULL)
					return NULL;
				p = ws(p, end);
				if (p >= end || *p != ':')
					return NULL;
				p = ws(p + 1, end);
			}
			if ((p = skip_value(p, end, depth + 1, &t)) == NULL)
				return NULL;
			p = ws(p, end);
			if (p < end && *p == ',') {
				p = ws(p + 1, end);
				continue;
			}
			return p < end && *p == close ? p + 1 : NULL;
		}
	}
	default:
		*type = SP_JSON_NUMBER;
		return skip_number(p, end);
	}
}

int
sp_jscan(const char *s, size_t len, struct sp_jtok *t)
{
	const char *end = s + len, *p = ws(s, end), *q;

	if ((q = skip_value(p, end, 0, &t->type)) == NULL || ws(q, end) != end)
		return -1;
	t->p = p;
	t->len = (size_t)(q - p);
	return 0;
}

int
sp_jiter_init(struct sp_jiter *it, const struct sp_jtok *t)
{
	if (t->type != SP_JSON_OBJECT && t->type != SP_JSON_ARRAY)
		return -1;
	it->p = t->p + 1;
	it->end = t->p + t->len - 1;	/* the closing bracket */
	it->type = t->type;
	return 0;
}

int
sp_jiter_next(struct sp_jiter *it, struct sp_jtok *key, struct sp_jtok *val)
{
	const char *p = ws(it->p, it->end), *q;

	if (p < it->end && *p == ',')
		p = ws(p + 1, it->end);
	if (p >= it->end)
		return 0;
	/* The text was checked by sp_jscan, so the scans below cannot fail. */
	if (it->type == SP_JSON_OBJECT) {
		q = skip_string(p, it->end);
		if (key != NULL) {
			key->type = SP_JSON_STRING;
			key->p = p;
			key->len = (size_t)(q - p);
		}
		p = ws(ws(q, it->end) + 1, it->end);
	}
	q = skip_value(p, it->end, 0, &val->type);
	val->p = p;
	val->len = (size_t)(q - p);
	it->p = q;
	return 1;
}

static void
put_utf8(struct sp_buf *b, unsigned long c)
{
	char u[4];
	size_t n;

	if (c < 0x80) {
		u[0] = (char)c;
		n = 1;
	} else if (c < 0x800) {
		u[0] = (char)(0xc0 | c >> 6);
		u[1] = (char)(0x80 | (c & 0x3f));
		n = 2;
	} else if (c < 0x10000) {
		u[0] = (char)(0xe0 | c >> 12);
		u[1] = (char)(0x80 | (c >> 6 & 0x3f));
		u[2] = (char)(0x80 | (c & 0x3f));
		n = 3;
	} else {
		u[0] = (char)(0xf0 | c >> 18);
		u[1] = (char)(0x80 | (c >> 12 & 0x3f));
		u[2] = (char)(0x80 | (c >> 6 & 0x3f));
		u[3] = (char)(0x80 | (c & 0x3f));
		n = 4;
	}
	sp_buf_add(b, u, n);
}

static unsigned long
hex4(const char *p)
{
	return (unsigned long)(hexval(p[0]) << 12 | hexval(p[1]) << 8 |
	    hexval(p[2]) << 4 | hexval(p[3]));
}

void
sp_jstr_decode(const struct sp_jtok *t, struct sp_buf *out)
{
	const char *p = t->p + 1, *end = t->p + t->len - 1, *run;
	unsigned long c, lo;

	sp_buf_grow(out, t->len);
	while (p < end) {
		for (run = p; p < end && *p != '\\'; p++)
			;
		sp_buf_add(out, run, (size_t)(p - run));
		if (p >= end)
			break;
		p++;
		switch (*p++) {
		case 'b': sp_buf_addc(out, '\b'); break;
		case 'f': sp_buf_addc(out, '\f'); break;
		case 'n': sp_buf_addc(out, '\n'); break;
		case 'r': sp_buf_addc(out, '\r'); break;
		case 't': sp_buf_addc(out, '\t'); break;
		case 'u':
			c = hex4(p);
			p += 4;
			if (c >= 0xd800 && c < 0xdc00 && end - p >= 6 && p[0] == '\\' &&
			    p[1] == 'u' && (lo = hex4(p + 2)) >= 0xdc00 && lo < 0xe000) {
				c = 0x10000 + ((c - 0xd800) << 10) + (lo - 0xdc00);
				p += 6;
			} else if (c >= 0xd800 && c < 0xe000) {
				c = 0xfffd;
			}
			put_utf8(out, c);
			break;
		default:	/* '"', '\\' and '/' stand for themselves */
			sp_buf_addc(out, p[-1]);
			break;
		}
	}
}

int
sp_jstr_eq(const struct sp_jtok *t, const char *s)
{
	struct sp_buf b = { 0 };
	size_t n = strlen(s);
	int eq;

	if (t->type != SP_JSON_STRING)
		return 0;
	if (memchr(t->p, '\\', t->len) == NULL)
		return t->len == n + 2 && memcmp(t->p + 1, s, n) == 0;
	sp_jstr_decode(t, &b);
	eq = b.len == n && memcmp(b.data, s, n) == 0;
	sp_buf_free(&b);
	return eq;
}
