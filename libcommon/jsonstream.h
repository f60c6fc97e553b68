/* jsonstream.h: reads one JSON array from a byte source, an element at a time. */
#ifndef SP_JSONSTREAM_H
#define SP_JSONSTREAM_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "buf.h"
#include "jscan.h"

/*
 * A byte source: reads up to n bytes into buf and returns how many (> 0),
 * 0 at the end of input, or -1 on an error that the source has already
 * reported (sp_warn).  libcommon/entries.h's sp_entry_read is one.
 */
typedef ssize_t (*sp_read_fn)(void *ctx, void *buf, size_t n);

/* The stream reports the kinds of values as jscan.h names them (SP_JSON_*). */

/*
 * One member of the current element (when it is an object).  key is the
 * decoded key (escapes resolved), not NUL-terminated; val is the value's
 * JSON text exactly as in the input (a string keeps its quotes and
 * escapes); key_esc and val_esc say whether the key or a string value
 * contained a backslash in the input.
 * Both point into the stream's buffers and are valid until the next
 * sp_jstream_next.
 */
struct sp_jmember {
	const char *key;
	size_t key_len;
	const char *val;
	size_t val_len;
	int type;		/* int */
	int key_esc, val_esc;
};

/* Default cap on one element; a longer element is an error, not an allocation. */
#define SP_JSTREAM_ELEM_MAX_DEFAULT ((size_t)1 << 20)

/*
 * The reader.  Memory is one buffer of at most elem_max plus one read
 * chunk, whatever the size of the input: the array is never held whole.
 * Every field is owned by the stream; free it with sp_jstream_free.
 */
struct sp_jstream {
	sp_read_fn read;
	void *ctx;
	char *name;		/* display name for messages (owned copy) */
	size_t elem_max;

	/* The current element: its JSON text, type, and (objects) members. */
	const char *elem;
	size_t elem_len;
	int elem_type;
	struct sp_jmember *members;
	size_t nmembers;
	long index;		/* 0 for the first element, as jq's .[0] */
	uint64_t elem_offset;	/* byte offset of the element in the input */
	long elem_line;		/* line of its first byte, from 1 */

	/*
	 * After an error: err holds "name:line: .[i]: what (byte N)", ready
	 * for sp_warn("%s", err); err_io is set when the byte source failed
	 * (it has reported that itself and err is empty).
	 */
	char err[512];
	int err_io;

	/* Private. */
	char *buf;
	size_t cap, start, end;
	uint64_t base;		/* input offset of buf[0] */
	long line;		/* line at buf[start] */
	int state, eof;
	size_t members_cap;
	struct sp_buf keys;
};

/*
 * sp_jstream_init: a reader of fn(ctx, ...); name is copied and used in
 * messages.  elem_max 0 means SP_JSTREAM_ELEM_MAX_DEFAULT.
 */
void sp_jstream_init(struct sp_jstream *js, sp_read_fn fn, void *ctx,
    const char *name, size_t elem_max);
/* sp_jstream_free: frees all js owns (not js, nor the byte source's ctx). */
void sp_jstream_free(struct sp_jstream *js);

/*
 * sp_jstream_begin: reads up to the first significant byte (after a UTF-8
 * byte order mark and white space) and returns the type of the top-level
 * value it starts (SP_JSON_ARRAY for the arrays this reader is for; the '['
 * is then consumed).  Any other type is returned unconsumed: the caller
 * decides whether that is an error (see sp_jstream_error).  Returns -1 on
 * empty input, a byte that starts no JSON value, or a read error (js->err).
 */
int sp_jstream_begin(struct sp_jstream *js);

/*
 * sp_jstream_next: parses the next element of the array.  Returns 1 with
 * elem, elem_len, elem_type, index and, for an object, members[0,
 * nmembers) (its top-level members in input order; a repeated key appears
 * twice); 0 after the closing ']' when nothing but white space follows it;
 * -1 on malformed JSON, an element over elem_max bytes, or a read error
 * (js->err).  The whole element is validated (RFC 8259, UTF-8 included)
 * before it is returned.  After 0 or -1, further calls return the same.
 */
int sp_jstream_next(struct sp_jstream *js);

/*
 * sp_jstream_error: formats a message about the current element into
 * js->err, as "name:line: .[index]: message (byte N)", where the line and
 * byte are those of at, a pointer into elem (NULL for the element's
 * start).  Returns -1, for "return sp_jstream_error(...)".
 */
int sp_jstream_error(struct sp_jstream *js, const char *at, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * sp_jstream_member: the first member of the current element named key,
 * or NULL.  It belongs to js and is valid until the next sp_jstream_next.
 */
const struct sp_jmember *sp_jstream_member(const struct sp_jstream *js, const char *key);

/*
 * sp_json_unescape: appends the decoded content of the JSON string
 * literal s[0, n) (quotes included, as in sp_jmember.val) to out as UTF-8.
 * The literal must have been validated (sp_jstream_next does).
 */
void sp_json_unescape(const char *s, size_t n, struct sp_buf *out);

#endif
