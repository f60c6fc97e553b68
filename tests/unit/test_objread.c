/* test_objread.c: unit tests of the staged batch (batch.h), the object reader (objread.h) and the key window (dupwin.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <zlib.h>

#include "batch.h"
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

/* What sp_batch_put writes, objread reads back: the contract of a batch. */
static void
test_batch_roundtrip(void)
{
	struct sp_batch_writer *w;
	struct sp_objread rd;
	struct sp_buf got = { 0 }, want = { 0 };
	const char *err = NULL;
	char msg[256], key[32];
	FILE *fp = tmpfile();
	int i, r;

	CHECK(fp != NULL);
	CHECK((w = sp_batch_open(fp, &err)) != NULL);
	/* Over several hand-overs to the writer's thread, in order. */
	for (i = 0; i < 60000; i++) {
		snprintf(key, sizeof key, "{\"n\":%d}", i);
		CHECK(sp_batch_put(w, key, strlen(key)) == 0);
		sp_buf_printf(&want, "%s|", key);
	}
	CHECK(sp_batch_close(w, msg, sizeof msg) == 0);
	rewind(fp);
	sp_objread_open(&rd, fp, "plays/dt=2026-01-01/000000-x.ndjson.gz", 0, 1 << 20);
	while ((r = sp_objread_line(&rd)) > 0)
		sp_buf_printf(&got, "%s|", rd.line.data);
	sp_objread_close(&rd);
	fclose(fp);
	CHECK(r == 0);
	CHECK_STR(got.data, want.data);
	sp_buf_free(&got);
	sp_buf_free(&want);
}

/* A writer whose file cannot be written says so when it is closed. */
static void
test_batch_write_error(void)
{
	struct sp_batch_writer *w;
	const char *err = NULL;
	char msg[256] = "";
	FILE *fp = fopen("/dev/full", "w");
	int i, failed = 0;

	CHECK(fp != NULL);
	setvbuf(fp, NULL, _IONBF, 0);
	CHECK((w = sp_batch_open(fp, &err)) != NULL);
	for (i = 0; i < 200000 && !failed; i++)
		failed = sp_batch_put(w, "{\"a\":\"0123456789abcdef0123456789abcdef\"}", 39) != 0;
	CHECK(sp_batch_close(w, msg, sizeof msg) != 0);
	CHECK(strstr(msg, "No space left on device") != NULL);
	fclose(fp);
}

static int
cmp_row(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
test_batch_names(void)
{
	unsigned char d[32];
	char ds[16], *n;
	int rej;

	memset(d, 0xab, sizeof d);
	n = sp_batch_name("plays", 0, 1767323045, d);	/* 2026-01-02T03:04:05Z */
	CHECK_STR(n, "plays/dt=2026-01-02/030405-abababababababab.ndjson.gz");
	CHECK(sp_batch_classify(n, ds, sizeof ds, &rej) == 1 && !rej);
	CHECK_STR(ds, "plays");
	free(n);
	n = sp_batch_name("plays", 1, 0, d);
	CHECK_STR(n, "plays/rejects/000000-abababababababab.ndjson");
	CHECK(sp_batch_classify(n, ds, sizeof ds, &rej) == 1 && rej);
	free(n);
	CHECK(sp_batch_classify("plays/dt=2026-01-02/x.ndjson", ds, sizeof ds, &rej) == 1);
	CHECK(sp_batch_classify("plays/dt=2026-01-02/x.json", ds, sizeof ds, &rej) == 0);
	CHECK(sp_batch_classify("plays/other/x.ndjson", ds, sizeof ds, &rej) == 0);
	CHECK(sp_batch_classify("plays/rejects/deep/x.ndjson", ds, sizeof ds, &rej) == 0);
	CHECK(sp_batch_classify("x.ndjson", ds, sizeof ds, &rej) == 0);
	CHECK(sp_batch_classify("a_dataset_name_too_long/dt=1/x.ndjson", ds, sizeof ds, &rej) == 0);
}

/* Pending: a staged object the ledger lacks; the ledger's checksum by exact name. */
static void
test_ledger(void)
{
	char *row[] = { "plays/dt=2026-01-02/a.ndjson.gz\tc1", "plays/dt=2026-01-02/a.ndjson.gz.x\tc2",
	    "plays/dt=2026-01-02/a.ndjson\tc3", "plays/rejects/r.ndjson\tc4" };
	struct sp_ledger lg = { row, 4 };

	qsort(row, 4, sizeof *row, cmp_row);
	CHECK_STR(sp_ledger_find(&lg, "plays/dt=2026-01-02/a.ndjson.gz"), "c1");
	CHECK_STR(sp_ledger_find(&lg, "plays/dt=2026-01-02/a.ndjson.gz.x"), "c2");
	CHECK_STR(sp_ledger_find(&lg, "plays/dt=2026-01-02/a.ndjson"), "c3");
	CHECK(sp_ledger_find(&lg, "plays/dt=2026-01-02/a.ndjso") == NULL);
	CHECK(sp_ledger_find(&lg, "plays/dt=2026-01-02/b.ndjson.gz") == NULL);
	CHECK(!sp_batch_pending(&lg, "plays/dt=2026-01-02/a.ndjson.gz"));
	CHECK(!sp_batch_pending(&lg, "plays/rejects/r.ndjson"));
	CHECK(sp_batch_pending(&lg, "plays/rejects/s.ndjson"));
	CHECK(sp_batch_pending(&lg, "plays/dt=2026-01-03/b.ndjson.gz"));
	CHECK(!sp_batch_pending(&lg, "plays/dt=2026-01-03/notes.txt"));
	CHECK(!sp_batch_pending(&lg, "plays/other/b.ndjson.gz"));
	lg.n = 0;
	CHECK(sp_ledger_find(&lg, "plays/rejects/r.ndjson") == NULL);
}

/* One verdict per line, and its words, as sp-stage and sp-load give them. */
static void
test_batch_verdict(void)
{
	static const struct { const char *line, *why; int v; } cases[] = {
		{ " \t ", "", SP_BATCH_BLANK },
		{ "{\"id\":\"a\"}", "", SP_BATCH_OK },
		{ "  {\"id\":\"a\"}\t", "", SP_BATCH_OK },
		{ "{\"id\":", "invalid JSON: ", SP_BATCH_JSON },
		{ "{\"id\":NaN}", "invalid JSON: ", SP_BATCH_JSON },
		{ "[1]", "expected a JSON object, got an array", SP_BATCH_KIND },
		{ "\"x\"", "expected a JSON object, got a string", SP_BATCH_KIND },
		{ "{\"id\":1}", "id", SP_BATCH_INVALID },
		{ "{}", "id", SP_BATCH_INVALID },
	};
	char path[] = "/tmp/sp-unit-batch.XXXXXX";
	const char *schema_text = "{\"type\":\"object\",\"required\":[\"id\"],"
	    "\"properties\":{\"id\":{\"type\":\"string\"}}}";
	struct sp_schema *schema;
	struct sp_buf why = { 0 };
	struct sp_jtok tok;
	size_t i;
	int fd, v;

	CHECK((fd = mkstemp(path)) >= 0);
	CHECK(write(fd, schema_text, strlen(schema_text)) == (ssize_t)strlen(schema_text));
	close(fd);
	schema = sp_schema_load(path);
	unlink(path);
	CHECK(schema != NULL);
	for (i = 0; i < sizeof cases / sizeof *cases; i++) {
		sp_buf_reset(&why);
		v = sp_batch_verdict(schema, cases[i].line, strlen(cases[i].line), &tok, &why);
		sp_batch_word(v, cases[i].line, strlen(cases[i].line), &why);
		if (v != cases[i].v || strstr(why.data ? why.data : "", cases[i].why) == NULL ||
		    (cases[i].why[0] == '\0' && why.len != 0)) {
			printf("not ok - %s: '%s': verdict %d '%s', expected %d '%s'\n", unit_cur,
			    cases[i].line, v, why.data ? why.data : "", cases[i].v, cases[i].why);
			unit_cur_failed = 1;
		}
	}
	sp_buf_free(&why);
	sp_schema_free(schema);
}

/* Reading a batch back: each non-blank line with its verdict, in order, over chunks. */
static void
test_batch_reader(void)
{
	static const char *lines[] = { "{\"id\":\"a\"}", "  ", "{\"id\":", "[1]", "{\"id\":2}" };
	static const int want[] = { SP_BATCH_OK, SP_BATCH_JSON, SP_BATCH_KIND, SP_BATCH_INVALID };
	char path[] = "/tmp/sp-unit-batch.XXXXXX", msg[256];
	const char *schema_text = "{\"type\":\"object\",\"required\":[\"id\"],"
	    "\"properties\":{\"id\":{\"type\":\"string\"}}}", *err = NULL;
	const struct sp_batch_chunk *c;
	struct sp_batch_reader *r;
	struct sp_batch_writer *w;
	struct sp_schema *schema;
	struct sp_objread rd;
	long n = 0, bad = 0, raw = 0;
	FILE *fp = tmpfile();
	size_t i;
	int fd, k, pass;

	CHECK((fd = mkstemp(path)) >= 0);
	CHECK(write(fd, schema_text, strlen(schema_text)) == (ssize_t)strlen(schema_text));
	close(fd);
	schema = sp_schema_load(path);
	unlink(path);
	CHECK(schema != NULL && fp != NULL);
	CHECK((w = sp_batch_open(fp, &err)) != NULL);
	for (k = 0; k < 5000; k++)	/* 20,000 records: several chunks */
		for (i = 0; i < 5; i++)
			CHECK(sp_batch_put(w, lines[i], strlen(lines[i])) == 0);
	CHECK(sp_batch_close(w, msg, sizeof msg) == 0);
	for (pass = 0; pass < 2; pass++) {
		rewind(fp);
		sp_objread_open(&rd, fp, "x/dt=1/y.ndjson.gz", 0, 1 << 20);
		r = sp_batch_read(&rd, pass == 0 ? schema : NULL);
		n = bad = raw = 0;
		while ((c = sp_batch_next(r)) != NULL) {
			for (i = 0; i < c->n; i++, n++) {
				if (c->e[i].verdict == SP_BATCH_RAW)
					raw++;
				else if (c->e[i].verdict != want[n % 4])
					bad++;
				if (c->e[i].lineno != n / 4 * 5 + n % 4 + 1 + (n % 4 > 0))
					bad++;
			}
			sp_batch_release(r);
		}
		CHECK(sp_batch_end(r) == 0);
		sp_objread_close(&rd);
		CHECK(n == 20000 && bad == 0);
		CHECK(raw == (pass == 0 ? 0 : 20000));
	}
	fclose(fp);
	sp_schema_free(schema);
}

int
main(void)
{
	RUN(test_batch_roundtrip);
	RUN(test_batch_write_error);
	RUN(test_batch_names);
	RUN(test_ledger);
	RUN(test_batch_verdict);
	RUN(test_batch_reader);
	RUN(test_lines);
	RUN(test_gzip);
	RUN(test_checksum);
	RUN(test_dupwin);
	return unit_failed != 0;
}
