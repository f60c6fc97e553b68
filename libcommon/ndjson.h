/* ndjson.h: NDJSON reading a line at a time over jq's jv API, and writing. */
#ifndef SP_NDJSON_H
#define SP_NDJSON_H

#include <stdio.h>
#include <sys/types.h>
#include <jv.h>

/* Default cap on one line: longer lines are an error, not an allocation. */
#define SP_LINE_MAX_DEFAULT (16u << 20)

/*
 * A line reader over a stream.  The buffer is reused: memory does not grow
 * with the input, only with the longest line (at most max_len bytes).
 */
struct sp_lines {
	FILE *fp;		/* borrowed unless owns_fp */
	const char *name;	/* display name for messages ("<stdin>") */
	long lineno;		/* number of the line last returned */
	char *buf;		/* owned; the current line, NUL-terminated */
	size_t cap, len;
	size_t max_len;
	int owns_fp;
};

/*
 * sp_lines_open: opens path ("-" or NULL for stdin).  On failure prints
 * "prog: path: reason" and returns -1.  Close with sp_lines_close.
 */
int sp_lines_open(struct sp_lines *r, const char *path);
/* sp_lines_init: reads an already open stream; fp stays the caller's. */
void sp_lines_init(struct sp_lines *r, FILE *fp, const char *name);
/* sp_lines_close: frees r's buffer, and closes fp when r opened it. */
void sp_lines_close(struct sp_lines *r);

/*
 * sp_lines_next: the next line without its newline, NUL-terminated, in a
 * buffer owned by r and valid until the next call; its length in *len.
 * Returns NULL at end of input.  A read error or a line over max_len prints
 * "prog: name:line: ..." and exits 1.  A final line without a newline is
 * returned as usual.  A trailing '\r' is removed.
 */
char *sp_lines_next(struct sp_lines *r, size_t *len);

/*
 * sp_ndjson_next: the next non-blank line parsed as JSON.  Returns 1 with
 * the value in *out (the caller owns it and must jv_free it), 0 at end of
 * input.  A line that is not valid JSON prints "prog: name:line: invalid
 * JSON: reason" and exits 1; so does a value that is not an object when
 * want_object is set.
 */
int sp_ndjson_next(struct sp_lines *r, jv *out, int want_object);

/*
 * sp_jv_parse: parses buf[0, len) as one JSON value.  Returns the value, or
 * jv_invalid with a message (jv's rule: the caller frees either).
 */
jv sp_jv_parse(const char *buf, size_t len);

/*
 * sp_jv_write: writes v compactly plus a newline to fp; consumes v.
 * Returns 0, or -1 on a write error (errno set).
 */
int sp_jv_write(FILE *fp, jv v);

/*
 * sp_json_str: writes s (len bytes of UTF-8) as a JSON string literal,
 * quotes included.  Invalid UTF-8 becomes U+FFFD.
 */
void sp_json_str(FILE *fp, const char *s, size_t len);

/* Short type names for messages: "a number", "a string", "an array", ...
 * (static strings). */
const char *sp_jv_kind_name(jv_kind k);

/*
 * sp_jv_get: the member key of object o, or jv_null() when o is not an
 * object or has no such member.  Borrows o (no reference is consumed) and
 * returns a new reference.
 */
jv sp_jv_get(jv o, const char *key);

/*
 * sp_jv_str_field: the string member field of o, a record read from r, and
 * its length in *len when len is not NULL.  The string is borrowed from o
 * and valid as long as o is.  An absent or null member gives NULL (*len 0)
 * when optional is set; otherwise, or for any other type, prints "prog:
 * name:line: field 'F': expected a string, got nothing" (or "got null",
 * "got a number", ...) and exits 1.  Borrows o (no reference is consumed).
 */
const char *sp_jv_str_field(jv o, const char *field, int optional,
    const struct sp_lines *r, size_t *len);

/*
 * Lines of a file descriptor, a megabyte a read, from offset pos up to
 * end (-1: to the end of the input), for the readers of big inputs
 * (sp-encode's rows, which split a regular file between threads, each
 * reading its own range with pread; sp-cosine's --history) or a pipe
 * (seekable 0: read).  The
 * lines are those of sp_lines_next: without their '\n', a trailing '\r'
 * removed, a final line without '\n' kept, at most max_len bytes.  fd is
 * borrowed; the buffer is owned (sp_flines_free).
 */
struct sp_flines {
	int fd, seekable, eof;
	off_t pos, end;
	char *buf;
	size_t cap, beg, len;	/* unread bytes: buf[beg, len) */
	size_t max_len;
	long lineno;		/* the number of the line last returned */
};

void sp_flines_init(struct sp_flines *r, int fd, int seekable, off_t pos, off_t end);
/*
 * sp_flines_next: the next line in *line (NUL-terminated, valid until the
 * next call) and *len.  Returns 1, 0 at the end, or -1 on a read error
 * or a line over max_len: then err (errsize bytes) says why, as
 * sp_lines_next words it, about line lineno + 1.
 */
int sp_flines_next(struct sp_flines *r, const char **line, size_t *len, char *err,
    size_t errsize);
void sp_flines_free(struct sp_flines *r);

#endif
