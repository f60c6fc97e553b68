/* encode.c: feature hashing and JSON text for sp-encode. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "encode.h"
#include "ndjson.h"

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

/* ---- the row scanner: jscan's pieces, strict ---- */

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

/* A string without escapes at p (its quote): its bytes into *v. */
static const char *
scan_plain_string(const char *p, const char *end, struct sp_sval *v)
{
	const char *q;
	int esc;

	if ((q = sp_jscan_string(p, end, SP_JSCAN_STRICT, &esc)) == NULL || esc)
		return NULL;
	v->kind = SP_JSON_STRING;
	v->s = p + 1;
	v->len = (size_t)(q - p - 2);
	return q;
}

/* A scalar of the fast subset at p into *v; returns the end or NULL. */
static const char *
scan_scalar(const char *p, const char *end, struct sp_sval *v)
{
	memset(v, 0, sizeof *v);
	if (p >= end)
		return NULL;
	switch (*p) {
	case '"':
		return scan_plain_string(p, end, v);
	case 't': case 'f': case 'n':
		return sp_jscan_value(p, end, 1, SP_JSCAN_STRICT, &v->kind);
	case '[': case '{':
		return NULL;
	default:
		v->kind = SP_JSON_NUMBER;
		return sp_jscan_number(p, end, &v->num);
	}
}

/* A wanted member's value at p: a scalar, or an array of them. */
static const char *
scan_wanted(struct sp_scan *sc, const char *p, const char *end, struct sp_sval *v)
{
	if (p >= end || *p != '[')
		return scan_scalar(p, end, v);
	memset(v, 0, sizeof *v);
	v->kind = SP_JSON_ARRAY;
	v->first = sc->npool;
	p = sp_jscan_ws(p + 1, end);
	if (p < end && *p == ']')
		return p + 1;
	for (;;) {
		struct sp_sval e;
		size_t k;

		if ((p = scan_scalar(p, end, &e)) == NULL)
			return NULL;
		k = pool_push(sc);	/* may move the pool */
		sc->pool[k] = e;
		v->n++;
		p = sp_jscan_ws(p, end);
		if (p < end && *p == ',') {
			p = sp_jscan_ws(p + 1, end);
			continue;
		}
		return p < end && *p == ']' ? p + 1 : NULL;
	}
}

/* The index of the wanted field named key[0, klen), or nfields. */
static size_t
field_of(const struct sp_scan *sc, const char *key, size_t klen)
{
	size_t i;

	for (i = 0; i < sc->nfields; i++)
		if (sc->flen[i] == klen && memcmp(sc->fields[i], key, klen) == 0)
			break;
	return i;
}

/* One member at p (its key's quote); returns the end of its value or NULL. */
static const char *
scan_member(struct sp_scan *sc, const char *p, const char *end)
{
	struct sp_sval key;
	size_t i;
	int type;

	if (p >= end || *p != '"' || (p = scan_plain_string(p, end, &key)) == NULL)
		return NULL;
	p = sp_jscan_ws(p, end);
	if (p >= end || *p != ':')
		return NULL;
	p = sp_jscan_ws(p + 1, end);
	if ((i = field_of(sc, key.s, key.len)) < sc->nfields)
		return scan_wanted(sc, p, end, &sc->vals[i]);
	return sp_jscan_value(p, end, 1, SP_JSCAN_STRICT, &type);
}

int
sp_scan_line(struct sp_scan *sc, const char *line, size_t len)
{
	const char *p, *end = line + len;
	size_t i;

	for (i = 0; i < sc->nfields; i++) {
		memset(&sc->vals[i], 0, sizeof sc->vals[i]);
		sc->vals[i].kind = SP_JSON_NULL;
	}
	sc->npool = 0;
	p = sp_jscan_ws(line, end);
	if (p >= end || *p != '{')
		return -1;
	p = sp_jscan_ws(p + 1, end);
	if (p < end && *p == '}') {
		p++;
	} else {
		for (;;) {
			if ((p = scan_member(sc, p, end)) == NULL)
				return -1;
			p = sp_jscan_ws(p, end);
			if (p < end && *p == ',') {
				p = sp_jscan_ws(p + 1, end);
				continue;
			}
			if (p < end && *p == '}') {
				p++;
				break;
			}
			return -1;
		}
	}
	return sp_jscan_ws(p, end) == end ? 0 : -1;
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
		v.kind = SP_JSON_NULL;
		break;
	case JV_KIND_FALSE:
		v.kind = SP_JSON_FALSE;
		break;
	case JV_KIND_TRUE:
		v.kind = SP_JSON_TRUE;
		break;
	case JV_KIND_NUMBER:
		v.kind = SP_JSON_NUMBER;
		v.num = jv_number_value(x);
		break;
	case JV_KIND_STRING:
		v.kind = SP_JSON_STRING;
		v.s = jv_string_value(x);
		v.len = (size_t)jv_string_length_bytes(jv_copy(x));
		break;
	case JV_KIND_ARRAY:
		if (depth > 0) {
			v.kind = SP_SVAL_OTHER;
			break;
		}
		n = jv_array_length(jv_copy(x));
		v.kind = SP_JSON_ARRAY;
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
		v.kind = SP_SVAL_OTHER;
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
	case SP_JSON_FALSE:
		sp_buf_add(b, "false", 5);
		break;
	case SP_JSON_TRUE:
		sp_buf_add(b, "true", 4);
		break;
	case SP_JSON_NUMBER:
		if (isfinite(v->num))
			sp_buf_adds(b, sp_num_text(v->num, num));
		else
			sp_buf_add(b, "null", 4);
		break;
	case SP_JSON_STRING:
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
	case SP_JSON_ARRAY:
		sp_buf_addc(b, '[');
		for (i = 0; i < v->n; i++) {
			if (i > 0)
				sp_buf_addc(b, ',');
			sp_buf_add_sval(b, sc, &sc->pool[v->first + i]);
		}
		sp_buf_addc(b, ']');
		break;
	default:	/* SP_JSON_NULL, SP_SVAL_OTHER */
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
