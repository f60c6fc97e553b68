/* batch.h: the staged batch, the contract between sp-stage (writes) and sp-load (reads). */
#ifndef SP_BATCH_H
#define SP_BATCH_H

#include <stdio.h>

#include <libpq-fe.h>

#include "buf.h"
#include "jscan.h"
#include "objread.h"
#include "schema.h"

/*
 * A staged batch is one object in a store (store.h), named
 *
 *	DATASET/dt=YYYY-MM-DD/HHMMSS-HASH.ndjson.gz	the valid records
 *	DATASET/rejects/HHMMSS-HASH.ndjson		the rejected ones
 *
 * where the day and HHMMSS (UTC) are the latest fetched_at among the
 * records and HASH the first 16 hex digits of the SHA-256 of the text
 * written (each line with its newline, before compression): the same
 * records always name the same object, so staging them again writes
 * nothing.  A batch holds the valid lines unchanged and in order; a
 * rejects file one {"line","reason","record"} object per rejected line.
 * sp-stage writes an object atomically (store.h); sp-load reads it
 * (objread.h) and records it in raw.load_ledger; until then it is
 * pending (sp_batch_classify says which names are objects at all).
 *
 * Every line gets the same verdict at staging and at loading
 * (sp_batch_verdict): blank lines are left out; otherwise it must scan as
 * strict JSON, be an object, have acceptable text (sp_json_text_ok) and
 * satisfy the dataset's schema.
 */
enum sp_verdict {
	SP_BATCH_OK,		/* a valid record */
	SP_BATCH_JSON,		/* not strict JSON */
	SP_BATCH_KIND,		/* JSON, but not an object */
	SP_BATCH_INVALID,	/* an object the schema or the text rules refuse */
	SP_BATCH_BLANK,		/* spaces and tabs only: not a record */
	SP_BATCH_RAW		/* not checked (a rejects file's line) */
};

/*
 * sp_batch_verdict: the verdict on line[0, len) against schema.  *tok is
 * the scanned value (SP_BATCH_OK, KIND, INVALID); why receives the reason
 * for SP_BATCH_INVALID only (the cheap part: sp_batch_word words the
 * others).
 */
enum sp_verdict sp_batch_verdict(const struct sp_schema *schema, const char *line, size_t len,
    struct sp_jtok *tok, struct sp_buf *why);

/*
 * sp_batch_word: appends to why the reason a line got verdict v
 * (SP_BATCH_JSON: "invalid JSON: <jq's parser's words>" or "invalid JSON:
 * not strict JSON"; SP_BATCH_KIND: "expected a JSON object, got a
 * string"); nothing for the other verdicts.
 */
void sp_batch_word(enum sp_verdict v, const char *line, size_t len, struct sp_buf *why);

/*
 * sp_batch_name: the object's name for dataset, records whose latest
 * fetched_at is t (seconds since the epoch) and the digest of
 * the text; rejects: the rejects file's.  Malloc'd.
 */
char *sp_batch_name(const char *dataset, int rejects, long long t, const unsigned char digest[32]);

/*
 * sp_batch_classify: whether name is a staged object: a batch
 * "DATASET/dt=.../x.ndjson[.gz]" or a rejects file
 * "DATASET/rejects/x.ndjson" (*is_rejects set).  Copies DATASET into
 * dataset (dsize bytes).  Returns 1 for an object, 0 for anything else.
 */
int sp_batch_classify(const char *name, char *dataset, size_t dsize, int *is_rejects);

/*
 * The load ledger, raw.load_ledger: each object sp-load has loaded, with
 * the checksum of its bytes.  A staged object not in it is pending: what
 * the next sp-load loads, what `sp-load --pending` lists and what the
 * report counts.
 */
struct sp_ledger {
	char **row;		/* "object\tchecksum", sorted */
	size_t n;
};

/* sp_ledger_read: reads the ledger from db; 0, or -1 after sp_pg_query's message. */
int sp_ledger_read(struct sp_ledger *lg, PGconn *db);

/* sp_ledger_find: the checksum the ledger holds for object name, or NULL. */
const char *sp_ledger_find(const struct sp_ledger *lg, const char *name);

/* sp_ledger_free: frees what sp_ledger_read read (lg can be read again). */
void sp_ledger_free(struct sp_ledger *lg);

/* sp_batch_pending: whether name is a staged object the ledger lacks. */
int sp_batch_pending(const struct sp_ledger *lg, const char *name);

/*
 * The gzip writer of a batch: lines go in (sp_batch_put) and are
 * compressed in a thread of its own into out, while the caller checks the
 * next ones.  The gzip header carries no time: the same lines give the
 * same bytes.
 */
struct sp_batch_writer;

/* sp_batch_open: a writer into out (borrowed); NULL with *err set. */
struct sp_batch_writer *sp_batch_open(FILE *out, const char **err);

/*
 * sp_batch_put: adds line[0, len) and a newline.  0, or -1 once writing
 * has failed (sp_batch_close says why).
 */
int sp_batch_put(struct sp_batch_writer *w, const char *line, size_t len);

/*
 * sp_batch_close: writes what is left, ends the gzip stream and frees w.
 * 0, or -1 with the reason in err (errsize bytes).
 */
int sp_batch_close(struct sp_batch_writer *w, char *err, size_t errsize);

/*
 * Reading a batch: an object's lines (objread.h: gunzipped, hashed) get
 * their verdicts in a thread of its own while the caller turns the lines
 * checked before into rows.  Lines come in chunks of bounded size (a few
 * in flight), in order, so memory stays constant.
 */
struct sp_batch_line {
	size_t off, len;	/* the line (NUL-terminated) in the chunk's text */
	long lineno;
	int verdict;		/* enum sp_verdict; never SP_BATCH_BLANK */
	size_t x_off, x_len;	/* SP_BATCH_OK: the record's token in the line;
				   SP_BATCH_INVALID: the reason in the chunk's text */
};

struct sp_batch_chunk {
	struct sp_buf text;
	struct sp_batch_line *e;
	size_t n, cap;
};

struct sp_batch_reader;

/*
 * sp_batch_read: starts reading rd (borrowed, as is schema, until
 * sp_batch_end); schema NULL: every non-blank line is SP_BATCH_RAW.
 */
struct sp_batch_reader *sp_batch_read(struct sp_objread *rd, const struct sp_schema *schema);

/* sp_batch_next: the next chunk of lines, or NULL after the last. */
const struct sp_batch_chunk *sp_batch_next(struct sp_batch_reader *r);

/* sp_batch_release: gives the chunk sp_batch_next returned back. */
void sp_batch_release(struct sp_batch_reader *r);

/*
 * sp_batch_end: stops reading (at once, or after the chunk being filled),
 * frees r, and returns the reader's last result: -1 for an unreadable
 * object (rd->err says why), else 0 (1 when stopped before the end).
 */
int sp_batch_end(struct sp_batch_reader *r);

#endif
