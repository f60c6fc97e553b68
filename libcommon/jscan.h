/* jscan.h: an allocation-free scanner over the text of one JSON value. */
#ifndef SP_JSCAN_H
#define SP_JSCAN_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "buf.h"

/*
 * For hot loops over many small JSON texts (a matrix's row labels) where
 * building jv values would dominate the run time.  A token points into the
 * caller's text; nothing is allocated and nothing is owned.
 */
enum {
	SP_JSON_NULL = 1, SP_JSON_FALSE, SP_JSON_TRUE, SP_JSON_NUMBER,
	SP_JSON_STRING, SP_JSON_ARRAY, SP_JSON_OBJECT
};

struct sp_jtok {
	int type;		/* SP_JSON_* */
	const char *p;		/* the value's text; a string keeps its quotes */
	size_t len;
};

/*
 * sp_jscan: checks that s[0, len) is exactly one JSON value (whitespace
 * around it allowed; nesting at most 256 deep) and describes it in *t.
 * Returns 0, or -1 if the text is not valid JSON.
 */
int sp_jscan(const char *s, size_t len, struct sp_jtok *t);

/*
 * The pieces of sp_jscan, for a reader that validates a text and takes
 * values out of it in one pass (sp-encode's rows).  Each starts at the
 * first byte of its token in unchecked text ending at end and returns the
 * position just past the token, or NULL when the text there is not valid
 * JSON.  With SP_JSCAN_STRICT a text is also refused when jq would read it
 * otherwise than byte for byte: a string that is not valid UTF-8 (jq
 * replaces bytes) or holds a \u escape of a surrogate (jq refuses a lone
 * one), or nesting deeper than SP_JSCAN_STRICT_DEPTH (well inside jq's
 * own limit).
 */
#define SP_JSCAN_STRICT 1u
#define SP_JSCAN_STRICT_DEPTH 64

/* sp_jscan_ws: p past any JSON whitespace, at most end. */
static inline const char *
sp_jscan_ws(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
		p++;
	return p;
}

/*
 * sp_jscan_string: p at a string's opening quote.  *esc is set to 1 when
 * the string holds an escape (its bytes are then not its value), else 0.
 */
const char *sp_jscan_string(const char *p, const char *end, unsigned flags, int *esc);
/*
 * sp_jscan_number: p at a number (RFC 8259 grammar).  When out is not
 * NULL, *out is its value (strtod's rounding); a number of 64 bytes or
 * more then gives NULL, to be read by a full parser.
 */
const char *sp_jscan_number(const char *p, const char *end, double *out);
/*
 * sp_jscan_value: p at any value, nested depth deep in its text (0 for a
 * whole text, 1 for a member of the top-level object), checked as sp_jscan
 * checks; its kind (SP_JSON_*) in *type.
 */
const char *sp_jscan_value(const char *p, const char *end, int depth, unsigned flags,
    int *type);

/* An iterator over the members of an object or the elements of an array. */
struct sp_jiter {
	const char *p, *end;
	int type;
};

/*
 * sp_jiter_init: starts iterating t, a token of type SP_JSON_OBJECT or
 * SP_JSON_ARRAY obtained from sp_jscan (so already checked).  Returns -1
 * for any other type.
 */
int sp_jiter_init(struct sp_jiter *it, const struct sp_jtok *t);
/*
 * sp_jiter_next: the next member (key and value; key may be NULL for an
 * array) or element.  Returns 1, or 0 after the last.
 */
int sp_jiter_next(struct sp_jiter *it, struct sp_jtok *key, struct sp_jtok *val);

/*
 * The same walk in two steps, for a caller that descends into a member
 * rather than skip it: sp_jiter_key gives the next key (none for an
 * array) and leaves the iterator at the value's first byte (it->p), or
 * returns 0 after the last; sp_jiter_value then skips the value and gives
 * it, or the caller walks it itself and sets it->p past it.
 */
int sp_jiter_key(struct sp_jiter *it, struct sp_jtok *key);
void sp_jiter_value(struct sp_jiter *it, struct sp_jtok *val);

/*
 * sp_jiter_open: starts iterating the object or array whose opening
 * bracket is at p, in checked text ending at or before end, before its
 * length is known.  After the last member it->p is at its closing bracket.
 */
void sp_jiter_open(struct sp_jiter *it, const char *p, const char *end);

/*
 * What a member name (its bytes s[0, n), unescaped) is looked up by, the
 * same cost for any length: its first and last 8 bytes (all of a name of
 * up to 16 bytes, so that such names compare without memcmp) and a hash
 * of those and n.
 */
struct sp_jname {
	uint64_t a, b;
	unsigned h;
};
static inline void
sp_jname_key(const char *s, size_t n, struct sp_jname *k)
{
	uint64_t h;

	k->a = k->b = 0;
	if (n >= 8) {
		memcpy(&k->a, s, 8);
		memcpy(&k->b, s + n - 8, 8);
	} else {
		memcpy(&k->a, s, n);
	}
	h = (k->a * 0x9e3779b97f4a7c15ull) ^ (k->b * 0xc2b2ae3d27d4eb4full) ^ n;
	k->h = (unsigned)(h ^ (h >> 29));
}

/*
 * A member index: the members of one object of checked text, found once
 * so that a lookup scans hashes, not the text.  A key without escapes
 * carries its sp_jname (name[i]); one with escapes (esc[i]) is compared
 * the slow way.  At most SP_JMEMBERS_MAX members: complete says whether
 * every member is in.  schema.c's object cache and loadmap.c's levels of
 * a record are these.
 */
#define SP_JMEMBERS_MAX 48

struct sp_jmembers {
	struct sp_jtok k[SP_JMEMBERS_MAX], v[SP_JMEMBERS_MAX];
	struct sp_jname name[SP_JMEMBERS_MAX];	/* of a key without escapes */
	unsigned char esc[SP_JMEMBERS_MAX];
	int n, complete;
};

static inline void
sp_jmembers_reset(struct sp_jmembers *m)
{
	m->n = 0;
	m->complete = 1;
}

/* sp_jmembers_add: adds member k: v; -1 (and complete 0) when full. */
static inline int
sp_jmembers_add(struct sp_jmembers *m, const struct sp_jtok *k, const struct sp_jtok *v)
{
	int i = m->n;

	if (i == SP_JMEMBERS_MAX) {
		m->complete = 0;
		return -1;
	}
	m->k[i] = *k;
	m->v[i] = *v;
	m->esc[i] = memchr(k->p, '\\', k->len) != NULL;
	if (!m->esc[i])
		sp_jname_key(k->p + 1, k->len - 2, &m->name[i]);
	else
		m->name[i].h = 0;
	m->n++;
	return 0;
}

/*
 * sp_jmembers_find: the index of the first member named s[0, n) (NUL-
 * terminated; h its sp_jname hash), or -1, also when m is incomplete.
 */
int sp_jmembers_find(const struct sp_jmembers *m, const char *s, size_t n, unsigned h);

/*
 * sp_json_kind_name: how every message names a value of kind (SP_JSON_*):
 * "null", "a boolean", "a number", "a string", "an array", "an object",
 * and "nothing" for any other kind (no value).
 */
const char *sp_json_kind_name(int kind);

/* sp_jstr_eq: whether the string token t decodes to the NUL-terminated s. */
int sp_jstr_eq(const struct sp_jtok *t, const char *s);
/*
 * sp_jstr_decode: appends the decoded UTF-8 text of the string token t to
 * out (escapes resolved; a lone surrogate becomes U+FFFD).
 */
void sp_jstr_decode(const struct sp_jtok *t, struct sp_buf *out);

/*
 * A JSON pointer (RFC 6901), split once: each segment unescaped ("~0" is
 * '~', "~1" is '/'), with its length and its sp_jname hash, so that a
 * lookup compares names the way the member indexes do.  The one pointer
 * type of schema.c's $ref and loadmap.c's columns.
 */
struct sp_jptr {
	char **seg;		/* NUL-terminated; may hold NUL bytes before len */
	size_t *len;
	unsigned *hash;
	int n;			/* 0: the whole document ("") */
};

/*
 * sp_jptr_parse: splits s[0, n) into p.  Returns 0, or -1 (p empty) when s
 * is neither empty nor starts with '/'.  Free p with sp_jptr_free.
 */
int sp_jptr_parse(const char *s, size_t n, struct sp_jptr *p);
void sp_jptr_free(struct sp_jptr *p);

#endif
