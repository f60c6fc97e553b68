/* sp-stage: checks NDJSON records against a dataset's schema and stages them as one gzip batch. */
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <archive.h>
#include <archive_entry.h>

#include "buf.h"
#include "dates.h"
#include "diag.h"
#include "jscan.h"
#include "ndjson.h"
#include "paths.h"
#include "schema.h"
#include "sha256.h"
#include "store.h"

/* At most this many rejected records are reported on stderr one by one. */
#define SHOW_REJECTS 10

static void __attribute__((noreturn))
usage(FILE *fp, int status)
{
	fprintf(fp,
	    "usage: sp-stage [-v] [--store URL] DATASET [FILE]\n"
	    "Checks NDJSON records (FILE or stdin) against schemas/DATASET.schema.json\n"
	    "and stages the valid ones as one gzip batch; prints the object's name.\n"
	    "  -s, --store URL   a directory or s3://BUCKET/PREFIX (default:\n"
	    "                    $SP_STAGE_URL, else $SP_HOME/stage)\n"
	    "  -v, --verbose     say what was staged\n"
	    "  -h, --help        show this help\n"
	    "      --version     show the version\n");
	exit(status);
}

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

/*
 * The gzip writer runs in a thread of its own: deflate takes as long as
 * checking the records, and the two overlap.  The main thread gathers
 * valid lines into a batch and hands it over whole; the writer compresses
 * one batch while the next is gathered.
 */
#define ZBATCH (1u << 20)

struct zwriter {
	pthread_t th;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct archive *a;
	struct sp_buf batch;	/* handed over, waiting for the writer */
	int full, done, failed;
};

static void *
zw_main(void *arg)
{
	struct zwriter *z = arg;
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

static void
zw_start(struct zwriter *z, struct archive *a)
{
	int rc;

	memset(z, 0, sizeof *z);
	z->a = a;
	pthread_mutex_init(&z->mu, NULL);
	pthread_cond_init(&z->cv, NULL);
	if ((rc = pthread_create(&z->th, NULL, zw_main, z)) != 0)
		sp_die(SP_EXIT_DATA, "cannot start the gzip writer: %s", strerror(rc));
}

/*
 * Hands b over to the writer (waiting while it holds a batch); b comes
 * back empty.  Returns -1, handing nothing, once the writer has failed.
 */
static int
zw_put(struct zwriter *z, struct sp_buf *b)
{
	struct sp_buf t;
	int failed;

	pthread_mutex_lock(&z->mu);
	while (z->full && !z->failed)
		pthread_cond_wait(&z->cv, &z->mu);
	if (!(failed = z->failed)) {
		t = z->batch, z->batch = *b, *b = t;
		z->full = 1;
		pthread_cond_signal(&z->cv);
	}
	pthread_mutex_unlock(&z->mu);
	sp_buf_reset(b);
	return failed ? -1 : 0;
}

/* Hands the last batch over and waits for the writer; 0, or -1 if it failed. */
static int
zw_finish(struct zwriter *z, struct sp_buf *b)
{
	(void)zw_put(z, b);
	pthread_mutex_lock(&z->mu);
	z->done = 1;
	pthread_cond_signal(&z->cv);
	pthread_mutex_unlock(&z->mu);
	pthread_join(z->th, NULL);
	sp_buf_free(&z->batch);
	pthread_mutex_destroy(&z->mu);
	pthread_cond_destroy(&z->cv);
	return z->failed ? -1 : 0;	/* the writer has ended */
}

static const char *
tok_kind(int type)
{
	switch (type) {
	case SP_JSON_NULL: return "null";
	case SP_JSON_TRUE: case SP_JSON_FALSE: return "a boolean";
	case SP_JSON_NUMBER: return "a number";
	case SP_JSON_STRING: return "a string";
	case SP_JSON_ARRAY: return "an array";
	default: return "an object";
	}
}

/* The record's fetched_at (checked by the schema) in seconds; -1 if none. */
static long long
fetched_at(const struct sp_jtok *rec, struct sp_buf *tmp)
{
	struct sp_jiter it;
	struct sp_jtok k, v;

	sp_jiter_init(&it, rec);
	while (sp_jiter_next(&it, &k, &v))
		if (v.type == SP_JSON_STRING && sp_jstr_eq(&k, "fetched_at")) {
			int64_t us;

			sp_buf_reset(tmp);
			sp_jstr_decode(&v, tmp);
			if (tmp->data == NULL || sp_time_parse(tmp->data, tmp->len, &us) != 0)
				return -1;
			return us >= 0 ? us / 1000000 : -1;
		}
	return -1;
}

static int
dataset_ok(const char *s)
{
	if (*s == '\0' || strlen(s) > 64)
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_' || *s == '-'))
			return 0;
	return 1;
}

/* "DATASET/dt=YYYY-MM-DD/HHMMSS-HASH16" + suffix for time t and digest d. */
static char *
object_name(const char *dataset, const char *dir, long long t, const unsigned char d[32],
    const char *suffix)
{
	struct sp_buf b = { 0 };
	char hex[65], day[16], hms[16];
	time_t tt = (time_t)t;
	struct tm tm;

	gmtime_r(&tt, &tm);
	strftime(day, sizeof day, "%Y-%m-%d", &tm);
	strftime(hms, sizeof hms, "%H%M%S", &tm);
	sp_sha256_hex(d, hex);
	if (dir != NULL)
		sp_buf_printf(&b, "%s/%s/%s-%.16s%s", dataset, dir, hms, hex, suffix);
	else
		sp_buf_printf(&b, "%s/dt=%s/%s-%.16s%s", dataset, day, hms, hex, suffix);
	return sp_buf_detach(&b, NULL);
}

/*
 * sp-stage reads NDJSON records (FILE or stdin), checks each against
 * schemas/DATASET.schema.json, and writes the valid ones, unchanged and in
 * order, as one gzip object DATASET/dt=YYYY-MM-DD/HHMMSS-HASH.ndjson.gz in
 * the store: the time is the latest fetched_at among them and HASH the
 * SHA-256 of their text, so staging the same records again names the same
 * object and writes nothing.  The object is written atomically (a
 * temporary file, fsync, link, fsync of the directory; or an S3 PUT).  Its
 * name goes to stdout; nothing is written for an input without valid
 * records.  Rejected records go to DATASET/rejects/HHMMSS-HASH.ndjson
 * ({"line","reason","record"} each) and to stderr.  Exit status: 0 ok; 1
 * some records rejected (the valid ones are staged), bad input or local
 * I/O; 2 usage or unknown dataset; 3 the S3 store failed.
 */
int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "store", required_argument, NULL, 's' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	const char *store_url = NULL, *dataset, *input;
	struct sp_buf reason = { 0 }, rej = { 0 }, path = { 0 }, tbuf = { 0 }, zb = { 0 };
	struct zwriter zw;
	struct sp_jtok tok;
	struct sp_sha256 hash, rhash;
	struct sp_lines in;
	struct sp_schema *schema;
	struct sp_store *st;
	struct archive *a;
	struct archive_entry *ent;
	FILE *out, *rfp = NULL;
	long long latest = -1, rlatest = -1;
	long nvalid = 0, nrej = 0, total = 0;
	int c, verbose = 0, status = 0;
	unsigned char digest[32];
	char *line, *shared, *name = NULL;
	size_t len;

	sp_init(argv[0]);
	while ((c = getopt_long(argc, argv, "hs:v", longopts, NULL)) != -1) {
		switch (c) {
		case 'h': usage(stdout, 0);
		case 's': store_url = optarg; break;
		case 'v': verbose = 1; break;
		case 'V': sp_version();
		default: usage(stderr, SP_EXIT_USAGE);
		}
	}
	if (argc - optind < 1 || argc - optind > 2) {
		usage(stderr, SP_EXIT_USAGE);
	}
	dataset = argv[optind];
	input = argc - optind == 2 ? argv[optind + 1] : NULL;
	if (!dataset_ok(dataset))
		sp_die(SP_EXIT_USAGE, "'%s': not a dataset name (letters, digits, '_', '-')", dataset);
	sp_buf_printf(&path, "schemas/%s.schema.json", dataset);
	shared = sp_share_path(path.data);
	{
		struct stat sb;

		if (stat(shared, &sb) != 0) {
			sp_warn("unknown dataset '%s': no %s", dataset, shared);
			exit(SP_EXIT_USAGE);
		}
	}
	if ((schema = sp_schema_load(shared)) == NULL)
		exit(SP_EXIT_DATA);
	free(shared);
	if (sp_lines_open(&in, input) != 0)
		exit(SP_EXIT_DATA);
	st = sp_store_open(store_url);

	sp_buf_reset(&path);
	sp_buf_printf(&path, "%s/.pending", dataset);
	if ((out = sp_store_begin(st, path.data)) == NULL)
		exit(sp_store_status(st));
	a = archive_write_new();
	if (archive_write_add_filter_gzip(a) != ARCHIVE_OK ||
	    archive_write_set_format_raw(a) != ARCHIVE_OK ||
	    /* No time in the gzip header: the same records give the same bytes. */
	    archive_write_set_filter_option(a, "gzip", "timestamp", NULL) != ARCHIVE_OK ||
	    archive_write_set_bytes_in_last_block(a, 1) != ARCHIVE_OK ||
	    archive_write_open(a, out, NULL, on_write, NULL) != ARCHIVE_OK)
		sp_die(SP_EXIT_DATA, "gzip writer: %s", archive_error_string(a));
	ent = archive_entry_new();
	archive_entry_set_pathname(ent, "batch.ndjson");
	archive_entry_set_filetype(ent, AE_IFREG);
	if (archive_write_header(a, ent) != ARCHIVE_OK)
		sp_die(SP_EXIT_DATA, "gzip writer: %s", archive_error_string(a));
	archive_entry_free(ent);
	sp_sha256_init(&hash);
	sp_sha256_init(&rhash);
	zw_start(&zw, a);

	while ((line = sp_lines_next(&in, &len)) != NULL) {
		size_t b = 0, e = len;

		while (b < e && (line[b] == ' ' || line[b] == '\t'))
			b++;
		while (e > b && (line[e - 1] == ' ' || line[e - 1] == '\t'))
			e--;
		if (b == e)
			continue;
		total++;
		sp_buf_reset(&reason);
		if (sp_jscan(line + b, e - b, &tok) != 0) {
			/* jq's parser words the reason (and rejects what jscan rejects). */
			jv v = sp_jv_parse(line + b, e - b);
			jv msg = jv_is_valid(v) ? jv_string("not strict JSON") : jv_invalid_get_msg(v);

			if (jv_is_valid(v))
				jv_free(v);
			sp_buf_printf(&reason, "invalid JSON: %s",
			    jv_get_kind(msg) == JV_KIND_STRING ? jv_string_value(msg) : "parse error");
			jv_free(msg);
		} else if (tok.type != SP_JSON_OBJECT) {
			sp_buf_printf(&reason, "expected a JSON object, got %s", tok_kind(tok.type));
		} else if (!sp_json_text_ok(line + b, e - b, &reason)) {
			/* reason set */
		} else if (sp_schema_check_text(schema, &tok, &reason) == 0) {
			long long t = fetched_at(&tok, &tbuf);

			if (t > latest)
				latest = t;
			line[e] = '\n';
			sp_buf_add(&zb, line + b, e - b + 1);
			if (zb.len >= ZBATCH && zw_put(&zw, &zb) != 0)
				break;	/* the writer's error is reported below */
			sp_sha256_update(&hash, line + b, e - b + 1);
			nvalid++;
			continue;
		}
		/* A rejected record. */
		if (++nrej <= SHOW_REJECTS)
			sp_warn_at(in.name, in.lineno, "%s", reason.data);
		if (rfp == NULL && (rfp = tmpfile()) == NULL)
			sp_die(SP_EXIT_DATA, "cannot create a temporary file: %s", strerror(errno));
		sp_buf_reset(&rej);
		sp_buf_printf(&rej, "{\"line\":%ld,\"reason\":", in.lineno);
		sp_buf_json_str(&rej, reason.data, reason.len);
		sp_buf_adds(&rej, ",\"record\":");
		sp_buf_json_str(&rej, line + b, e - b);
		sp_buf_adds(&rej, "}\n");
		if (fwrite(rej.data, 1, rej.len, rfp) != rej.len)
			sp_die(SP_EXIT_DATA, "temporary file: %s", strerror(errno));
		sp_sha256_update(&rhash, rej.data, rej.len);
	}
	sp_lines_close(&in);
	if (zw_finish(&zw, &zb) != 0 || archive_write_close(a) != ARCHIVE_OK) {
		sp_warn("%s: %s", sp_store_url(st), archive_error_string(a));
		archive_write_free(a);
		sp_store_abort(st, out);
		exit(SP_EXIT_DATA);
	}
	archive_write_free(a);

	if (nvalid == 0) {
		sp_store_abort(st, out);
	} else {
		int rc;

		sp_sha256_final(&hash, digest);
		name = object_name(dataset, NULL, latest, digest, ".ndjson.gz");
		rc = sp_store_exists(st, name);
		if (rc == 1) {
			sp_store_abort(st, out);
			if (verbose)
				sp_warn("%s: already staged", name);
		} else if (rc == 0) {
			rc = sp_store_commit(st, out, name);
			if (rc < 0)
				exit(sp_store_status(st));
			if (verbose)
				sp_warn("%s: %s %ld %s", name, rc == 1 ? "already staged," : "staged",
				    nvalid, sp_plural(nvalid, "record", "records"));
		} else {
			sp_store_abort(st, out);
			exit(sp_store_status(st));
		}
	}
	if (nrej > 0) {
		char *rname;
		FILE *w;
		char tmp[65536];
		size_t n;

		/* Named by content alone when nothing was valid: a rerun finds it. */
		rlatest = latest >= 0 ? latest : 0;
		sp_sha256_final(&rhash, digest);
		rname = object_name(dataset, "rejects", rlatest, digest, ".ndjson");
		sp_buf_reset(&path);
		sp_buf_printf(&path, "%s/rejects/.pending", dataset);
		if ((w = sp_store_begin(st, path.data)) == NULL)
			exit(sp_store_status(st));
		rewind(rfp);
		while ((n = fread(tmp, 1, sizeof tmp, rfp)) > 0)
			if (fwrite(tmp, 1, n, w) != n) {
				sp_warn("%s: %s", sp_store_url(st), strerror(errno));
				sp_store_abort(st, w);
				exit(SP_EXIT_DATA);
			}
		fclose(rfp);
		if (sp_store_commit(st, w, rname) < 0)
			exit(sp_store_status(st));
		if (nrej > SHOW_REJECTS)
			sp_warn("%ld more %s rejected", nrej - SHOW_REJECTS,
			    sp_plural(nrej - SHOW_REJECTS, "record", "records"));
		sp_warn("%ld of %ld %s rejected; see %s/%s", nrej, total,
		    sp_plural(total, "record", "records"), sp_store_url(st), rname);
		free(rname);
		status = SP_EXIT_DATA;
	}
	if (name != NULL)
		printf("%s\n", name);
	free(name);
	sp_buf_free(&reason);
	sp_buf_free(&rej);
	sp_buf_free(&path);
	sp_buf_free(&tbuf);
	sp_buf_free(&zb);
	sp_schema_free(schema);
	sp_store_close(st);
	return status;
}
