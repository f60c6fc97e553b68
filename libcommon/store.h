/* store.h: where staged objects live: a local directory or an S3 bucket. */
#ifndef SP_STORE_H
#define SP_STORE_H

#include <stddef.h>
#include <stdio.h>

/*
 * A store holds objects by name ("plays/dt=2026-11-27/054930-<hash>.ndjson.gz",
 * always relative to the store's root).  A local store is a directory;
 * an S3 store is "s3://bucket/prefix", reached at $SP_S3_ENDPOINT (default
 * https://s3.$AWS_REGION.amazonaws.com, path-style) and signed with AWS
 * SigV4 by libcurl from $AWS_ACCESS_KEY_ID, $AWS_SECRET_ACCESS_KEY and
 * $AWS_REGION (default us-east-1).
 *
 * Functions returning int give 0 on success and -1 after printing what
 * failed; sp_store_status then says which exit status fits: SP_EXIT_DATA
 * for local I/O, SP_EXIT_UPSTREAM for the S3 server.
 */
struct sp_store;

/*
 * sp_store_open: url is a directory path, "file://DIR" or "s3://bucket[/prefix]";
 * NULL or empty means $SP_STAGE_URL, else sp_home()/stage.  Exits 2 for a
 * malformed URL or missing S3 credentials.  Free with sp_store_close.
 */
struct sp_store *sp_store_open(const char *url);
void sp_store_close(struct sp_store *st);
/* The store as the user named it, for messages ("s3://b/p" or the
 * directory); owned by st. */
const char *sp_store_url(const struct sp_store *st);
/* The exit status that fits the last failure (see above). */
int sp_store_status(const struct sp_store *st);

/* sp_store_exists: 1 if the object exists, 0 if not, -1 on error. */
int sp_store_exists(struct sp_store *st, const char *name);

/*
 * Writing an object atomically: sp_store_begin returns a stream open for
 * writing to a temporary place that nobody sees under any object name (an
 * unnamed O_TMPFILE file in the object's directory, or an unlinked file
 * for S3), so that a crash leaves nothing behind.  sp_store_commit flushes
 * and fsyncs it and publishes it under name: a local link (never
 * replacing an existing object; the directory is fsynced too) or an S3 PUT
 * with the payload's SHA-256.  Both close fp.  sp_store_abort discards it.
 * sp_store_commit returns 1 when the object already existed (nothing was
 * replaced), 0 when written, -1 on error.  The name given to
 * sp_store_begin only places the temporary file: commit may publish it
 * under another name in another directory of the same dataset (a local
 * store creates that directory).
 */
FILE *sp_store_begin(struct sp_store *st, const char *name);
int sp_store_commit(struct sp_store *st, FILE *fp, const char *name);
void sp_store_abort(struct sp_store *st, FILE *fp);

/*
 * sp_store_list: the names of all objects under prefix (e.g. "plays/"),
 * sorted bytewise, skipping names whose last component starts with '.'.
 * *names is a malloc'd array of malloc'd strings (sp_store_free_list).
 */
int sp_store_list(struct sp_store *st, const char *prefix, char ***names, size_t *n);
void sp_store_free_list(char **names, size_t n);

/*
 * sp_store_read: a stream reading the object from its first byte (a local
 * file, or an S3 object downloaded to an unlinked temporary file).  NULL
 * after printing the error.  The caller fcloses it.
 */
FILE *sp_store_read(struct sp_store *st, const char *name);

#endif
