/* pg.c: PostgreSQL connections, queries, COPY and migrations. */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "diag.h"
#include "paths.h"
#include "pg.h"

static void
notice_quiet(void *arg, const char *msg)
{
	(void)arg;
	(void)msg;
}

PGconn *
sp_pg_connect(const char *conninfo)
{
	PGconn *c;
	const char *ci = conninfo;

	if (ci == NULL || *ci == '\0')
		ci = getenv("SP_DATABASE_URL");
	if (ci == NULL)
		ci = "";
	c = PQconnectdb(ci);
	if (c == NULL || PQstatus(c) != CONNECTION_OK) {
		char msg[1024];

		snprintf(msg, sizeof msg, "%s", c ? PQerrorMessage(c) : "out of memory");
		msg[strcspn(msg, "\n")] = '\0';
		sp_warn("cannot connect to PostgreSQL: %s", msg);
		sp_hint("set SP_DATABASE_URL or PGHOST/PGDATABASE, or run through pipeline.sh, which starts its own server");
		if (c != NULL)
			PQfinish(c);
		exit(SP_EXIT_UPSTREAM);
	}
	PQsetNoticeProcessor(c, notice_quiet, NULL);
	if (sp_pg_exec(c, "set client_min_messages = warning; set timezone = 'UTC'") != 0)
		exit(SP_EXIT_UPSTREAM);
	return c;
}

static void
report(PGconn *c, PGresult *r)
{
	const char *msg, *detail, *pos;
	char buf[2048];

	msg = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	if (msg == NULL)
		msg = PQerrorMessage(c);
	snprintf(buf, sizeof buf, "%s", msg);
	buf[strcspn(buf, "\n")] = '\0';
	detail = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_DETAIL) : NULL;
	pos = r ? PQresultErrorField(r, PG_DIAG_STATEMENT_POSITION) : NULL;
	if (pos != NULL)
		sp_warn("SQL error at character %s: %s", pos, buf);
	else
		sp_warn("SQL error: %s", buf);
	if (detail != NULL)
		sp_hint("%s", detail);
}

int
sp_pg_exec(PGconn *c, const char *sql)
{
	PGresult *r = PQexec(c, sql);
	ExecStatusType st = PQresultStatus(r);
	int ok = st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK || st == PGRES_EMPTY_QUERY;

	if (!ok)
		report(c, r);
	PQclear(r);
	return ok ? 0 : -1;
}

PGresult *
sp_pg_query(PGconn *c, const char *sql, int nparams, const char *const *params)
{
	PGresult *r = PQexecParams(c, sql, nparams, NULL, params, NULL, NULL, 0);
	ExecStatusType st = PQresultStatus(r);

	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
		report(c, r);
		PQclear(r);
		return NULL;
	}
	return r;
}

char *
sp_pg_value(PGconn *c, const char *sql, int nparams, const char *const *params)
{
	PGresult *r = sp_pg_query(c, sql, nparams, params);
	char *v = NULL;

	if (r == NULL)
		return NULL;
	if (PQntuples(r) > 0 && PQnfields(r) > 0 && !PQgetisnull(r, 0, 0))
		v = sp_xstrdup(PQgetvalue(r, 0, 0));
	PQclear(r);
	return v;
}

int
sp_pg_copy_in_begin(PGconn *c, const char *copy_sql)
{
	PGresult *r = PQexec(c, copy_sql);

	if (PQresultStatus(r) != PGRES_COPY_IN) {
		report(c, r);
		PQclear(r);
		return -1;
	}
	PQclear(r);
	return 0;
}

int
sp_pg_copy_put(PGconn *c, const char *buf, size_t len)
{
	if (len > 0x7fffffff || PQputCopyData(c, buf, (int)len) != 1) {
		sp_warn("COPY failed: %s", PQerrorMessage(c));
		return -1;
	}
	return 0;
}

int
sp_pg_copy_in_end(PGconn *c, const char *abort_reason)
{
	PGresult *r;
	int rc = 0;

	if (PQputCopyEnd(c, abort_reason) != 1) {
		sp_warn("COPY failed: %s", PQerrorMessage(c));
		rc = -1;
	}
	while ((r = PQgetResult(c)) != NULL) {
		if (PQresultStatus(r) != PGRES_COMMAND_OK) {
			if (abort_reason == NULL)
				report(c, r);
			rc = -1;
		}
		PQclear(r);
	}
	return abort_reason != NULL ? -1 : rc;
}

int
sp_pg_copy_out(PGconn *c, const char *copy_sql,
    int (*fn)(const char *row, size_t len, void *arg), void *arg)
{
	PGresult *r = PQexec(c, copy_sql);
	char *row;
	int n, stop = 0, rc = 0;

	if (PQresultStatus(r) != PGRES_COPY_OUT) {
		report(c, r);
		PQclear(r);
		return -1;
	}
	PQclear(r);
	while ((n = PQgetCopyData(c, &row, 0)) > 0) {
		if (!stop && fn(row, (size_t)n, arg) != 0)
			stop = 1;	/* keep draining: libpq needs the COPY finished */
		PQfreemem(row);
	}
	if (n == -2) {
		sp_warn("COPY failed: %s", PQerrorMessage(c));
		rc = -1;
	}
	while ((r = PQgetResult(c)) != NULL) {
		if (PQresultStatus(r) != PGRES_COMMAND_OK) {
			report(c, r);
			rc = -1;
		}
		PQclear(r);
	}
	return rc;
}

void
sp_copy_field(struct sp_buf *b, const char *s, size_t n)
{
	char *o;
	size_t i;

	if (s == NULL) {
		sp_buf_add(b, "\\N", 2);
		return;
	}
	/* One size check per field, not per byte: this runs for every column of every row. */
	sp_buf_grow(b, 2 * n);
	o = b->data + b->len;
	for (i = 0; i < n; i++) {
		char ch = s[i];

		switch (ch) {
		case '\\': *o++ = '\\'; *o++ = '\\'; break;
		case '\t': *o++ = '\\'; *o++ = 't'; break;
		case '\n': *o++ = '\\'; *o++ = 'n'; break;
		case '\r': *o++ = '\\'; *o++ = 'r'; break;
		default: *o++ = ch; break;
		}
	}
	b->len = (size_t)(o - b->data);
	b->data[b->len] = '\0';
}

static int
cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
sp_pg_migrate(PGconn *c, const char *dir)
{
	char *owned = NULL, **names = NULL, *sql, *done, path[4096];
	size_t n = 0, cap = 0, i;
	struct dirent *de;
	DIR *d;
	int applied = 0;

	/* The migrations use PostgreSQL 15's syntax (NULLS NOT DISTINCT). */
	if (PQserverVersion(c) < SP_PG_MIN_VERSION) {
		const char *v = PQparameterStatus(c, "server_version");

		sp_warn("PostgreSQL %s is too old: sp needs %d or later", v ? v : "(unknown)",
		    SP_PG_MIN_VERSION / 10000);
		return -1;
	}
	if (dir == NULL)
		dir = owned = sp_share_path("schemas/migrations");
	if ((d = opendir(dir)) == NULL) {
		sp_warn("%s: %s", dir, strerror(errno));
		free(owned);
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		size_t l = strlen(de->d_name);

		if (l < 5 || strcmp(de->d_name + l - 4, ".sql") != 0 ||
		    de->d_name[0] < '0' || de->d_name[0] > '9')
			continue;
		if (n == cap)
			names = sp_xreallocarray(names, cap = cap ? cap * 2 : 16, sizeof *names);
		names[n++] = sp_xstrdup(de->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof *names, cmp_names);

	/* One migrator at a time; the lock ends with the session or unlock. */
	if (sp_pg_exec(c, "select pg_advisory_lock(727001)") != 0 ||
	    sp_pg_exec(c, "create schema if not exists raw;"
	    "create table if not exists raw.schema_migrations ("
	    " version integer primary key, name text not null,"
	    " applied_at timestamptz not null default now())") != 0) {
		applied = -1;
		goto out;
	}
	for (i = 0; i < n; i++) {
		char ver[16];
		const char *p[2] = { ver, names[i] };

		snprintf(ver, sizeof ver, "%d", atoi(names[i]));
		done = sp_pg_value(c, "select 1 from raw.schema_migrations where version = $1",
		    1, p);
		if (done != NULL) {
			free(done);
			continue;
		}
		snprintf(path, sizeof path, "%s/%s", dir, names[i]);
		if ((sql = sp_read_file(path, SIZE_MAX, NULL)) == NULL) {
			sp_warn("%s: %s", path, strerror(errno));
			applied = -1;
			goto out;
		}
		if (sp_pg_exec(c, "begin") != 0 || sp_pg_exec(c, sql) != 0) {
			sp_warn("migration %s failed; nothing of it was applied", path);
			sp_pg_exec(c, "rollback");
			free(sql);
			applied = -1;
			goto out;
		}
		free(sql);
		PGresult *r = sp_pg_query(c, "insert into raw.schema_migrations (version, name)"
		    " values ($1, $2)", 2, p);
		if (r == NULL || sp_pg_exec(c, "commit") != 0) {
			PQclear(r);
			sp_pg_exec(c, "rollback");
			applied = -1;
			goto out;
		}
		PQclear(r);
		applied++;
	}
out:
	sp_pg_exec(c, "select pg_advisory_unlock(727001)");
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	free(owned);
	return applied;
}

int
sp_pg_copy_in_end_state(PGconn *c, char state[6], char *msg, size_t msgsize)
{
	PGresult *r;
	int rc = 0;

	state[0] = '\0';
	if (msgsize > 0)
		msg[0] = '\0';
	if (PQputCopyEnd(c, NULL) != 1) {
		snprintf(msg, msgsize, "%s", PQerrorMessage(c));
		rc = -1;
	}
	while ((r = PQgetResult(c)) != NULL) {
		if (PQresultStatus(r) != PGRES_COMMAND_OK) {
			const char *s = PQresultErrorField(r, PG_DIAG_SQLSTATE);
			const char *m = PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY);

			if (rc == 0) {
				snprintf(state, 6, "%s", s ? s : "");
				snprintf(msg, msgsize, "%s", m ? m : PQerrorMessage(c));
			}
			rc = -1;
		}
		PQclear(r);
	}
	if (msgsize > 0)
		msg[strcspn(msg, "\n")] = '\0';
	return rc;
}
