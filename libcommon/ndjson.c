/* ndjson.c: line-at-a-time NDJSON reader and compact JSON writer. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "jscan.h"
#include "ndjson.h"
#include "utf8.h"

int
sp_lines_open(struct sp_lines *r, const char *path)
{
	FILE *fp;

	if (path == NULL || strcmp(path, "-") == 0) {
		sp_lines_init(r, stdin, "<stdin>");
		return 0;
	}
	if ((fp = fopen(path, "r")) == NULL) {
		sp_warn("%s: %s", path, strerror(errno));
		return -1;
	}
	sp_lines_init(r, fp, path);
	r->owns_fp = 1;
	return 0;
}

void
sp_lines_init(struct sp_lines *r, FILE *fp, const char *name)
{
	memset(r, 0, sizeof *r);
	r->fp = fp;
	r->name = name;
	r->max_len = SP_LINE_MAX_DEFAULT;
}

void
sp_lines_close(struct sp_lines *r)
{
	if (r->owns_fp && r->fp != NULL)
		fclose(r->fp);
	free(r->buf);
	memset(r, 0, sizeof *r);
}

char *
sp_lines_next(struct sp_lines *r, size_t *len)
{
	int c;
	size_t n = 0;

	if (r->buf == NULL) {
		r->cap = 4096;
		r->buf = sp_xmalloc(r->cap);
	}
	/* getc_unlocked keeps this loop fast; the stream is ours alone. */
	while ((c = getc_unlocked(r->fp)) != EOF && c != '\n') {
		if (n + 1 >= r->cap) {
			if (r->cap >= r->max_len + 1)
				sp_die_at(SP_EXIT_DATA, r->name, r->lineno + 1,
				    "line longer than %zu bytes", r->max_len);
			r->cap = r->cap * 2 > r->max_len + 1 ? r->max_len + 1 : r->cap * 2;
			r->buf = sp_xrealloc(r->buf, r->cap);
		}
		r->buf[n++] = (char)c;
	}
	if (ferror(r->fp))
		sp_die_at(SP_EXIT_DATA, r->name, r->lineno + 1, "read error: %s",
		    strerror(errno));
	if (c == EOF && n == 0)
		return NULL;
	r->lineno++;
	if (n > 0 && r->buf[n - 1] == '\r')
		n--;
	r->buf[n] = '\0';
	r->len = n;
	if (len != NULL)
		*len = n;
	return r->buf;
}

jv
sp_jv_parse(const char *buf, size_t len)
{
	return jv_parse_sized(buf, (int)len);
}

static int
blank(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t')
			return 0;
	return 1;
}

int
sp_ndjson_next(struct sp_lines *r, jv *out, int want_object)
{
	char *line;
	size_t len;
	jv v, msg;

	do {
		if ((line = sp_lines_next(r, &len)) == NULL)
			return 0;
	} while (blank(line, len));
	if (len > (size_t)0x7fffffff)
		sp_die_at(SP_EXIT_DATA, r->name, r->lineno, "line too long");
	v = sp_jv_parse(line, len);
	if (!jv_is_valid(v)) {
		msg = jv_invalid_get_msg(v);
		sp_die_at(SP_EXIT_DATA, r->name, r->lineno, "invalid JSON: %s",
		    jv_get_kind(msg) == JV_KIND_STRING ? jv_string_value(msg) : "parse error");
	}
	if (want_object && jv_get_kind(v) != JV_KIND_OBJECT)
		sp_die_at(SP_EXIT_DATA, r->name, r->lineno,
		    "expected a JSON object, got %s", sp_jv_kind_name(jv_get_kind(v)));
	*out = v;
	return 1;
}

int
sp_jv_write(FILE *fp, jv v)
{
	jv s = jv_dump_string(v, 0);
	const char *p = jv_string_value(s);
	int n = jv_string_length_bytes(jv_copy(s));
	int rc = 0;

	if (fwrite(p, 1, (size_t)n, fp) != (size_t)n || putc('\n', fp) == EOF)
		rc = -1;
	jv_free(s);
	return rc;
}

void
sp_json_str(FILE *fp, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	int k;

	putc('"', fp);
	while (i < len) {
		unsigned char c = p[i];

		if (c == '"' || c == '\\') {
			putc('\\', fp);
			putc(c, fp);
			i++;
		} else if (c < 0x20) {
			switch (c) {
			case '\n': fputs("\\n", fp); break;
			case '\t': fputs("\\t", fp); break;
			case '\r': fputs("\\r", fp); break;
			case '\b': fputs("\\b", fp); break;
			case '\f': fputs("\\f", fp); break;
			default: fprintf(fp, "\\u%04x", c); break;
			}
			i++;
		} else if (c < 0x80) {
			putc(c, fp);
			i++;
		} else if ((k = sp_utf8_len(p + i, len - i)) > 0) {
			fwrite(p + i, 1, (size_t)k, fp);
			i += (size_t)k;
		} else {
			fputs("\xef\xbf\xbd", fp);
			i++;
		}
	}
	putc('"', fp);
}

const char *
sp_jv_kind_name(jv_kind k)
{
	switch (k) {
	case JV_KIND_INVALID: return "an invalid value";
	case JV_KIND_NULL: return sp_json_kind_name(SP_JSON_NULL);
	case JV_KIND_FALSE: return sp_json_kind_name(SP_JSON_FALSE);
	case JV_KIND_TRUE: return sp_json_kind_name(SP_JSON_TRUE);
	case JV_KIND_NUMBER: return sp_json_kind_name(SP_JSON_NUMBER);
	case JV_KIND_STRING: return sp_json_kind_name(SP_JSON_STRING);
	case JV_KIND_ARRAY: return sp_json_kind_name(SP_JSON_ARRAY);
	case JV_KIND_OBJECT: return sp_json_kind_name(SP_JSON_OBJECT);
	}
	return "a value";
}

jv
sp_jv_get(jv o, const char *key)
{
	jv v;

	if (jv_get_kind(o) != JV_KIND_OBJECT)
		return jv_null();
	v = jv_object_get(jv_copy(o), jv_string(key));
	if (!jv_is_valid(v)) {
		jv_free(v);
		return jv_null();
	}
	return v;
}

const char *
sp_jv_str_field(jv o, const char *field, int optional, const struct sp_lines *r,
    size_t *len)
{
	jv v = jv_get_kind(o) == JV_KIND_OBJECT ?
	    jv_object_get(jv_copy(o), jv_string(field)) : jv_invalid();
	jv_kind k = jv_get_kind(v);
	const char *s;

	if (k == JV_KIND_STRING) {
		/* o holds a reference to the same string, so s stays valid. */
		s = jv_string_value(v);
		if (len != NULL)
			*len = (size_t)jv_string_length_bytes(jv_copy(v));
		jv_free(v);
		return s;
	}
	jv_free(v);
	if (optional && (k == JV_KIND_INVALID || k == JV_KIND_NULL)) {
		if (len != NULL)
			*len = 0;
		return NULL;
	}
	sp_die_at(SP_EXIT_DATA, r->name, r->lineno, "field '%s': expected a string, got %s",
	    field, k == JV_KIND_INVALID ? "nothing" : sp_jv_kind_name(k));
}

/* ---- lines of a range of a file descriptor ---- */

/* The first read; the buffer grows only for a line longer than it. */
#define FLINES_BUF (1u << 20)

void
sp_flines_init(struct sp_flines *r, int fd, int seekable, off_t pos, off_t end)
{
	memset(r, 0, sizeof *r);
	r->fd = fd;
	r->seekable = seekable;
	r->pos = pos;
	r->end = end;
	r->max_len = SP_LINE_MAX_DEFAULT;
}

/* Reads more after buf[len): 1, 0 at the end of the range, -1 (errno). */
static int
flines_fill(struct sp_flines *r)
{
	size_t want;
	ssize_t n;

	if (r->beg > 0) {
		memmove(r->buf, r->buf + r->beg, r->len - r->beg);
		r->len -= r->beg;
		r->beg = 0;
	}
	if (r->len + 1 >= r->cap) {
		/* max_len + 1 bytes show a line too long, as sp_lines_next's do;
		 * one more byte is for the NUL after a line. */
		r->cap = r->cap ? r->cap * 2 : FLINES_BUF;
		if (r->cap > r->max_len + 2)
			r->cap = r->max_len + 2;
		r->buf = sp_xrealloc(r->buf, r->cap);
	}
	want = r->cap - 1 - r->len;
	if (r->end >= 0 && (off_t)want > r->end - r->pos)
		want = (size_t)(r->end - r->pos);
	if (want == 0)
		return 0;
	do {
		n = r->seekable ? pread(r->fd, r->buf + r->len, want, r->pos) :
		    read(r->fd, r->buf + r->len, want);
	} while (n < 0 && errno == EINTR);
	if (n <= 0)
		return (int)n;
	r->len += (size_t)n;
	r->pos += n;
	return 1;
}

int
sp_flines_next(struct sp_flines *r, const char **line, size_t *len, char *err,
    size_t errsize)
{
	size_t seen = 0, n;
	char *nl, *p;
	int rc;

	for (;;) {
		nl = r->len > r->beg + seen ?
		    memchr(r->buf + r->beg + seen, '\n', r->len - r->beg - seen) : NULL;
		seen = nl != NULL ? (size_t)(nl - (r->buf + r->beg)) : r->len - r->beg;
		if (seen > r->max_len) {
			snprintf(err, errsize, "line longer than %zu bytes", r->max_len);
			return -1;
		}
		if (nl != NULL || r->eof)
			break;
		if ((rc = flines_fill(r)) < 0) {
			snprintf(err, errsize, "read error: %s", strerror(errno));
			return -1;
		}
		r->eof = rc == 0;
	}
	if (nl == NULL && seen == 0)
		return 0;
	p = r->buf + r->beg;
	n = seen;
	r->beg += seen + (nl != NULL);
	r->lineno++;
	if (n > 0 && p[n - 1] == '\r')
		n--;
	p[n] = '\0';	/* at most the '\n', or the spare byte after the data */
	*line = p;
	*len = n;
	return 1;
}

void
sp_flines_free(struct sp_flines *r)
{
	free(r->buf);
	memset(r, 0, sizeof *r);
}
