/* buf.h: a growable byte buffer. */
#ifndef SP_BUF_H
#define SP_BUF_H

#include <stddef.h>

/* A zeroed struct sp_buf is an empty buffer; data is owned, NUL-terminated. */
struct sp_buf {
	char *data;
	size_t len, cap;
};

/*
 * The appenders copy what they are given (borrowed) into b->data, which b
 * owns and reallocates as it grows: pointers into it die on the next call.
 */
void sp_buf_grow(struct sp_buf *b, size_t extra);
void sp_buf_add(struct sp_buf *b, const void *p, size_t n);
void sp_buf_adds(struct sp_buf *b, const char *s);
void sp_buf_addc(struct sp_buf *b, char c);
void sp_buf_printf(struct sp_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Appends s as a JSON string literal (quotes included). */
void sp_buf_json_str(struct sp_buf *b, const char *s, size_t n);
void sp_buf_reset(struct sp_buf *b);	/* len = 0, keeps memory */
void sp_buf_free(struct sp_buf *b);	/* frees data, zeroes b */
/* Takes the data out (caller frees it); b becomes empty. */
char *sp_buf_detach(struct sp_buf *b, size_t *len);

/*
 * sp_read_file: reads the whole file at path into a new NUL-terminated
 * buffer that the caller frees, its length (without the NUL) in *len when
 * len is not NULL.  A file over max bytes fails with EFBIG (SIZE_MAX: no
 * cap).  Returns NULL with errno set and prints nothing, so that each
 * caller words its own message (or treats ENOENT as "none").
 */
char *sp_read_file(const char *path, size_t max, size_t *len);

#endif
