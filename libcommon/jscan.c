/* jscan.c: validating and walking JSON text without building values. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "diag.h"
#include "jscan.h"
#include "jsonstream.h"
#include "utf8.h"

#define MAX_DEPTH 256

#define ws sp_jscan_ws

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

#define ONES 0x0101010101010101u
#define HIGHS 0x8080808080808080u

/*
 * SWAR over the 8 bytes at p.  A byte b of x is zero exactly when the high
 * bit of (b - 1) & ~b is set, before any borrow; a borrow only reaches
 * bytes above a real match, so the answer "some byte" is exact.
 */
static inline uint64_t
load8(const char *p)
{
	uint64_t w;

	memcpy(&w, p, 8);
	return w;
}

static inline uint64_t
zero_byte(uint64_t x)
{
	return (x - ONES) & ~x & HIGHS;
}

/* Whether any of the 8 bytes at p is '"' or '\\'. */
static inline int
quote8(const char *p)
{
	uint64_t w = load8(p);

	return (zero_byte(w ^ (ONES * '"')) | zero_byte(w ^ (ONES * '\\'))) != 0;
}

/* quote8, or a control byte: the bytes a validating string scan stops at. */
static inline int
special8(const char *p)
{
	uint64_t w = load8(p);

	return quote8(p) || ((w - ONES * 0x20) & ~w & HIGHS) != 0;
}

/* special8, or a byte of 0x80 and above: where a strict scan looks. */
static inline int
strict8(const char *p)
{
	return special8(p) || (load8(p) & HIGHS) != 0;
}

/* The value of the 4 hex digits at p (end - p >= 4), or -1. */
static int
hex4(const char *p)
{
	int i, h, u = 0;

	for (i = 0; i < 4; i++) {
		if ((h = hexval(p[i])) < 0)
			return -1;
		u = u << 4 | h;
	}
	return u;
}

/*
 * The escape whose backslash is at p; returns its last byte, or NULL.
 * Strict: no surrogate (jq refuses a lone one; leave pairs to it too).
 */
static const char *
escape_end(const char *p, const char *end, unsigned flags)
{
	int u;

	if (++p >= end)
		return NULL;
	switch (*p) {
	case '"': case '\\': case '/': case 'b': case 'f':
	case 'n': case 'r': case 't':
		return p;
	case 'u':
		if (end - p < 5 || (u = hex4(p + 1)) < 0)
			return NULL;
		if ((flags & SP_JSCAN_STRICT) && u >= 0xd800 && u <= 0xdfff)
			return NULL;
		return p + 4;
	default:
		return NULL;
	}
}

/*
 * p at the opening quote; returns the position after the closing one.
 * Inlined with constant flags: each caller gets its own loop.
 */
static inline __attribute__((always_inline)) const char *
scan_string(const char *p, const char *end, unsigned flags, int *esc)
{
	int k;

	*esc = 0;
	for (p++; p < end; p++) {
		unsigned char c;

		/* Plain runs of the string go 8 bytes at a time. */
		if (flags & SP_JSCAN_STRICT)
			while (end - p >= 8 && !strict8(p))
				p += 8;
		else
			while (end - p >= 8 && !special8(p))
				p += 8;
		if (p >= end)
			break;
		c = (unsigned char)*p;
		if (c == '"')
			return p + 1;
		if (c < 0x20)
			return NULL;
		if (c >= 0x80 && (flags & SP_JSCAN_STRICT)) {
			if ((k = sp_utf8_len((const unsigned char *)p, (size_t)(end - p))) <= 0)
				return NULL;
			p += k - 1;
		} else if (c == '\\') {
			*esc = 1;
			if ((p = escape_end(p, end, flags)) == NULL)
				return NULL;
		}
	}
	return NULL;
}

const char *
sp_jscan_string(const char *p, const char *end, unsigned flags, int *esc)
{
	if (flags & SP_JSCAN_STRICT)
		return scan_string(p, end, SP_JSCAN_STRICT, esc);
	return scan_string(p, end, 0, esc);
}

/* scan_string where the value is not wanted: one loop for each flags. */
static inline __attribute__((always_inline)) const char *
skip_string(const char *p, const char *end, unsigned flags)
{
	int esc;

	if (flags & SP_JSCAN_STRICT)
		return scan_string(p, end, SP_JSCAN_STRICT, &esc);
	return scan_string(p, end, 0, &esc);
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

const char *
sp_jscan_number(const char *p, const char *end, double *out)
{
	const char *q = skip_number(p, end);
	char tmp[64], *endp;
	size_t n;

	if (q == NULL || out == NULL)
		return q;
	/* A NUL-terminated copy: the text need not be; long ones are refused. */
	if ((n = (size_t)(q - p)) >= sizeof tmp)
		return NULL;
	memcpy(tmp, p, n);
	tmp[n] = '\0';
	*out = strtod(tmp, &endp);
	return endp == tmp + n ? q : NULL;
}

static const char *
skip_word(const char *p, const char *end, const char *w)
{
	size_t n = strlen(w);

	return (size_t)(end - p) >= n && memcmp(p, w, n) == 0 ? p + n : NULL;
}

/* p at a value (no leading space); returns the position after it. */
static const char *
skip_value(const char *p, const char *end, int depth, unsigned flags, int *type)
{
	int t;

	if (p >= end)
		return NULL;
	switch (*p) {
	case '"':
		*type = SP_JSON_STRING;
		return skip_string(p, end, flags);
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
		if (depth >= ((flags & SP_JSCAN_STRICT) ? SP_JSCAN_STRICT_DEPTH : MAX_DEPTH))
			return NULL;
		p = ws(p + 1, end);
		if (p < end && *p == close)
			return p + 1;
		for (;;) {
			if (close == '}') {
				if (p >= end || *p != '"' || (p = skip_string(p, end, flags)) == NULL)
					return NULL;
				p = ws(p, end);
				if (p >= end || *p != ':')
					return NULL;
				p = ws(p + 1, end);
			}
			if ((p = skip_value(p, end, depth + 1, flags, &t)) == NULL)
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

/*
 * The end of the string at p in checked text: no byte needs a look but a
 * quote and the backslash before an escaped character.
 */
static const char *
checked_string_end(const char *p, const char *end)
{
	for (p++; p < end; p++) {
		while (end - p >= 8 && !quote8(p))
			p += 8;
		if (p >= end)
			break;
		if (*p == '"')
			return p + 1;
		if (*p == '\\')
			p++;
	}
	return end;
}

/*
 * skip_value for text sp_jscan has checked: only the structure is
 * followed (strings, brackets, the length of a word or number), which is
 * what walking a checked value costs again and again.
 */
static const char *
skip_checked(const char *p, const char *end, int *type)
{
	int depth;

	switch (*p) {
	case '"':
		*type = SP_JSON_STRING;
		return checked_string_end(p, end);
	case 'n': *type = SP_JSON_NULL; return p + 4;
	case 't': *type = SP_JSON_TRUE; return p + 4;
	case 'f': *type = SP_JSON_FALSE; return p + 5;
	case '{':
	case '[':
		*type = *p == '[' ? SP_JSON_ARRAY : SP_JSON_OBJECT;
		for (depth = 0; p < end; p++) {
			switch (*p) {
			case '"':
				p = checked_string_end(p, end) - 1;
				break;
			case '{': case '[':
				depth++;
				break;
			case '}': case ']':
				if (--depth == 0)
					return p + 1;
				break;
			default:
				break;
			}
		}
		return end;
	default:
		*type = SP_JSON_NUMBER;
		while (p < end && ((*p >= '0' && *p <= '9') || *p == '-' || *p == '+' ||
		    *p == '.' || *p == 'e' || *p == 'E'))
			p++;
		return p;
	}
}

int
sp_jscan(const char *s, size_t len, struct sp_jtok *t)
{
	const char *end = s + len, *p = ws(s, end), *q;

	if ((q = skip_value(p, end, 0, 0, &t->type)) == NULL || ws(q, end) != end)
		return -1;
	t->p = p;
	t->len = (size_t)(q - p);
	return 0;
}

const char *
sp_jscan_value(const char *p, const char *end, int depth, unsigned flags, int *type)
{
	return skip_value(p, end, depth, flags, type);
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

void
sp_jiter_open(struct sp_jiter *it, const char *p, const char *end)
{
	it->p = p + 1;
	it->end = end;
	it->type = *p == '[' ? SP_JSON_ARRAY : SP_JSON_OBJECT;
}

int
sp_jiter_key(struct sp_jiter *it, struct sp_jtok *key)
{
	const char *p = ws(it->p, it->end), *q;

	if (p < it->end && *p == ',')
		p = ws(p + 1, it->end);
	/* A closing bracket ends an open iterator (no value starts with one). */
	if (p >= it->end || *p == '}' || *p == ']') {
		it->p = p;
		return 0;
	}
	/* The text was checked by sp_jscan: only its structure is followed. */
	if (it->type == SP_JSON_OBJECT) {
		q = checked_string_end(p, it->end);
		if (key != NULL) {
			key->type = SP_JSON_STRING;
			key->p = p;
			key->len = (size_t)(q - p);
		}
		p = ws(ws(q, it->end) + 1, it->end);
	}
	it->p = p;
	return 1;
}

void
sp_jiter_value(struct sp_jiter *it, struct sp_jtok *val)
{
	const char *q = skip_checked(it->p, it->end, &val->type);

	val->p = it->p;
	val->len = (size_t)(q - it->p);
	it->p = q;
}

int
sp_jiter_next(struct sp_jiter *it, struct sp_jtok *key, struct sp_jtok *val)
{
	if (!sp_jiter_key(it, key))
		return 0;
	sp_jiter_value(it, val);
	return 1;
}

/* The same decoding as jsonstream's, over a token of this scanner. */
void
sp_jstr_decode(const struct sp_jtok *t, struct sp_buf *out)
{
	sp_json_unescape(t->p, t->len, out);
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

const char *
sp_json_kind_name(int kind)
{
	static const char *const names[] = { "nothing", "null", "a boolean", "a boolean",
		"a number", "a string", "an array", "an object" };

	return kind >= SP_JSON_NULL && kind <= SP_JSON_OBJECT ? names[kind] : names[0];
}

int
sp_jptr_parse(const char *s, size_t n, struct sp_jptr *p)
{
	struct sp_buf seg = { 0 };
	struct sp_jname k;
	const char *end = s + n;

	memset(p, 0, sizeof *p);
	if (s < end && *s != '/')
		return -1;
	while (s < end && *s == '/') {
		sp_buf_reset(&seg);
		for (s++; s < end && *s != '/'; s++) {
			if (*s == '~' && s + 1 < end && (s[1] == '0' || s[1] == '1')) {
				sp_buf_addc(&seg, s[1] == '0' ? '~' : '/');
				s++;
			} else {
				sp_buf_addc(&seg, *s);
			}
		}
		p->seg = sp_xreallocarray(p->seg, (size_t)p->n + 1, sizeof *p->seg);
		p->len = sp_xreallocarray(p->len, (size_t)p->n + 1, sizeof *p->len);
		p->hash = sp_xreallocarray(p->hash, (size_t)p->n + 1, sizeof *p->hash);
		sp_jname_key(seg.data ? seg.data : "", seg.len, &k);
		p->hash[p->n] = k.h;
		p->len[p->n] = seg.len;
		p->seg[p->n] = sp_xmalloc(seg.len + 1);
		memcpy(p->seg[p->n], seg.data ? seg.data : "", seg.len);
		p->seg[p->n++][seg.len] = '\0';
	}
	sp_buf_free(&seg);
	return 0;
}

void
sp_jptr_free(struct sp_jptr *p)
{
	int i;

	for (i = 0; i < p->n; i++)
		free(p->seg[i]);
	free(p->seg);
	free(p->len);
	free(p->hash);
	memset(p, 0, sizeof *p);
}

int
sp_jmembers_find(const struct sp_jmembers *m, const char *s, size_t n, unsigned h)
{
	int i;

	if (!m->complete)
		return -1;
	for (i = 0; i < m->n; i++) {
		if (m->esc[i]) {
			if (sp_jstr_eq(&m->k[i], s))
				return i;
		} else if (m->name[i].h == h && m->k[i].len == n + 2 &&
		    memcmp(m->k[i].p + 1, s, n) == 0) {
			return i;
		}
	}
	return -1;
}
