/* encode.c: feature hashing and JSON text for sp-encode. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "encode.h"
#include "utf8.h"

static uint32_t
rotl32(uint32_t x, int r)
{
	return x << r | x >> (32 - r);
}

uint32_t
sp_murmur3_32(const void *key, size_t len, uint32_t seed)
{
	const unsigned char *p = key;
	const uint32_t c1 = 0xcc9e2d51, c2 = 0x1b873593;
	uint32_t h = seed, k;
	size_t i, nblocks = len / 4;

	for (i = 0; i < nblocks; i++) {
		k = (uint32_t)p[4 * i] | (uint32_t)p[4 * i + 1] << 8 |
		    (uint32_t)p[4 * i + 2] << 16 | (uint32_t)p[4 * i + 3] << 24;
		k *= c1;
		k = rotl32(k, 15);
		k *= c2;
		h ^= k;
		h = rotl32(h, 13);
		h = h * 5 + 0xe6546b64;
	}
	p += nblocks * 4;
	k = 0;
	switch (len & 3) {
	case 3: k ^= (uint32_t)p[2] << 16; /* FALLTHROUGH */
	case 2: k ^= (uint32_t)p[1] << 8; /* FALLTHROUGH */
	case 1: k ^= p[0];
		k *= c1;
		k = rotl32(k, 15);
		k *= c2;
		h ^= k;
	}
	/* The length is mixed in modulo 2^32, as the reference code's int does. */
	h ^= (uint32_t)len;
	h ^= h >> 16;
	h *= 0x85ebca6b;
	h ^= h >> 13;
	h *= 0xc2b2ae35;
	h ^= h >> 16;
	return h;
}

uint32_t
sp_hash_bucket(const char *s, size_t len, uint32_t dim, int *negative)
{
	uint32_t h = sp_murmur3_32(s, len, 0);
	/* |h| of the signed reading, computed without overflow for -2^31. */
	uint64_t mag = (h & 0x80000000u) ? (uint64_t)(~h) + 1 : h;

	*negative = (h & 0x80000000u) != 0;
	return (uint32_t)(mag % dim);
}

char *
sp_num_text(double x, char *buf)
{
	static const char *const fmts[] = { "%.15g", "%.16g", "%.17g" };
	int i;

	for (i = 0; i < 3; i++) {
		snprintf(buf, 32, fmts[i], x);
		if (strtod(buf, NULL) == x)
			break;
	}
	return buf;
}

void
sp_buf_add_jv(struct sp_buf *b, jv v)
{
	char num[32];
	jv keys, k;
	int i, n;

	switch (jv_get_kind(v)) {
	case JV_KIND_NULL:
	case JV_KIND_INVALID:
		sp_buf_add(b, "null", 4);
		break;
	case JV_KIND_FALSE:
		sp_buf_add(b, "false", 5);
		break;
	case JV_KIND_TRUE:
		sp_buf_add(b, "true", 4);
		break;
	case JV_KIND_NUMBER:
		if (isfinite(jv_number_value(v)))
			sp_buf_adds(b, sp_num_text(jv_number_value(v), num));
		else
			sp_buf_add(b, "null", 4);
		break;
	case JV_KIND_STRING:
		sp_buf_json_str(b, jv_string_value(v),
		    (size_t)jv_string_length_bytes(jv_copy(v)));
		break;
	case JV_KIND_ARRAY:
		sp_buf_addc(b, '[');
		n = jv_array_length(jv_copy(v));
		for (i = 0; i < n; i++) {
			jv e = jv_array_get(jv_copy(v), i);

			if (i > 0)
				sp_buf_addc(b, ',');
			sp_buf_add_jv(b, e);
			jv_free(e);
		}
		sp_buf_addc(b, ']');
		break;
	case JV_KIND_OBJECT:
		sp_buf_addc(b, '{');
		keys = jv_keys(jv_copy(v));
		n = jv_array_length(jv_copy(keys));
		for (i = 0; i < n; i++) {
			jv e;

			k = jv_array_get(jv_copy(keys), i);
			if (i > 0)
				sp_buf_addc(b, ',');
			sp_buf_add_jv(b, k);
			sp_buf_addc(b, ':');
			e = jv_object_get(jv_copy(v), k);
			sp_buf_add_jv(b, e);
			jv_free(e);
		}
		jv_free(keys);
		sp_buf_addc(b, '}');
		break;
	}
}

/* ---- the row scanner ---- */

struct cur {
	const unsigned char *p, *end;
};

/* Nesting deeper than this in a skipped member sends the line to jq. */
#define SCAN_DEPTH_MAX 64

static void
skip_ws(struct cur *c)
{
	while (c->p < c->end && (*c->p == ' ' || *c->p == '\t' || *c->p == '\n' || *c->p == '\r'))
		c->p++;
}

static int
expect(struct cur *c, unsigned char ch)
{
	skip_ws(c);
	if (c->p >= c->end || *c->p != ch)
		return -1;
	c->p++;
	skip_ws(c);
	return 0;
}

/* A string without escapes, after its opening quote. */
static int
scan_plain_string(struct cur *c, const char **s, size_t *len)
{
	const unsigned char *b = c->p;
	int k;

	while (c->p < c->end) {
		unsigned char ch = *c->p;

		if (ch == '"') {
			*s = (const char *)b;
			*len = (size_t)(c->p - b);
			c->p++;
			return 0;
		}
		if (ch == '\\' || ch < 0x20)
			return -1;
		if (ch < 0x80) {
			c->p++;
		} else {
			if ((k = sp_utf8_len(c->p, (size_t)(c->end - c->p))) <= 0)
				return -1;
			c->p += k;
		}
	}
	return -1;
}

static int
hexdigit(unsigned char ch)
{
	return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f') || (ch >= 'A' && ch <= 'F');
}

/* Any string, escapes included, after its opening quote; value unused. */
static int
skip_string(struct cur *c)
{
	int i, k, u;

	while (c->p < c->end) {
		unsigned char ch = *c->p;

		if (ch == '"') {
			c->p++;
			return 0;
		}
		if (ch < 0x20)
			return -1;
		if (ch == '\\') {
			if (c->end - c->p < 2)
				return -1;
			ch = c->p[1];
			if (ch == 'u') {
				if (c->end - c->p < 6)
					return -1;
				for (i = 2, u = 0; i < 6; i++) {
					if (!hexdigit(c->p[i]))
						return -1;
					u = u << 4 | (c->p[i] <= '9' ? c->p[i] - '0' : (c->p[i] | 0x20) - 'a' + 10);
				}
				/* Surrogates: leave their treatment to jq. */
				if (u >= 0xd800 && u <= 0xdfff)
					return -1;
				c->p += 6;
			} else if (strchr("\"\\/bfnrt", ch) != NULL && ch != '\0') {
				c->p += 2;
			} else {
				return -1;
			}
		} else if (ch < 0x80) {
			c->p++;
		} else {
			if ((k = sp_utf8_len(c->p, (size_t)(c->end - c->p))) <= 0)
				return -1;
			c->p += k;
		}
	}
	return -1;
}

/* A number in strict JSON grammar; its value in *out when out is set. */
static int
scan_number(struct cur *c, double *out)
{
	const unsigned char *b = c->p;
	char *endp;

	if (c->p < c->end && *c->p == '-')
		c->p++;
	if (c->p >= c->end)
		return -1;
	if (*c->p == '0') {
		c->p++;
	} else if (*c->p >= '1' && *c->p <= '9') {
		while (c->p < c->end && *c->p >= '0' && *c->p <= '9')
			c->p++;
	} else {
		return -1;
	}
	if (c->p < c->end && *c->p == '.') {
		c->p++;
		if (c->p >= c->end || *c->p < '0' || *c->p > '9')
			return -1;
		while (c->p < c->end && *c->p >= '0' && *c->p <= '9')
			c->p++;
	}
	if (c->p < c->end && (*c->p == 'e' || *c->p == 'E')) {
		c->p++;
		if (c->p < c->end && (*c->p == '+' || *c->p == '-'))
			c->p++;
		if (c->p >= c->end || *c->p < '0' || *c->p > '9')
			return -1;
		while (c->p < c->end && *c->p >= '0' && *c->p <= '9')
			c->p++;
	}
	if (out != NULL) {
		/* A NUL-terminated copy: the line need not be; long ones go to jq. */
		char tmp[64];
		size_t n = (size_t)(c->p - b);

		if (n >= sizeof tmp)
			return -1;
		memcpy(tmp, b, n);
		tmp[n] = '\0';
		*out = strtod(tmp, &endp);
		if (endp != tmp + n)
			return -1;
	}
	return 0;
}

static int
scan_literal(struct cur *c, enum sp_vkind *kind)
{
	size_t n = (size_t)(c->end - c->p);

	if (n >= 4 && memcmp(c->p, "null", 4) == 0)
		*kind = SP_V_NULL, c->p += 4;
	else if (n >= 4 && memcmp(c->p, "true", 4) == 0)
		*kind = SP_V_TRUE, c->p += 4;
	else if (n >= 5 && memcmp(c->p, "false", 5) == 0)
		*kind = SP_V_FALSE, c->p += 5;
	else
		return -1;
	return 0;
}

static int
skip_value(struct cur *c, int depth)
{
	enum sp_vkind k;

	if (c->p >= c->end)
		return -1;
	switch (*c->p) {
	case '"':
		c->p++;
		return skip_string(c);
	case '[':
	case '{': {
		unsigned char close = *c->p == '[' ? ']' : '}';
		int obj = close == '}';

		if (depth >= SCAN_DEPTH_MAX)
			return -1;
		c->p++;
		skip_ws(c);
		if (c->p < c->end && *c->p == close) {
			c->p++;
			return 0;
		}
		for (;;) {
			if (obj) {
				if (c->p >= c->end || *c->p != '"')
					return -1;
				c->p++;
				if (skip_string(c) != 0 || expect(c, ':') != 0)
					return -1;
			}
			if (skip_value(c, depth + 1) != 0)
				return -1;
			skip_ws(c);
			if (c->p < c->end && *c->p == ',') {
				c->p++;
				skip_ws(c);
				continue;
			}
			if (c->p < c->end && *c->p == close) {
				c->p++;
				return 0;
			}
			return -1;
		}
	}
	case 't': case 'f': case 'n':
		return scan_literal(c, &k);
	default:
		return scan_number(c, NULL);
	}
}

static size_t
pool_push(struct sp_scan *sc)
{
	if (sc->npool == sc->cappool) {
		sc->cappool = sc->cappool ? sc->cappool * 2 : 64;
		sc->pool = sp_xreallocarray(sc->pool, sc->cappool, sizeof *sc->pool);
	}
	memset(&sc->pool[sc->npool], 0, sizeof sc->pool[0]);
	return sc->npool++;
}

/* A scalar of the fast subset into *v. */
static int
scan_scalar(struct cur *c, struct sp_sval *v)
{
	memset(v, 0, sizeof *v);
	if (c->p >= c->end)
		return -1;
	switch (*c->p) {
	case '"':
		c->p++;
		v->kind = SP_V_STR;
		return scan_plain_string(c, &v->s, &v->len);
	case 't': case 'f': case 'n':
		return scan_literal(c, &v->kind);
	case '[': case '{':
		return -1;
	default:
		v->kind = SP_V_NUM;
		return scan_number(c, &v->num);
	}
}

static int
scan_wanted(struct sp_scan *sc, struct cur *c, struct sp_sval *v)
{
	struct sp_sval e;
	size_t k;

	if (c->p >= c->end || *c->p != '[')
		return scan_scalar(c, v);
	memset(v, 0, sizeof *v);
	v->kind = SP_V_ARR;
	v->first = sc->npool;
	c->p++;
	skip_ws(c);
	if (c->p < c->end && *c->p == ']') {
		c->p++;
		return 0;
	}
	for (;;) {
		if (scan_scalar(c, &e) != 0)
			return -1;
		k = pool_push(sc);
		sc->pool[k] = e;
		v->n++;
		skip_ws(c);
		if (c->p < c->end && *c->p == ',') {
			c->p++;
			skip_ws(c);
			continue;
		}
		if (c->p < c->end && *c->p == ']') {
			c->p++;
			return 0;
		}
		return -1;
	}
}

int
sp_scan_line(struct sp_scan *sc, const char *line, size_t len)
{
	struct cur c = { (const unsigned char *)line, (const unsigned char *)line + len };
	const char *key;
	size_t klen, i;

	for (i = 0; i < sc->nfields; i++)
		memset(&sc->vals[i], 0, sizeof sc->vals[i]);
	sc->npool = 0;
	skip_ws(&c);
	if (expect(&c, '{') != 0)
		return -1;
	if (c.p < c.end && *c.p == '}') {
		c.p++;
	} else {
		for (;;) {
			if (c.p >= c.end || *c.p != '"')
				return -1;
			c.p++;
			if (scan_plain_string(&c, &key, &klen) != 0 || expect(&c, ':') != 0)
				return -1;
			for (i = 0; i < sc->nfields; i++)
				if (sc->flen[i] == klen && memcmp(sc->fields[i], key, klen) == 0)
					break;
			if (i < sc->nfields) {
				if (scan_wanted(sc, &c, &sc->vals[i]) != 0)
					return -1;
			} else if (skip_value(&c, 1) != 0) {
				return -1;
			}
			skip_ws(&c);
			if (c.p < c.end && *c.p == ',') {
				c.p++;
				skip_ws(&c);
				continue;
			}
			if (c.p < c.end && *c.p == '}') {
				c.p++;
				break;
			}
			return -1;
		}
	}
	skip_ws(&c);
	return c.p == c.end ? 0 : -1;
}

/* One jv into *v; depth 1 is an array element. */
static void
from_jv(struct sp_scan *sc, jv x, size_t vi, int in_pool, int depth)
{
	struct sp_sval v;
	int i, n;

	memset(&v, 0, sizeof v);
	switch (jv_get_kind(x)) {
	case JV_KIND_NULL:
	case JV_KIND_INVALID:
		v.kind = SP_V_NULL;
		break;
	case JV_KIND_FALSE:
		v.kind = SP_V_FALSE;
		break;
	case JV_KIND_TRUE:
		v.kind = SP_V_TRUE;
		break;
	case JV_KIND_NUMBER:
		v.kind = SP_V_NUM;
		v.num = jv_number_value(x);
		break;
	case JV_KIND_STRING:
		v.kind = SP_V_STR;
		v.s = jv_string_value(x);
		v.len = (size_t)jv_string_length_bytes(jv_copy(x));
		break;
	case JV_KIND_ARRAY:
		if (depth > 0) {
			v.kind = SP_V_OTHER;
			break;
		}
		n = jv_array_length(jv_copy(x));
		v.kind = SP_V_ARR;
		v.first = sc->npool;
		v.n = (size_t)n;
		/* Reserve the elements first: they are contiguous in the pool. */
		for (i = 0; i < n; i++)
			pool_push(sc);
		for (i = 0; i < n; i++) {
			/* The array keeps the element, and so its string, alive. */
			jv e = jv_array_get(jv_copy(x), i);

			from_jv(sc, e, v.first + (size_t)i, 1, depth + 1);
			jv_free(e);
		}
		break;
	case JV_KIND_OBJECT:
		v.kind = SP_V_OTHER;
		break;
	}
	if (in_pool)
		sc->pool[vi] = v;
	else
		sc->vals[vi] = v;
}

void
sp_scan_jv(struct sp_scan *sc, jv row, jv *jvals)
{
	size_t i;

	sc->npool = 0;
	for (i = 0; i < sc->nfields; i++) {
		jvals[i] = jv_object_get(jv_copy(row), jv_string_sized(sc->fields[i], (int)sc->flen[i]));
		from_jv(sc, jvals[i], i, 0, 0);
	}
}

void
sp_buf_add_sval(struct sp_buf *b, const struct sp_scan *sc, const struct sp_sval *v)
{
	char num[32];
	size_t i;

	switch (v->kind) {
	case SP_V_FALSE:
		sp_buf_add(b, "false", 5);
		break;
	case SP_V_TRUE:
		sp_buf_add(b, "true", 4);
		break;
	case SP_V_NUM:
		if (isfinite(v->num))
			sp_buf_adds(b, sp_num_text(v->num, num));
		else
			sp_buf_add(b, "null", 4);
		break;
	case SP_V_STR:
		/* Most strings need no escaping: copy those in one piece. */
		for (i = 0; i < v->len; i++) {
			unsigned char ch = (unsigned char)v->s[i];

			if (ch < 0x20 || ch == '"' || ch == '\\')
				break;
		}
		if (i < v->len) {
			sp_buf_json_str(b, v->s, v->len);
		} else {
			sp_buf_grow(b, v->len + 2);
			b->data[b->len++] = '"';
			memcpy(b->data + b->len, v->s, v->len);
			b->len += v->len;
			b->data[b->len++] = '"';
			b->data[b->len] = '\0';
		}
		break;
	case SP_V_ARR:
		sp_buf_addc(b, '[');
		for (i = 0; i < v->n; i++) {
			if (i > 0)
				sp_buf_addc(b, ',');
			sp_buf_add_sval(b, sc, &sc->pool[v->first + i]);
		}
		sp_buf_addc(b, ']');
		break;
	case SP_V_NULL:
	case SP_V_OTHER:
		sp_buf_add(b, "null", 4);
		break;
	}
}

void
sp_scan_free(struct sp_scan *sc)
{
	free(sc->pool);
	sc->pool = NULL;
	sc->npool = sc->cappool = 0;
}
