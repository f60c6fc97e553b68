/* pg.h: PostgreSQL connections, queries, COPY and migrations over libpq. */
#ifndef SP_PG_H
#define SP_PG_H

#include <stddef.h>
#include <libpq-fe.h>

/*
 * sp_pg_connect: connects with conninfo, or when it is NULL or empty with
 * $SP_DATABASE_URL, or else libpq's PG* environment.  On failure prints
 * "prog: cannot connect to PostgreSQL: reason" and a hint that fits the
 * reason, never a password (sp_pg_redact), and exits: 1 when a rerun
 * cannot fix it (a string that does not parse, a setting libpq refuses,
 * a database that does not exist, a login refused, no CONNECT right),
 * else 3 (refused, unreachable, timed out, shutting down).  Sets
 * client_min_messages=warning and TimeZone=UTC.  The caller owns the
 * connection (PQfinish).
 */
PGconn *sp_pg_connect(const char *conninfo);

/*
 * sp_pg_exec: runs one or more SQL statements without results.  Returns 0,
 * or -1 after printing "prog: SQL error: message" (with the server's
 * detail and the failing statement's position when there is one).
 */
int sp_pg_exec(PGconn *c, const char *sql);

/*
 * sp_pg_query: runs sql with text parameters ($1..$n; NULL entries are SQL
 * nulls).  Returns a result the caller must PQclear, whose status is
 * TUPLES_OK or COMMAND_OK; or NULL after printing the error.
 */
PGresult *sp_pg_query(PGconn *c, const char *sql, int nparams,
    const char *const *params);

/*
 * sp_pg_value: the single value of a query as a malloc'd string, or NULL:
 * no row, an SQL null or an error (printed).  sp_pg_get tells them apart:
 * 0 with *value the malloc'd value or NULL (no row, or null), or -1 with
 * *value NULL after printing the error.
 */
char *sp_pg_value(PGconn *c, const char *sql, int nparams,
    const char *const *params);
int sp_pg_get(PGconn *c, const char *sql, int nparams,
    const char *const *params, char **value);

/*
 * sp_pg_last_error: the SQLSTATE of the most recent failed call of these
 * functions in this process ("" when libpq had none: the connection was
 * lost), or NULL when none failed yet.  Nothing to free.
 */
const char *sp_pg_last_error(void);

/*
 * sp_pg_exit_status: the exit status for an error of SQLSTATE state: 3
 * (SP_EXIT_UPSTREAM) when a rerun may fix it: the connection lost (class
 * 08, or NULL or ""), a server shutting down or short of resources (57,
 * 53, 58), a serialization failure or deadlock (40), a lock not available
 * (55P03), an internal error (XX); else 1 (SP_EXIT_DATA): a right the
 * role lacks (42501, printed with a hint saying which), a missing object,
 * a defect of a query or of the data.
 */
int sp_pg_exit_status(const char *state);

/*
 * sp_pg_redact: in place, replaces each password of connection string
 * conninfo found in msg (cap bytes, always NUL-terminated) with
 * "[redacted]": the password as libpq reads it and as written, in a URL's
 * user:password@ (even a malformed URL's) or a password= value.
 */
void sp_pg_redact(char *msg, size_t cap, const char *conninfo);

/*
 * sp_pg_ensure_schema: creates schema name unless it exists.  Checked
 * first, since "create schema if not exists" needs CREATE on the database
 * even when the schema exists, and a role whose schemas a DBA made may
 * lack it.  Returns 0, or -1 after printing the error.
 */
int sp_pg_ensure_schema(PGconn *c, const char *name);

/*
 * COPY ... FROM STDIN following psql's discipline: sp_pg_copy_in_begin
 * starts it (returns 0 or -1 with a message); sp_pg_copy_put sends data
 * (-1 on failure); sp_pg_copy_in_end finishes it, or, when abort_reason is
 * not NULL, aborts it so the server discards the whole COPY.  Returns 0
 * when the server accepted the data.
 */
int sp_pg_copy_in_begin(PGconn *c, const char *copy_sql);
int sp_pg_copy_put(PGconn *c, const char *buf, size_t len);
int sp_pg_copy_in_end(PGconn *c, const char *abort_reason);

/*
 * sp_pg_copy_out: runs "COPY (...) TO STDOUT ..." and calls fn for each
 * data row (a line in COPY's format, with its newline, not NUL-terminated)
 * until fn returns non-zero.  Memory is one row at a time.  Returns 0, or
 * -1 after printing the error.
 */
int sp_pg_copy_out(PGconn *c, const char *copy_sql,
    int (*fn)(const char *row, size_t len, void *arg), void *arg);

/*
 * sp_copy_field: appends s (n bytes) to b as one field of COPY's text
 * format, escaping backslash, tab, newline and carriage return.  NULL s
 * appends \N.
 */
struct sp_buf;
void sp_copy_field(struct sp_buf *b, const char *s, size_t n);

/*
 * sp_pg_migrate: applies, in order, every dir/NNN_name.sql not yet
 * recorded in raw.schema_migrations, each in its own transaction under an
 * advisory lock (concurrent tools wait).  dir NULL means the shared
 * schemas/migrations (paths.h).  A line of a migration that is only
 * "create schema if not exists NAME;" is skipped when NAME exists (see
 * sp_pg_ensure_schema).  Returns the number applied, or -1 after printing
 * which file failed and why (that file's changes are rolled back).
 */
int sp_pg_migrate(PGconn *c, const char *dir);

/* The oldest server the migrations run on (PQserverVersion's form). */
#define SP_PG_MIN_VERSION 150000

/*
 * sp_pg_copy_in_end_state: like sp_pg_copy_in_end(c, NULL) but prints
 * nothing: on failure it returns -1 with the SQLSTATE in state ("" if
 * none) and the server's message in msg (msgsize bytes), so that the
 * caller can handle an expected error (23505, a unique violation).
 */
int sp_pg_copy_in_end_state(PGconn *c, char state[6], char *msg, size_t msgsize);

#endif
