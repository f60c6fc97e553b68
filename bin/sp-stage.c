/* sp-stage: checks NDJSON records against a dataset's schema and stages them as one gzip batch. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "batch.h"
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
struct stage {
	const char *dataset;
	struct sp_schema *schema;
	struct sp_store *st;
	struct sp_lines in;
	struct sp_batch_writer *w;
	FILE *out;		/* the batch's temporary object */
	FILE *rfp;		/* the rejects, until they are staged */
	struct sp_sha256 hash, rhash;
	long long latest;	/* the latest fetched_at of the valid records */
	long nvalid, nrej, total;
	int verbose;
};

/* The dataset's schema; exits 2 for an unknown dataset. */
static struct sp_schema *
open_schema(const char *dataset)
{
	struct sp_buf path = { 0 };
	struct sp_schema *schema;
	struct stat sb;
	char *shared;

	if (!dataset_ok(dataset))
		sp_die(SP_EXIT_USAGE, "'%s': not a dataset name (letters, digits, '_', '-')", dataset);
	sp_buf_printf(&path, "schemas/%s.schema.json", dataset);
	shared = sp_share_path(path.data);
	sp_buf_free(&path);
	if (stat(shared, &sb) != 0) {
		sp_warn("unknown dataset '%s': no %s", dataset, shared);
		exit(SP_EXIT_USAGE);
	}
	if ((schema = sp_schema_load(shared)) == NULL)
		exit(SP_EXIT_DATA);
	free(shared);
	return schema;
}

/* Keeps a rejected line, with its reason, for the rejects file. */
static void
reject(struct stage *S, const char *line, size_t len, const struct sp_buf *reason,
    struct sp_buf *rej)
{
	if (++S->nrej <= SHOW_REJECTS)
		sp_warn_at(S->in.name, S->in.lineno, "%s", reason->data);
	if (S->rfp == NULL && (S->rfp = tmpfile()) == NULL)
		sp_die(SP_EXIT_DATA, "cannot create a temporary file: %s", strerror(errno));
	sp_buf_reset(rej);
	sp_buf_printf(rej, "{\"line\":%ld,\"reason\":", S->in.lineno);
	sp_buf_json_str(rej, reason->data, reason->len);
	sp_buf_adds(rej, ",\"record\":");
	sp_buf_json_str(rej, line, len);
	sp_buf_adds(rej, "}\n");
	if (fwrite(rej->data, 1, rej->len, S->rfp) != rej->len)
		sp_die(SP_EXIT_DATA, "temporary file: %s", strerror(errno));
	sp_sha256_update(&S->rhash, rej->data, rej->len);
}

/* Reads every line: the valid ones into the batch, the others to the rejects. */
static void
check_lines(struct stage *S)
{
	struct sp_buf reason = { 0 }, rej = { 0 }, tbuf = { 0 };
	struct sp_jtok tok;
	enum sp_verdict v;
	char *line;
	size_t len, b, e;

	while ((line = sp_lines_next(&S->in, &len)) != NULL) {
		b = 0, e = len;
		while (b < e && (line[b] == ' ' || line[b] == '\t'))
			b++;
		while (e > b && (line[e - 1] == ' ' || line[e - 1] == '\t'))
			e--;
		sp_buf_reset(&reason);
		if ((v = sp_batch_verdict(S->schema, line + b, e - b, &tok, &reason)) == SP_BATCH_BLANK)
			continue;
		S->total++;
		if (v == SP_BATCH_OK) {
			long long t = fetched_at(&tok, &tbuf);

			if (t > S->latest)
				S->latest = t;
			if (sp_batch_put(S->w, line + b, e - b) != 0)
				break;	/* the writer's error is reported by finish_batch */
			sp_sha256_update(&S->hash, line + b, e - b);
			sp_sha256_update(&S->hash, "\n", 1);
			S->nvalid++;
			continue;
		}
		sp_batch_word(v, line + b, e - b, &reason);
		reject(S, line + b, e - b, &reason, &rej);
	}
	sp_buf_free(&reason);
	sp_buf_free(&rej);
	sp_buf_free(&tbuf);
}

/* Ends the batch and stages it under its name (none when nothing was valid). */
static char *
finish_batch(struct stage *S)
{
	unsigned char digest[32];
	char err[256], *name;
	int rc;

	if (sp_batch_close(S->w, err, sizeof err) != 0) {
		sp_warn("%s: %s", sp_store_url(S->st), err);
		sp_store_abort(S->st, S->out);
		exit(SP_EXIT_DATA);
	}
	if (S->nvalid == 0) {
		sp_store_abort(S->st, S->out);
		return NULL;
	}
	sp_sha256_final(&S->hash, digest);
	name = sp_batch_name(S->dataset, 0, S->latest, digest);
	rc = sp_store_exists(S->st, name);
	if (rc == 1) {
		sp_store_abort(S->st, S->out);
		if (S->verbose)
			sp_warn("%s: already staged", name);
	} else if (rc == 0) {
		if ((rc = sp_store_commit(S->st, S->out, name)) < 0)
			exit(sp_store_status(S->st));
		if (S->verbose)
			sp_warn("%s: %s %ld %s", name, rc == 1 ? "already staged," : "staged",
			    S->nvalid, sp_plural(S->nvalid, "record", "records"));
	} else {
		sp_store_abort(S->st, S->out);
		exit(sp_store_status(S->st));
	}
	return name;
}

/*
 * Stages the rejects file, named by content alone when nothing was valid
 * (so a rerun finds it).
 */
static void
stage_rejects(struct stage *S)
{
	struct sp_buf path = { 0 };
	unsigned char digest[32];
	char tmp[65536], *rname;
	size_t n;
	FILE *w;

	sp_sha256_final(&S->rhash, digest);
	rname = sp_batch_name(S->dataset, 1, S->latest >= 0 ? S->latest : 0, digest);
	sp_buf_printf(&path, "%s/rejects/.pending", S->dataset);
	if ((w = sp_store_begin(S->st, path.data)) == NULL)
		exit(sp_store_status(S->st));
	sp_buf_free(&path);
	rewind(S->rfp);
	while ((n = fread(tmp, 1, sizeof tmp, S->rfp)) > 0)
		if (fwrite(tmp, 1, n, w) != n) {
			sp_warn("%s: %s", sp_store_url(S->st), strerror(errno));
			sp_store_abort(S->st, w);
			exit(SP_EXIT_DATA);
		}
	fclose(S->rfp);
	if (sp_store_commit(S->st, w, rname) < 0)
		exit(sp_store_status(S->st));
	if (S->nrej > SHOW_REJECTS)
		sp_warn("%ld more %s rejected", S->nrej - SHOW_REJECTS,
		    sp_plural(S->nrej - SHOW_REJECTS, "record", "records"));
	sp_warn("%ld of %ld %s rejected; see %s/%s", S->nrej, S->total,
	    sp_plural(S->total, "record", "records"), sp_store_url(S->st), rname);
	free(rname);
}

/*
 * sp-stage reads NDJSON records (FILE or stdin), checks each against
 * schemas/DATASET.schema.json, and stages the valid ones, unchanged and in
 * order, as one batch, named and written as batch.h describes.  Its name
 * goes to stdout; nothing is written for an input without valid records.
 * Rejected records go to the dataset's rejects file and to stderr.  Exit
 * status: 0 ok; 1 some records rejected (the valid ones are staged), bad
 * input or local I/O; 2 usage or unknown dataset; 3 the S3 store failed.
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
	struct stage S = { .latest = -1 };
	struct sp_buf path = { 0 };
	const char *store_url = NULL, *err;
	char *name;
	int c;

	sp_init(argv[0]);
	while ((c = getopt_long(argc, argv, "hs:v", longopts, NULL)) != -1) {
		switch (c) {
		case 'h': usage(stdout, 0);
		case 's': store_url = optarg; break;
		case 'v': S.verbose = 1; break;
		case 'V': sp_version();
		default: usage(stderr, SP_EXIT_USAGE);
		}
	}
	if (argc - optind < 1 || argc - optind > 2)
		usage(stderr, SP_EXIT_USAGE);
	S.dataset = argv[optind];
	S.schema = open_schema(S.dataset);
	if (sp_lines_open(&S.in, argc - optind == 2 ? argv[optind + 1] : NULL) != 0)
		exit(SP_EXIT_DATA);
	S.st = sp_store_open(store_url);
	sp_buf_printf(&path, "%s/.pending", S.dataset);
	if ((S.out = sp_store_begin(S.st, path.data)) == NULL)
		exit(sp_store_status(S.st));
	sp_buf_free(&path);
	if ((S.w = sp_batch_open(S.out, &err)) == NULL)
		sp_die(SP_EXIT_DATA, "gzip writer: %s", err);
	sp_sha256_init(&S.hash);
	sp_sha256_init(&S.rhash);

	check_lines(&S);
	sp_lines_close(&S.in);
	name = finish_batch(&S);
	if (S.nrej > 0)
		stage_rejects(&S);
	if (name != NULL)
		printf("%s\n", name);
	free(name);
	sp_schema_free(S.schema);
	sp_store_close(S.st);
	return S.nrej > 0 ? SP_EXIT_DATA : 0;
}
