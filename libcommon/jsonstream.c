/* jsonstream.c: a streaming reader of one JSON array, validating each element. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "jsonstream.h"
#include "utf8.h"

/* Bytes asked of the source at a time, and the buffer's first size. */
#define CHUNK ((size_t)256 << 10)
/* Nesting deeper than this inside one element is refused, not recursed into. */
#define DEPTH_MAX 64

enum { ST_INIT, ST_FIRST, ST_COMMA, ST_NEXT, ST_TRAIL, ST_DONE, ST_ERROR };
enum { S_OK, S_NEED, S_ERR };

/* Character classes for the scanner's inner loops. */
static unsigned char is_ws[256], is_plain[256], is_digit[256], is_hex[256];

static void
init_tables(void)
{
	static int done;
	int c;

	if (done)
		return;
	done = 1;
	is_ws[' '] = is_ws['\t'] = is_ws['\n'] = is_ws['\r'] = 1;
	for (c = 0x20; c < 0x80; c++)
		is_plain[c] = c != '"' && c != '\\';
	for (c = '0'; c <= '9'; c++)
		is_digit[c] = is_hex[c] = 1;
	for (c = 'a'; c <= 'f'; c++)
		is_hex[c] = is_hex[c - 'a' + 'A'] = 1;
}

/* The scanner's position over buf[start, end) and what it found wrong. */
struct scan {
	const unsigned char *p, *e;
	long nl;		/* newlines passed, all of them in white space */
	const unsigned char *err_at;
	const char *err_msg;
	struct sp_jstream *js;	/* members are recorded at depth 0 */
};

static int
fail(struct scan *s, const unsigned char *at, const char *msg)
{
	s->err_at = at;
	s->err_msg = msg;
	return S_ERR;
}

static int
skip_ws(struct scan *s)
{
	const unsigned char *p = s->p, *e = s->e;

	while (p < e && is_ws[*p]) {
		if (*p == '\n')
			s->nl++;
		p++;
	}
	s->p = p;
	return p < e ? S_OK : S_NEED;
}

/* A string at s->p (its opening quote); *esc says whether it has escapes. */
static int
scan_string(struct scan *s, int *esc)
{
	const unsigned char *p = s->p + 1, *e = s->e;
	int k, i;

	*esc = 0;
	for (;;) {
		while (p < e && is_plain[*p])
			p++;
		if (p >= e)
			return S_NEED;
		if (*p == '"') {
			s->p = p + 1;
			return S_OK;
		}
		if (*p == '\\') {
			*esc = 1;
			if (p + 1 >= e)
				return S_NEED;
			switch (p[1]) {
			case '"': case '\\': case '/': case 'b': case 'f':
			case 'n': case 'r': case 't':
				p += 2;
				break;
			case 'u':
				for (i = 2; i < 6; i++) {
					if (p + i >= e)
						return S_NEED;
					if (!is_hex[p[i]])
						return fail(s, p, "invalid \\u escape in a string");
				}
				p += 6;
				break;
			default:
				return fail(s, p, "invalid escape in a string");
			}
		} else if (*p < 0x20) {
			return fail(s, p, "control character in a string");
		} else {
			if ((k = sp_utf8_len(p, (size_t)(e - p))) < 0)
				return S_NEED;
			if (k == 0)
				return fail(s, p, "invalid UTF-8 in a string");
			p += k;
		}
	}
}

static int
scan_number(struct scan *s)
{
	const unsigned char *p = s->p, *e = s->e, *d;

	if (*p == '-')
		p++;
	if (p >= e)
		return S_NEED;
	if (*p == '0') {
		p++;
	} else if (is_digit[*p]) {
		while (p < e && is_digit[*p])
			p++;
	} else {
		return fail(s, s->p, "invalid number");
	}
	if (p < e && *p == '.') {
		d = ++p;
		while (p < e && is_digit[*p])
			p++;
		if (p < e && p == d)
			return fail(s, s->p, "invalid number");
	}
	if (p < e && (*p == 'e' || *p == 'E')) {
		p++;
		if (p < e && (*p == '+' || *p == '-'))
			p++;
		d = p;
		while (p < e && is_digit[*p])
			p++;
		if (p < e && p == d)
			return fail(s, s->p, "invalid number");
	}
	/* A number is only known to be complete once a byte follows it. */
	if (p >= e)
		return S_NEED;
	s->p = p;
	return S_OK;
}

static int
scan_word(struct scan *s, const char *w, size_t n)
{
	size_t avail = (size_t)(s->e - s->p);

	if (memcmp(s->p, w, n < avail ? n : avail) != 0)
		return fail(s, s->p, "invalid literal");
	if (avail < n)
		return S_NEED;
	s->p += n;
	return S_OK;
}

static int scan_value(struct scan *s, int depth, int *type, int *esc);

static void
add_member(struct sp_jstream *js, const unsigned char *key, size_t key_len,
    int key_esc, const unsigned char *val, size_t val_len, int type, int val_esc)
{
	struct sp_jmember *m;

	if (js->nmembers == js->members_cap) {
		js->members_cap = js->members_cap ? js->members_cap * 2 : 32;
		js->members = sp_xreallocarray(js->members, js->members_cap, sizeof *m);
	}
	m = &js->members[js->nmembers++];
	/* Escaped keys are decoded once the element is complete (fix_keys). */
	m->key = (const char *)key;
	m->key_len = key_len;
	m->key_esc = key_esc;
	m->val = (const char *)val;
	m->val_len = val_len;
	m->type = type;
	m->val_esc = val_esc;
}

static int
scan_object(struct scan *s, int depth)
{
	const unsigned char *key, *val;
	int r, type, key_esc, val_esc;
	size_t key_len;

	s->p++;
	if ((r = skip_ws(s)) != S_OK)
		return r;
	if (*s->p == '}') {
		s->p++;
		return S_OK;
	}
	for (;;) {
		if (*s->p != '"')
			return fail(s, s->p, "expected a string key");
		key = s->p + 1;
		if ((r = scan_string(s, &key_esc)) != S_OK)
			return r;
		key_len = (size_t)(s->p - key) - 1;
		if ((r = skip_ws(s)) != S_OK)
			return r;
		if (*s->p != ':')
			return fail(s, s->p, "expected ':' after a key");
		s->p++;
		if ((r = skip_ws(s)) != S_OK)
			return r;
		val = s->p;
		if ((r = scan_value(s, depth + 1, &type, &val_esc)) != S_OK)
			return r;
		if (depth == 0 && s->js != NULL)
			add_member(s->js, key, key_len, key_esc, val,
			    (size_t)(s->p - val), type, val_esc);
		if ((r = skip_ws(s)) != S_OK)
			return r;
		if (*s->p == '}') {
			s->p++;
			return S_OK;
		}
		if (*s->p != ',')
			return fail(s, s->p, "expected ',' or '}' in an object");
		s->p++;
		if ((r = skip_ws(s)) != S_OK)
			return r;
	}
}

static int
scan_array(struct scan *s, int depth)
{
	int r, type, esc;

	s->p++;
	if ((r = skip_ws(s)) != S_OK)
		return r;
	if (*s->p == ']') {
		s->p++;
		return S_OK;
	}
	for (;;) {
		if ((r = scan_value(s, depth + 1, &type, &esc)) != S_OK)
			return r;
		if ((r = skip_ws(s)) != S_OK)
			return r;
		if (*s->p == ']') {
			s->p++;
			return S_OK;
		}
		if (*s->p != ',')
			return fail(s, s->p, "expected ',' or ']' in an array");
		s->p++;
		if ((r = skip_ws(s)) != S_OK)
			return r;
	}
}

/* The type a value starting with byte c has, or 0. */
static int
type_of(int c)
{
	switch (c) {
	case '{': return SP_JSON_OBJECT;
	case '[': return SP_JSON_ARRAY;
	case '"': return SP_JSON_STRING;
	case 't': return SP_JSON_TRUE;
	case 'f': return SP_JSON_FALSE;
	case 'n': return SP_JSON_NULL;
	default: return c == '-' || (c >= '0' && c <= '9') ? SP_JSON_NUMBER : 0;
	}
}

/* A value at s->p (not white space; s->p < s->e). */
static int
scan_value(struct scan *s, int depth, int *type, int *esc)
{
	*esc = 0;
	*type = type_of(*s->p);
	if (depth > DEPTH_MAX)
		return fail(s, s->p, "nested too deeply");
	switch (*type) {
	case SP_JSON_OBJECT: return scan_object(s, depth);
	case SP_JSON_ARRAY: return scan_array(s, depth);
	case SP_JSON_STRING: return scan_string(s, esc);
	case SP_JSON_TRUE: return scan_word(s, "true", 4);
	case SP_JSON_FALSE: return scan_word(s, "false", 5);
	case SP_JSON_NULL: return scan_word(s, "null", 4);
	case SP_JSON_NUMBER: return scan_number(s);
	}
	return fail(s, s->p, "expected a JSON value");
}

/* ---- the stream ---- */

void
sp_jstream_init(struct sp_jstream *js, sp_read_fn fn, void *ctx,
    const char *name, size_t elem_max)
{
	init_tables();
	memset(js, 0, sizeof *js);
	js->read = fn;
	js->ctx = ctx;
	js->name = sp_xstrdup(name);
	js->elem_max = elem_max ? elem_max : SP_JSTREAM_ELEM_MAX_DEFAULT;
	js->index = -1;
	js->line = 1;
	js->state = ST_INIT;
	js->cap = CHUNK;
	js->buf = sp_xmalloc(js->cap);
}

void
sp_jstream_free(struct sp_jstream *js)
{
	free(js->name);
	free(js->buf);
	free(js->members);
	sp_buf_free(&js->keys);
	memset(js, 0, sizeof *js);
}

/* Newlines in [from, to). */
static long
count_nl(const char *from, const char *to)
{
	long n = 0;

	while (from < to && (from = memchr(from, '\n', (size_t)(to - from))) != NULL) {
		n++;
		from++;
	}
	return n;
}

/*
 * Formats js->err for position at (a pointer into buf[start, end]); index
 * < 0 leaves out the element.  Returns -1 and puts the stream in error.
 */
static int
verror(struct sp_jstream *js, const char *at, long index, const char *fmt, va_list ap)
{
	char msg[384], where[32] = "";
	long line = js->line + count_nl(js->buf + js->start, at);
	unsigned long long off = (unsigned long long)(js->base + (uint64_t)(at - js->buf));

	vsnprintf(msg, sizeof msg, fmt, ap);
	if (index >= 0)
		snprintf(where, sizeof where, ".[%ld]: ", index);
	snprintf(js->err, sizeof js->err, "%s:%ld: %s%s (byte %llu)", js->name, line,
	    where, msg, off);
	js->state = ST_ERROR;
	return -1;
}

static int
error_at(struct sp_jstream *js, const char *at, long index, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int
error_at(struct sp_jstream *js, const char *at, long index, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = verror(js, at, index, fmt, ap);
	va_end(ap);
	return r;
}

int
sp_jstream_error(struct sp_jstream *js, const char *at, const char *fmt, ...)
{
	va_list ap;
	char msg[384], where[32] = "";
	long line = js->elem_line;
	uint64_t off = js->elem_offset;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (at != NULL && js->elem != NULL && at >= js->elem && at <= js->elem + js->elem_len) {
		line += count_nl(js->elem, at);
		off += (uint64_t)(at - js->elem);
	}
	if (js->index >= 0)
		snprintf(where, sizeof where, ".[%ld]: ", js->index);
	snprintf(js->err, sizeof js->err, "%s:%ld: %s%s (byte %llu)", js->name, line,
	    where, msg, (unsigned long long)off);
	return -1;
}

/*
 * Reads more input after buf[end], first moving the unconsumed bytes to
 * the front and growing the buffer if it is full.  Returns 1 if bytes
 * came, 0 at the end of input, -1 on a read error.
 */
static int
refill(struct sp_jstream *js)
{
	ssize_t n;

	if (js->eof)
		return 0;
	if (js->start > 0 && (js->start >= js->cap / 2 || js->end == js->cap)) {
		memmove(js->buf, js->buf + js->start, js->end - js->start);
		js->base += js->start;
		js->end -= js->start;
		js->start = 0;
	}
	if (js->end == js->cap) {
		js->cap *= 2;
		if (js->cap > js->elem_max + CHUNK)
			js->cap = js->elem_max + CHUNK;
		js->buf = sp_xrealloc(js->buf, js->cap);
	}
	/* Callers check elem_max first, so there is always room here. */
	if (js->end == js->cap) {
		snprintf(js->err, sizeof js->err, "%s: internal error: no room to read",
		    js->name);
		js->state = ST_ERROR;
		return -1;
	}
	n = js->read(js->ctx, js->buf + js->end, js->cap - js->end);
	if (n < 0) {
		js->err_io = 1;
		js->err[0] = '\0';
		js->state = ST_ERROR;
		return -1;
	}
	if (n == 0) {
		js->eof = 1;
		return 0;
	}
	js->end += (size_t)n;
	return 1;
}

/* Moves start to p, counting the newlines passed. */
static void
consume(struct sp_jstream *js, const char *p, long nl)
{
	js->start = (size_t)(p - js->buf);
	js->line += nl;
}

int
sp_jstream_begin(struct sp_jstream *js)
{
	struct scan s;
	int r, type;

	if (js->state != ST_INIT)
		return js->state == ST_ERROR ? -1 : SP_JSON_ARRAY;
	for (;;) {
		memset(&s, 0, sizeof s);
		s.p = (const unsigned char *)js->buf + js->start;
		s.e = (const unsigned char *)js->buf + js->end;
		/* A UTF-8 byte order mark, which some editors write, is skipped. */
		if (js->base == 0 && js->start == 0 && js->end < 3 && !js->eof &&
		    memcmp(js->buf, "\xef\xbb\xbf", js->end) == 0) {
			if ((r = refill(js)) < 0)
				return -1;
			continue;
		}
		if (js->base == 0 && js->start == 0 && js->end >= 3 &&
		    memcmp(js->buf, "\xef\xbb\xbf", 3) == 0)
			s.p += 3;
		r = skip_ws(&s);
		consume(js, (const char *)s.p, s.nl);
		if (r == S_OK)
			break;
		if ((r = refill(js)) < 0)
			return -1;
		if (r == 0)
			return error_at(js, js->buf + js->end, -1,
			    js->base + js->end == 0 ? "empty input" :
			    "no JSON value, only white space");
	}
	type = type_of(js->buf[js->start]);
	if (type == 0)
		return error_at(js, js->buf + js->start, -1, "not JSON: unexpected byte 0x%02x",
		    (unsigned char)js->buf[js->start]);
	if (type == SP_JSON_ARRAY) {
		js->start++;
		js->state = ST_FIRST;
	}
	return type;
}

/* Decodes escaped keys of the current element into js->keys. */
static void
fix_keys(struct sp_jstream *js)
{
	size_t i, n = 0, *off;
	struct sp_jmember *m;

	for (i = 0; i < js->nmembers; i++)
		n += js->members[i].key_esc;
	if (n == 0)
		return;
	sp_buf_reset(&js->keys);
	off = sp_xreallocarray(NULL, js->nmembers, sizeof *off);
	/* Offsets first: the buffer may move while keys are appended. */
	for (i = 0; i < js->nmembers; i++) {
		m = &js->members[i];
		if (!m->key_esc)
			continue;
		off[i] = js->keys.len;
		sp_json_unescape(m->key - 1, m->key_len + 2, &js->keys);
		m->key_len = js->keys.len - off[i];
	}
	for (i = 0; i < js->nmembers; i++)
		if (js->members[i].key_esc)
			js->members[i].key = js->keys.data + off[i];
	free(off);
}

/* At the end of input before the array closed. */
static int
eof_error(struct sp_jstream *js)
{
	if (js->state == ST_TRAIL) {
		js->state = ST_DONE;
		return 0;
	}
	if (js->start < js->end)
		return error_at(js, js->buf + js->end, js->index + 1,
		    "unexpected end of input inside the element");
	return error_at(js, js->buf + js->end, -1,
	    "unexpected end of input: the array is not closed");
}

int
sp_jstream_next(struct sp_jstream *js)
{
	struct scan s;
	const unsigned char *v;
	int r, type, esc;

	if (js->state == ST_DONE)
		return 0;
	if (js->state == ST_ERROR)
		return -1;
	if (js->state == ST_INIT) {
		if ((r = sp_jstream_begin(js)) < 0)
			return -1;
		if (r != SP_JSON_ARRAY)
			return error_at(js, js->buf + js->start, -1,
			    "expected a JSON array, got %s", sp_json_kind_name(r));
	}
	js->elem = NULL;
	js->elem_len = 0;
	js->nmembers = 0;
	/*
	 * Each turn either returns, moves past a separator, or reads more
	 * input; an element cut by the end of the buffer is scanned again
	 * from its start once more bytes are in.
	 */
	for (;;) {
		memset(&s, 0, sizeof s);
		s.js = js;
		s.p = (const unsigned char *)js->buf + js->start;
		s.e = (const unsigned char *)js->buf + js->end;
		r = skip_ws(&s);
		consume(js, (const char *)s.p, s.nl);
		s.nl = 0;
		if (r == S_NEED)
			goto more;
		switch (js->state) {
		case ST_TRAIL:
			return error_at(js, (const char *)s.p, -1, "unexpected data after the array");
		case ST_NEXT:
			if (*s.p == ',') {
				consume(js, (const char *)s.p + 1, 0);
				js->state = ST_COMMA;
				continue;
			}
			if (*s.p == ']') {
				consume(js, (const char *)s.p + 1, 0);
				js->state = ST_TRAIL;
				continue;
			}
			return error_at(js, (const char *)s.p, js->index,
			    "expected ',' or ']' after the element");
		case ST_FIRST:
			if (*s.p == ']') {
				consume(js, (const char *)s.p + 1, 0);
				js->state = ST_TRAIL;
				continue;
			}
			break;
		}
		js->nmembers = 0;
		v = s.p;
		r = scan_value(&s, 0, &type, &esc);
		if (r == S_ERR)
			return error_at(js, (const char *)s.err_at, js->index + 1, "%s", s.err_msg);
		if (r == S_OK && (size_t)(s.p - v) > js->elem_max)
			return error_at(js, (const char *)v, js->index + 1,
			    "element longer than %zu bytes", js->elem_max);
		if (r == S_OK) {
			js->index++;
			js->elem = (const char *)v;
			js->elem_len = (size_t)(s.p - v);
			js->elem_type = type;
			js->elem_offset = js->base + js->start;
			js->elem_line = js->line;
			consume(js, (const char *)s.p, s.nl);
			js->state = ST_NEXT;
			if (type == SP_JSON_OBJECT)
				fix_keys(js);
			else
				js->nmembers = 0;
			return 1;
		}
		if (js->end - js->start >= js->elem_max)
			return error_at(js, (const char *)v, js->index + 1,
			    "element longer than %zu bytes", js->elem_max);
more:
		if ((r = refill(js)) < 0)
			return -1;
		if (r == 0)
			return eof_error(js);
	}
}

const struct sp_jmember *
sp_jstream_member(const struct sp_jstream *js, const char *key)
{
	size_t i, n = strlen(key);

	for (i = 0; i < js->nmembers; i++)
		if (js->members[i].key_len == n && memcmp(js->members[i].key, key, n) == 0)
			return &js->members[i];
	return NULL;
}

static void
put_utf8(struct sp_buf *out, unsigned int cp)
{
	char u[4];
	size_t n;

	if (cp < 0x80) {
		u[0] = (char)cp, n = 1;
	} else if (cp < 0x800) {
		u[0] = (char)(0xc0 | cp >> 6), u[1] = (char)(0x80 | (cp & 0x3f)), n = 2;
	} else if (cp < 0x10000) {
		u[0] = (char)(0xe0 | cp >> 12), u[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		u[2] = (char)(0x80 | (cp & 0x3f)), n = 3;
	} else {
		u[0] = (char)(0xf0 | cp >> 18), u[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
		u[2] = (char)(0x80 | ((cp >> 6) & 0x3f)), u[3] = (char)(0x80 | (cp & 0x3f));
		n = 4;
	}
	sp_buf_add(out, u, n);
}

static unsigned int
hex4(const char *p)
{
	unsigned int v = 0;
	int i;

	for (i = 0; i < 4; i++) {
		char c = p[i];

		v = v << 4 | (unsigned int)(c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
	}
	return v;
}

void
sp_json_unescape(const char *s, size_t n, struct sp_buf *out)
{
	const char *p = s + 1, *e = s + n - 1, *q;
	unsigned int cp, lo;

	sp_buf_grow(out, n);
	while (p < e) {
		for (q = p; q < e && *q != '\\'; q++)
			;
		sp_buf_add(out, p, (size_t)(q - p));
		if ((p = q) >= e)
			break;
		switch (p[1]) {
		case 'b': sp_buf_addc(out, '\b'); break;
		case 'f': sp_buf_addc(out, '\f'); break;
		case 'n': sp_buf_addc(out, '\n'); break;
		case 'r': sp_buf_addc(out, '\r'); break;
		case 't': sp_buf_addc(out, '\t'); break;
		case 'u':
			cp = hex4(p + 2);
			p += 4;
			if (cp >= 0xd800 && cp <= 0xdbff && e - p >= 8 && p[2] == '\\' &&
			    p[3] == 'u' && (lo = hex4(p + 4)) >= 0xdc00 && lo <= 0xdfff) {
				cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
				p += 6;
			} else if (cp >= 0xd800 && cp <= 0xdfff) {
				cp = 0xfffd;	/* a lone surrogate */
			}
			put_utf8(out, cp);
			break;
		default: sp_buf_addc(out, p[1]); break;
		}
		p += 2;
	}
}
