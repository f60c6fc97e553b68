/* batch.c: the staged batch (see batch.h). */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <archive.h>
#include <archive_entry.h>

#include "batch.h"
#include "diag.h"
#include "ndjson.h"
#include "pg.h"
#include "sha256.h"

enum sp_verdict
sp_batch_verdict(const struct sp_schema *schema, const char *line, size_t len,
    struct sp_jtok *tok, struct sp_buf *why)
{
	size_t k = 0;

	while (k < len && (line[k] == ' ' || line[k] == '\t'))
		k++;
	if (k == len)
		return SP_BATCH_BLANK;
	if (sp_jscan(line, len, tok) != 0)
		return SP_BATCH_JSON;
	if (tok->type != SP_JSON_OBJECT)
		return SP_BATCH_KIND;
	if (!sp_json_text_ok(line, len, why) || sp_schema_check_text(schema, tok, why) != 0)
		return SP_BATCH_INVALID;
	return SP_BATCH_OK;
}

void
sp_batch_word(enum sp_verdict v, const char *line, size_t len, struct sp_buf *why)
{
	jv val, msg;

	if (v != SP_BATCH_JSON && v != SP_BATCH_KIND)
		return;
	val = sp_jv_parse(line, len);
	if (v == SP_BATCH_KIND) {
		sp_buf_printf(why, "expected a JSON object, got %s",
		    jv_is_valid(val) ? sp_jv_kind_name(jv_get_kind(val)) : "nothing");
		jv_free(val);
		return;
	}
	/* jq's parser words the reason (and rejects what jscan rejects). */
	msg = jv_is_valid(val) ? jv_string("not strict JSON") : jv_invalid_get_msg(val);
	if (jv_is_valid(val))
		jv_free(val);
	sp_buf_printf(why, "invalid JSON: %s",
	    jv_get_kind(msg) == JV_KIND_STRING ? jv_string_value(msg) : "parse error");
	jv_free(msg);
}

char *
sp_batch_name(const char *dataset, int rejects, long long t, const unsigned char digest[32])
{
	struct sp_buf b = { 0 };
	char hex[65], day[16], hms[16];
	time_t tt = (time_t)t;
	struct tm tm;

	gmtime_r(&tt, &tm);
	strftime(day, sizeof day, "%Y-%m-%d", &tm);
	strftime(hms, sizeof hms, "%H%M%S", &tm);
	sp_sha256_hex(digest, hex);
	if (rejects)
		sp_buf_printf(&b, "%s/rejects/%s-%.16s.ndjson", dataset, hms, hex);
	else
		sp_buf_printf(&b, "%s/dt=%s/%s-%.16s.ndjson.gz", dataset, day, hms, hex);
	return sp_buf_detach(&b, NULL);
}

int
sp_batch_classify(const char *name, char *dataset, size_t dsize, int *is_rejects)
{
	const char *slash = strchr(name, '/'), *last = strrchr(name, '/');
	size_t l = strlen(name);

	*is_rejects = 0;
	if (slash == NULL || (size_t)(slash - name) >= dsize)
		return 0;
	memcpy(dataset, name, (size_t)(slash - name));
	dataset[slash - name] = '\0';
	if (!(l > 7 && strcmp(name + l - 7, ".ndjson") == 0) &&
	    !(l > 10 && strcmp(name + l - 10, ".ndjson.gz") == 0))
		return 0;
	*is_rejects = strncmp(slash + 1, "rejects/", 8) == 0 && last == slash + 8;
	return *is_rejects || strncmp(slash + 1, "dt=", 3) == 0;
}

static int
cmp_row(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
sp_ledger_read(struct sp_ledger *lg, PGconn *db)
{
	PGresult *r = sp_pg_query(db, "select object, checksum from raw.load_ledger", 0, NULL);
	int i;

	lg->row = NULL;
	lg->n = 0;
	if (r == NULL)
		return -1;
	lg->row = sp_xcalloc((size_t)PQntuples(r) + 1, sizeof *lg->row);
	for (i = 0; i < PQntuples(r); i++) {
		struct sp_buf b = { 0 };

		sp_buf_printf(&b, "%s\t%s", PQgetvalue(r, i, 0), PQgetvalue(r, i, 1));
		lg->row[lg->n++] = sp_buf_detach(&b, NULL);
	}
	PQclear(r);
	qsort(lg->row, lg->n, sizeof *lg->row, cmp_row);
	return 0;
}

const char *
sp_ledger_find(const struct sp_ledger *lg, const char *name)
{
	size_t lo = 0, hi = lg->n, n = strlen(name);

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strncmp(lg->row[mid], name, n);

		/* "name\t..." sorts by the byte after name; '\t' ends it. */
		if (c == 0 && lg->row[mid][n] != '\t')
			c = (unsigned char)lg->row[mid][n] < '\t' ? -1 : 1;
		if (c == 0)
			return lg->row[mid] + n + 1;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

void
sp_ledger_free(struct sp_ledger *lg)
{
	size_t i;

	for (i = 0; i < lg->n; i++)
		free(lg->row[i]);
	free(lg->row);
	lg->row = NULL;
	lg->n = 0;
}

int
sp_batch_pending(const struct sp_ledger *lg, const char *name)
{
	char dataset[128];
	int is_rejects;

	return sp_batch_classify(name, dataset, sizeof dataset, &is_rejects) &&
	    sp_ledger_find(lg, name) == NULL;
}

/*
 * The writer: deflate takes as long as checking the records, and the two
 * overlap.  The caller gathers lines into a batch of about ZBATCH bytes
 * and hands it over whole; the thread compresses one batch while the next
 * is gathered.
 */
#define ZBATCH (1u << 20)

struct sp_batch_writer {
	pthread_t th;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct archive *a;
	struct sp_buf gather;	/* the caller's batch */
	struct sp_buf batch;	/* handed over, waiting for the thread */
	int full, done, failed;
};

/* The gzip writer's sink: the store's temporary file. */
static la_ssize_t
on_write(struct archive *a, void *arg, const void *p, size_t n)
{
	FILE *fp = arg;

	if (fwrite(p, 1, n, fp) != n) {
		archive_set_error(a, errno ? errno : EIO, "%s", strerror(errno ? errno : EIO));
		return -1;
	}
	return (la_ssize_t)n;
}

static void *
writer_main(void *arg)
{
	struct sp_batch_writer *z = arg;
	struct sp_buf mine = { 0 }, t;

	for (;;) {
		pthread_mutex_lock(&z->mu);
		while (!z->full && !z->done)
			pthread_cond_wait(&z->cv, &z->mu);
		if (!z->full) {
			pthread_mutex_unlock(&z->mu);
			break;
		}
		t = mine, mine = z->batch, z->batch = t;
		z->full = 0;
		pthread_cond_signal(&z->cv);
		pthread_mutex_unlock(&z->mu);
		/* After a failure the rest is only drained (only this thread sets failed). */
		if (!z->failed && mine.len > 0 &&
		    archive_write_data(z->a, mine.data, mine.len) != (la_ssize_t)mine.len) {
			pthread_mutex_lock(&z->mu);
			z->failed = 1;
			pthread_mutex_unlock(&z->mu);
		}
		sp_buf_reset(&mine);
	}
	sp_buf_free(&mine);
	return NULL;
}

struct sp_batch_writer *
sp_batch_open(FILE *out, const char **err)
{
	static char msg[256];
	struct sp_batch_writer *z = sp_xcalloc(1, sizeof *z);
	struct archive_entry *ent;
	int rc;

	z->a = archive_write_new();
	if (archive_write_add_filter_gzip(z->a) != ARCHIVE_OK ||
	    archive_write_set_format_raw(z->a) != ARCHIVE_OK ||
	    archive_write_set_filter_option(z->a, "gzip", "timestamp", NULL) != ARCHIVE_OK ||
	    archive_write_set_bytes_in_last_block(z->a, 1) != ARCHIVE_OK ||
	    archive_write_open(z->a, out, NULL, on_write, NULL) != ARCHIVE_OK)
		goto fail;
	ent = archive_entry_new();
	archive_entry_set_pathname(ent, "batch.ndjson");
	archive_entry_set_filetype(ent, AE_IFREG);
	rc = archive_write_header(z->a, ent);
	archive_entry_free(ent);
	if (rc != ARCHIVE_OK)
		goto fail;
	pthread_mutex_init(&z->mu, NULL);
	pthread_cond_init(&z->cv, NULL);
	if ((rc = pthread_create(&z->th, NULL, writer_main, z)) != 0)
		sp_die(SP_EXIT_DATA, "cannot start the gzip writer: %s", strerror(rc));
	return z;
fail:
	snprintf(msg, sizeof msg, "%s", archive_error_string(z->a) ? archive_error_string(z->a) :
	    "cannot start a gzip stream");
	*err = msg;
	archive_write_free(z->a);
	free(z);
	return NULL;
}

/* Hands the gathered batch over (waiting while the thread holds one). */
static int
hand_over(struct sp_batch_writer *z)
{
	struct sp_buf t;
	int failed;

	pthread_mutex_lock(&z->mu);
	while (z->full && !z->failed)
		pthread_cond_wait(&z->cv, &z->mu);
	if (!(failed = z->failed)) {
		t = z->batch, z->batch = z->gather, z->gather = t;
		z->full = 1;
		pthread_cond_signal(&z->cv);
	}
	pthread_mutex_unlock(&z->mu);
	sp_buf_reset(&z->gather);
	return failed ? -1 : 0;
}

int
sp_batch_put(struct sp_batch_writer *z, const char *line, size_t len)
{
	sp_buf_add(&z->gather, line, len);
	sp_buf_addc(&z->gather, '\n');
	return z->gather.len >= ZBATCH ? hand_over(z) : 0;
}

int
sp_batch_close(struct sp_batch_writer *z, char *err, size_t errsize)
{
	int failed;

	(void)hand_over(z);
	pthread_mutex_lock(&z->mu);
	z->done = 1;
	pthread_cond_signal(&z->cv);
	pthread_mutex_unlock(&z->mu);
	pthread_join(z->th, NULL);
	/* The thread has ended: failed is ours to read. */
	failed = z->failed || archive_write_close(z->a) != ARCHIVE_OK;
	if (failed)
		snprintf(err, errsize, "%s", archive_error_string(z->a) ? archive_error_string(z->a) :
		    "write error");
	archive_write_free(z->a);
	sp_buf_free(&z->gather);
	sp_buf_free(&z->batch);
	pthread_mutex_destroy(&z->mu);
	pthread_cond_destroy(&z->cv);
	free(z);
	return failed ? -1 : 0;
}

/* ---- reading a batch: verdicts in a thread of their own ---- */

/*
 * Reading an object (gunzip, SHA-256) and checking its lines (strict JSON,
 * UTF-8, the dataset's schema) take about half of a load's time; the
 * reader's thread does them while the caller turns the lines checked
 * before into rows and sends them.
 */
#define NCHUNK 4
#define CHUNK_BYTES (1u << 20)
#define CHUNK_LINES 4096

struct sp_batch_reader {
	pthread_t th;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct sp_batch_chunk b[NCHUNK];
	unsigned long filled, used;	/* chunks handed over, and given back */
	int done, stop, r;	/* r: the object reader's last result (0 or -1) */
	struct sp_objread *rd;
	const struct sp_schema *schema;	/* NULL: lines go unchecked */
};

static void
chunk_add(struct sp_batch_chunk *b, const char *line, size_t len, long lineno, int verdict,
    size_t x_off, size_t x_len)
{
	struct sp_batch_line *e;

	if (b->n == b->cap)
		b->e = sp_xreallocarray(b->e, b->cap = b->cap ? 2 * b->cap : 256, sizeof *b->e);
	e = &b->e[b->n++];
	e->off = b->text.len;
	e->len = len;
	e->lineno = lineno;
	e->verdict = verdict;
	e->x_off = x_off;
	e->x_len = x_len;
	sp_buf_add(&b->text, line, len);
	sp_buf_addc(&b->text, '\0');
}

/* The verdict on the reader's current line, into chunk b (a blank line is left out). */
static void
check_line(struct sp_batch_reader *ck, struct sp_batch_chunk *b, struct sp_buf *why)
{
	const char *line = ck->rd->line.data;
	size_t len = ck->rd->line.len, k = 0, at;
	long lineno = ck->rd->lineno;
	struct sp_jtok tok;
	enum sp_verdict v;

	if (ck->schema == NULL) {
		while (k < len && (line[k] == ' ' || line[k] == '\t'))
			k++;
		if (k < len)
			chunk_add(b, line, len, lineno, SP_BATCH_RAW, 0, 0);
		return;
	}
	sp_buf_reset(why);
	if ((v = sp_batch_verdict(ck->schema, line, len, &tok, why)) == SP_BATCH_BLANK)
		return;
	if (v != SP_BATCH_INVALID) {
		/* The reasons of the others are worded when they are rejected. */
		chunk_add(b, line, len, lineno, (int)v, v == SP_BATCH_OK ? (size_t)(tok.p - line) : 0,
		    v == SP_BATCH_OK ? tok.len : 0);
		return;
	}
	chunk_add(b, line, len, lineno, SP_BATCH_INVALID, 0, 0);
	at = b->text.len;
	sp_buf_add(&b->text, why->data ? why->data : "", why->len);
	sp_buf_addc(&b->text, '\0');
	b->e[b->n - 1].x_off = at;
	b->e[b->n - 1].x_len = why->len;
}

static void *
reader_main(void *arg)
{
	struct sp_batch_reader *ck = arg;
	struct sp_buf why = { 0 };
	int r = 1;

	while (r > 0) {
		struct sp_batch_chunk *b;

		pthread_mutex_lock(&ck->mu);
		while (!ck->stop && ck->filled - ck->used == NCHUNK)
			pthread_cond_wait(&ck->cv, &ck->mu);
		b = ck->stop ? NULL : &ck->b[ck->filled % NCHUNK];
		pthread_mutex_unlock(&ck->mu);
		if (b == NULL)
			break;
		sp_buf_reset(&b->text);
		b->n = 0;
		while (b->text.len < CHUNK_BYTES && b->n < CHUNK_LINES &&
		    (r = sp_objread_line(ck->rd)) > 0)
			check_line(ck, b, &why);
		pthread_mutex_lock(&ck->mu);
		ck->filled++;
		if (r <= 0) {
			ck->done = 1;
			ck->r = r;
		}
		pthread_cond_broadcast(&ck->cv);
		pthread_mutex_unlock(&ck->mu);
	}
	sp_buf_free(&why);
	return NULL;
}

struct sp_batch_reader *
sp_batch_read(struct sp_objread *rd, const struct sp_schema *schema)
{
	struct sp_batch_reader *ck = sp_xcalloc(1, sizeof *ck);
	int e;

	ck->rd = rd;
	ck->schema = schema;
	pthread_mutex_init(&ck->mu, NULL);
	pthread_cond_init(&ck->cv, NULL);
	if ((e = pthread_create(&ck->th, NULL, reader_main, ck)) != 0)
		sp_die(SP_EXIT_DATA, "cannot start a thread: %s", strerror(e));
	return ck;
}

const struct sp_batch_chunk *
sp_batch_next(struct sp_batch_reader *ck)
{
	const struct sp_batch_chunk *b;

	pthread_mutex_lock(&ck->mu);
	while (ck->filled == ck->used && !ck->done)
		pthread_cond_wait(&ck->cv, &ck->mu);
	b = ck->filled == ck->used ? NULL : &ck->b[ck->used % NCHUNK];
	pthread_mutex_unlock(&ck->mu);
	return b;
}

void
sp_batch_release(struct sp_batch_reader *ck)
{
	pthread_mutex_lock(&ck->mu);
	ck->used++;
	pthread_cond_broadcast(&ck->cv);
	pthread_mutex_unlock(&ck->mu);
}

int
sp_batch_end(struct sp_batch_reader *ck)
{
	int i, r;

	pthread_mutex_lock(&ck->mu);
	ck->stop = 1;
	pthread_cond_broadcast(&ck->cv);
	pthread_mutex_unlock(&ck->mu);
	pthread_join(ck->th, NULL);
	r = ck->done ? ck->r : 1;
	for (i = 0; i < NCHUNK; i++) {
		sp_buf_free(&ck->b[i].text);
		free(ck->b[i].e);
	}
	pthread_mutex_destroy(&ck->mu);
	pthread_cond_destroy(&ck->cv);
	free(ck);
	return r;
}
