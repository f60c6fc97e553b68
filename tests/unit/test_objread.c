/* test_objread.c: unit tests of the object reader (objread.h) and the key window (dupwin.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "buf.h"
#include "dupwin.h"
#include "objread.h"
#include "sha256.h"
#include "unit.h"

/* A temporary stream holding n bytes of p, at its start. */
static FILE *
stream_of(const void *p, size_t n)
{
	FILE *fp = tmpfile();

	if (fp != NULL && fwrite(p, 1, n, fp) == n && fflush(fp) == 0) {
		rewind(fp);
		return fp;
	}
	if (fp != NULL)
		fclose(fp);
	return NULL;
}

/* Appends text gzipped (one member) to b. */
static void
gzip_add(struct sp_buf *b, const char *text)
{
	z_stream z;
	unsigned char out[4096];

	memset(&z, 0, sizeof z);
	deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
	z.next_in = (unsigned char *)text;
	z.avail_in = (uInt)strlen(text);
	z.next_out = out;
	z.avail_out = sizeof out;
	deflate(&z, Z_FINISH);
	sp_buf_add(b, out, sizeof out - z.avail_out);
	deflateEnd(&z);
}

/* The lines of name (content p, n bytes) joined by '|', and the last result. */
static int
read_all(const char *name, const void *p, size_t n, size_t max, struct sp_buf *out,
    char *err, size_t errlen)
{
	struct sp_objread rd;
	FILE *fp = stream_of(p, n);
	int r;

	if (fp == NULL)
		return -2;
	sp_objread_open(&rd, fp, name, 0, max);
	while ((r = sp_objread_line(&rd)) > 0)
		sp_buf_printf(out, "%ld:%s|", rd.lineno, rd.line.data);
	snprintf(err, errlen, "%s", rd.err);
	sp_objread_close(&rd);
	fclose(fp);
	return r;
}

static void
test_lines(void)
{
	struct sp_buf out = { 0 };
	char err[256];

	CHECK(read_all("a.ndjson", "x\r\n\ny\nlast", 11, 100, &out, err, sizeof err) == 0);
	CHECK_STR(out.data, "1:x|2:|3:y|4:last|");
	sp_buf_reset(&out);
	CHECK(read_all("a.ndjson", "12345\n123456\n", 13, 5, &out, err, sizeof err) == -1);
	CHECK_STR(out.data, "1:12345|");
	CHECK_STR(err, "line 2 longer than 5 bytes");
	sp_buf_free(&out);
}

static void
test_gzip(void)
{
	struct sp_buf gz = { 0 }, out = { 0 };
	char err[256];

	/* Two members: concatenated gzip is gzip. */
	gzip_add(&gz, "a\nb");
	gzip_add(&gz, "\nc\n");
	CHECK(read_all("x.ndjson.gz", gz.data, gz.len, 100, &out, err, sizeof err) == 0);
	CHECK_STR(out.data, "1:a|2:b|3:c|");
	sp_buf_reset(&out);
	CHECK(read_all("x.ndjson.gz", gz.data, gz.len - 5, 100, &out, err, sizeof err) == -1);
	CHECK_STR(err, "truncated gzip data");
	sp_buf_reset(&out);
	CHECK(read_all("x.ndjson.gz", "not gzip at all\n", 16, 100, &out, err, sizeof err) == -1);
	CHECK(strncmp(err, "invalid gzip data: ", 19) == 0);
	/* Without .gz, the bytes are the text. */
	sp_buf_reset(&out);
	CHECK(read_all("x.ndjson", "a\n", 2, 100, &out, err, sizeof err) == 0);
	CHECK_STR(out.data, "1:a|");
	sp_buf_free(&gz);
	sp_buf_free(&out);
}

/* The checksum is of the bytes as stored, read as text or raw. */
static void
test_checksum(void)
{
	struct sp_buf gz = { 0 };
	struct sp_sha256 h;
	struct sp_objread rd;
	unsigned char d[32];
	char want[65], got[65];
	FILE *fp;
	int raw;

	gzip_add(&gz, "{\"a\":1}\n");
	sp_sha256_init(&h);
	sp_sha256_update(&h, gz.data, gz.len);
	sp_sha256_final(&h, d);
	sp_sha256_hex(d, want);
	for (raw = 0; raw <= 1; raw++) {
		CHECK((fp = stream_of(gz.data, gz.len)) != NULL);
		sp_objread_open(&rd, fp, "p.ndjson.gz", raw, 100);
		CHECK(sp_objread_drain(&rd) == 0);
		sp_objread_hex(&rd, got);
		sp_objread_close(&rd);
		fclose(fp);
		CHECK_STR(got, want);
	}
	sp_buf_free(&gz);
}

static void
test_dupwin(void)
{
	struct sp_dupwin *w = sp_dupwin_new();
	char k[32];
	int i;

	CHECK(!sp_dupwin_seen(w, "a\0b", 3));
	CHECK(sp_dupwin_seen(w, "a\0b", 3));
	CHECK(!sp_dupwin_seen(w, "a\0c", 3));
	CHECK(!sp_dupwin_seen(w, "", 0));
	CHECK(sp_dupwin_seen(w, "", 0));
	/* After SP_DUPWIN_SIZE newer keys the first is forgotten, the last kept. */
	for (i = 0; i < SP_DUPWIN_SIZE; i++) {
		snprintf(k, sizeof k, "k%d", i);
		CHECK(!sp_dupwin_seen(w, k, strlen(k)));
	}
	CHECK(!sp_dupwin_seen(w, "a\0b", 3));
	CHECK(sp_dupwin_seen(w, "k4095", 5));
	sp_dupwin_reset(w);
	CHECK(!sp_dupwin_seen(w, "k4095", 5));
	sp_dupwin_free(w);
}

int
main(void)
{
	RUN(test_lines);
	RUN(test_gzip);
	RUN(test_checksum);
	RUN(test_dupwin);
	return unit_failed != 0;
}
