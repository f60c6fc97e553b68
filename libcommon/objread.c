/* objread.c: reading a stored object: its bytes hashed, gunzipped when .gz, in lines. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "buf.h"
#include "diag.h"
#include "objread.h"
#include "sha256.h"

void
sp_objread_open(struct sp_objread *rd, FILE *fp, const char *name, int raw, size_t max_line)
{
	size_t l = strlen(name);

	memset(rd, 0, sizeof *rd);
	rd->fp = fp;
	rd->name = name;
	rd->gz = !raw && l > 3 && strcmp(name + l - 3, ".gz") == 0;
	sp_sha256_init(&rd->hash);
	rd->out_cap = 1 << 18;
	rd->out = sp_xmalloc(rd->out_cap);
	rd->max_line = max_line;
	if (rd->gz && inflateInit2(&rd->z, 15 + 16) != Z_OK)
		sp_die(SP_EXIT_DATA, "zlib: cannot initialise");
}

void
sp_objread_close(struct sp_objread *rd)
{
	if (rd->gz)
		inflateEnd(&rd->z);
	free(rd->out);
	sp_buf_free(&rd->line);
}

/* Refills rd->out; returns 1 with data, 0 at the end, -1 on error (rd->err). */
static int
fill(struct sp_objread *rd)
{
	size_t n;

	rd->out_pos = rd->out_len = 0;
	for (;;) {
		if (!rd->gz) {
			n = fread(rd->out, 1, rd->out_cap, rd->fp);
			if (n == 0) {
				if (ferror(rd->fp)) {
					snprintf(rd->err, sizeof rd->err, "read error: %s", strerror(errno));
					return -1;
				}
				return 0;
			}
			sp_sha256_update(&rd->hash, rd->out, n);
			rd->out_len = n;
			return 1;
		}
		if (rd->z.avail_in == 0) {
			n = fread(rd->in, 1, sizeof rd->in, rd->fp);
			if (n == 0) {
				if (ferror(rd->fp)) {
					snprintf(rd->err, sizeof rd->err, "read error: %s", strerror(errno));
					return -1;
				}
				if (!rd->zdone) {
					snprintf(rd->err, sizeof rd->err, "truncated gzip data");
					return -1;
				}
				return 0;
			}
			sp_sha256_update(&rd->hash, rd->in, n);
			rd->z.next_in = rd->in;
			rd->z.avail_in = (uInt)n;
		}
		if (rd->zdone) {
			/* Another gzip member follows (concatenated gzip is gzip). */
			if (inflateReset(&rd->z) != Z_OK) {
				snprintf(rd->err, sizeof rd->err, "zlib: cannot reset");
				return -1;
			}
			rd->zdone = 0;
		}
		rd->z.next_out = (unsigned char *)rd->out;
		rd->z.avail_out = (uInt)rd->out_cap;
		int zr = inflate(&rd->z, Z_NO_FLUSH);

		if (zr == Z_STREAM_END)
			rd->zdone = 1;
		else if (zr != Z_OK && zr != Z_BUF_ERROR) {
			snprintf(rd->err, sizeof rd->err, "invalid gzip data: %s",
			    rd->z.msg ? rd->z.msg : "error");
			return -1;
		}
		rd->out_len = rd->out_cap - rd->z.avail_out;
		if (rd->out_len > 0)
			return 1;
	}
}

int
sp_objread_line(struct sp_objread *rd)
{
	sp_buf_reset(&rd->line);
	for (;;) {
		if (rd->out_pos == rd->out_len) {
			int r = rd->eof ? 0 : fill(rd);

			if (r < 0)
				return -1;
			if (r == 0) {
				rd->eof = 1;
				if (rd->line.len == 0)
					return 0;
				break;
			}
		}
		char *p = rd->out + rd->out_pos;
		char *nl = memchr(p, '\n', rd->out_len - rd->out_pos);
		size_t take = nl ? (size_t)(nl - p) : rd->out_len - rd->out_pos;

		if (rd->line.len + take > rd->max_line) {
			snprintf(rd->err, sizeof rd->err, "line %ld longer than %zu bytes",
			    rd->lineno + 1, rd->max_line);
			return -1;
		}
		sp_buf_add(&rd->line, p, take);
		rd->out_pos += take + (nl != NULL);
		if (nl != NULL)
			break;
	}
	rd->lineno++;
	if (rd->line.len > 0 && rd->line.data[rd->line.len - 1] == '\r')
		rd->line.data[--rd->line.len] = '\0';
	if (rd->line.data == NULL)
		sp_buf_adds(&rd->line, "");
	return 1;
}

int
sp_objread_drain(struct sp_objread *rd)
{
	int r;

	while ((r = sp_objread_line(rd)) > 0)
		;
	return r;
}

void
sp_objread_hex(struct sp_objread *rd, char hex[65])
{
	unsigned char d[32];

	sp_sha256_final(&rd->hash, d);
	sp_sha256_hex(d, hex);
}
