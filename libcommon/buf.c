/* buf.c: a growable byte buffer. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "diag.h"

void
sp_buf_grow(struct sp_buf *b, size_t extra)
{
	size_t need = b->len + extra + 1;

	if (need < b->len)
		sp_die(SP_EXIT_DATA, "out of memory");
	if (need <= b->cap)
		return;
	if (b->cap == 0)
		b->cap = 64;
	while (b->cap < need)
		b->cap = b->cap * 2 > b->cap ? b->cap * 2 : need;
	b->data = sp_xrealloc(b->data, b->cap);
}

void
sp_buf_add(struct sp_buf *b, const void *p, size_t n)
{
	sp_buf_grow(b, n);
	if (n > 0)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void
sp_buf_adds(struct sp_buf *b, const char *s)
{
	sp_buf_add(b, s, strlen(s));
}

void
sp_buf_addc(struct sp_buf *b, char c)
{
	sp_buf_add(b, &c, 1);
}

void
sp_buf_printf(struct sp_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	sp_buf_grow(b, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

void
sp_buf_json_str(struct sp_buf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t i;

	sp_buf_grow(b, n + 2);
	sp_buf_addc(b, '"');
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '"' || c == '\\') {
			sp_buf_addc(b, '\\');
			sp_buf_addc(b, (char)c);
		} else if (c == '\n') {
			sp_buf_adds(b, "\\n");
		} else if (c == '\t') {
			sp_buf_adds(b, "\\t");
		} else if (c == '\r') {
			sp_buf_adds(b, "\\r");
		} else if (c < 0x20) {
			char u[6] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15] };
			sp_buf_add(b, u, 6);
		} else {
			sp_buf_addc(b, (char)c);
		}
	}
	sp_buf_addc(b, '"');
}

void
sp_buf_reset(struct sp_buf *b)
{
	b->len = 0;
	if (b->data != NULL)
		b->data[0] = '\0';
}

void
sp_buf_free(struct sp_buf *b)
{
	free(b->data);
	memset(b, 0, sizeof *b);
}

char *
sp_buf_detach(struct sp_buf *b, size_t *len)
{
	char *d = b->data;

	if (d == NULL)
		d = sp_xcalloc(1, 1);
	if (len != NULL)
		*len = b->len;
	memset(b, 0, sizeof *b);
	return d;
}

char *
sp_read_file(const char *path, size_t max, size_t *len)
{
	struct sp_buf b = { 0 };
	char chunk[65536];
	size_t n;
	FILE *fp;
	int e;

	if ((fp = fopen(path, "r")) == NULL)
		return NULL;
	while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0) {
		if (n > max - b.len) {
			fclose(fp);
			sp_buf_free(&b);
			errno = EFBIG;
			return NULL;
		}
		sp_buf_add(&b, chunk, n);
	}
	if (ferror(fp)) {
		e = errno;
		fclose(fp);
		sp_buf_free(&b);
		errno = e ? e : EIO;
		return NULL;
	}
	fclose(fp);
	return sp_buf_detach(&b, len);
}
