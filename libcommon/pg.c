/* pg.c: PostgreSQL connections, queries, COPY and migrations. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "diag.h"
#include "paths.h"
#include "pg.h"

/*
 * The SQLSTATE of the most recent failed call ("" when libpq had none),
 * once failed is set: sp_pg_last_error.
 */
static char last_state[6];
static int failed;

static void
set_failure(const char *state)
{
	snprintf(last_state, sizeof last_state, "%s", state ? state : "");
	failed = 1;
}

const char *
sp_pg_last_error(void)
{
	return failed ? last_state : NULL;
}

int
sp_pg_exit_status(const char *state)
{
	static const char *const again[] = { "08", "40", "53", "57", "58", "XX", "55P03", NULL };
	const char *const *a;

	if (state == NULL || *state == '\0')
		return SP_EXIT_UPSTREAM;
	for (a = again; *a != NULL; a++)
		if (strncmp(state, *a, strlen(*a)) == 0)
			return SP_EXIT_UPSTREAM;
	return SP_EXIT_DATA;
}

static void
notice_quiet(void *arg, const char *msg)
{
	(void)arg;
	(void)msg;
}

#define MAX_SECRETS 16
#define REDACTED "[redacted]"

/*
 * The length of ci's "scheme:" when it begins like a URL (letters, then
 * letters, digits, '+', '-' or '.', then ':'), else 0.  A key=value string
 * never does: its first key ends at '=' or a space.
 */
static size_t
url_scheme(const char *ci)
{
	size_t i = 0;

	if (!isalpha((unsigned char)ci[0]))
		return 0;
	while (isalnum((unsigned char)ci[i]) || ci[i] == '+' || ci[i] == '-' || ci[i] == '.')
		i++;
	return ci[i] == ':' ? i + 1 : 0;
}

static void
add_secret(char **sec, size_t *n, const char *s, size_t len)
{
	if (len == 0 || *n == MAX_SECRETS)
		return;
	sec[*n] = sp_xmalloc(len + 1);
	memcpy(sec[*n], s, len);
	sec[*n][len] = '\0';
	(*n)++;
}

/*
 * The passwords in ci as libpq reads them and as written, so that a message
 * quoting the string, or a piece of it, can be cleaned: the value libpq
 * parses; a URL's user:password@ (found as written, even in a URL libpq
 * cannot parse), and each piece of it between slashes, which libpq may
 * take for a port or a path; every password= value.  Returns how many.
 */
static size_t
conninfo_secrets(const char *ci, char **sec)
{
	PQconninfoOption *opts, *o;
	const char *p, *q, *e, *at;
	size_t n = 0, sl;

	if ((opts = PQconninfoParse(ci, NULL)) != NULL) {
		for (o = opts; o->keyword != NULL; o++)
			if (strcmp(o->keyword, "password") == 0 && o->val != NULL)
				add_secret(sec, &n, o->val, strlen(o->val));
		PQconninfoFree(opts);
	}
	if ((sl = url_scheme(ci)) > 0) {
		p = ci + sl;
		while (*p == '/')
			p++;
		/*
		 * The userinfo ends at the last '@' before the path, which
		 * begins at the first '/' after an '@': a password may hold
		 * '/' and '@' (unencoded, libpq misreads it; its pieces show
		 * up in messages), a database name '@'.
		 */
		for (at = NULL, q = p; *q != '\0' && *q != '?' && (at == NULL || *q != '/'); q++)
			if (*q == '@')
				at = q;
		if (at != NULL && (q = memchr(p, ':', (size_t)(at - p))) != NULL) {
			q++;
			add_secret(sec, &n, q, (size_t)(at - q));
			for (e = q; e < at && *e != '/' && *e != '@'; e++)
				;
			/*
			 * A '/' or '@' in it: each piece of 3 bytes or more too
			 * (a shorter one would blank letters all over).
			 */
			while (e < at) {
				if (e - q >= 3)
					add_secret(sec, &n, q, (size_t)(e - q));
				q = e + 1;
				for (e = q; e < at && *e != '/' && *e != '@'; e++)
					;
				if (e == at && e - q >= 3)
					add_secret(sec, &n, q, (size_t)(e - q));
			}
		}
	}
	for (p = ci; (p = strstr(p, "password")) != NULL; p += 8) {
		if (p > ci && !isspace((unsigned char)p[-1]) && p[-1] != '?' && p[-1] != '&')
			continue;
		q = p + 8;
		while (isspace((unsigned char)*q))
			q++;
		if (*q++ != '=')
			continue;
		while (isspace((unsigned char)*q))
			q++;
		if (*q == '\'') {
			e = ++q;
			while (*e != '\0' && *e != '\'')
				e += e[0] == '\\' && e[1] != '\0' ? 2 : 1;
			add_secret(sec, &n, q, (size_t)(e - q));
		} else {
			add_secret(sec, &n, q, strcspn(q, " \t\n\r\f\v&"));
		}
	}
	return n;
}

static int
longer_first(const void *a, const void *b)
{
	size_t la = strlen(*(char *const *)a), lb = strlen(*(char *const *)b);

	return la < lb ? 1 : la > lb ? -1 : 0;
}

void
sp_pg_redact(char *msg, size_t cap, const char *conninfo)
{
	char *sec[MAX_SECRETS], *tmp;
	size_t n, i, k, o = 0, sl, rl = sizeof REDACTED - 1;

	if (cap == 0 || conninfo == NULL)
		return;
	msg[cap - 1] = '\0';
	if ((n = conninfo_secrets(conninfo, sec)) == 0)
		return;
	/* The longest first: a password that holds a shorter one goes whole. */
	qsort(sec, n, sizeof *sec, longer_first);
	/* One pass, so that a marker already written is never searched again. */
	tmp = sp_xmalloc(cap);
	for (i = 0; msg[i] != '\0' && o + 1 < cap;) {
		for (k = 0; k < n; k++)
			if (strncmp(msg + i, sec[k], sl = strlen(sec[k])) == 0)
				break;
		if (k < n) {
			if (o + rl + 1 <= cap) {
				memcpy(tmp + o, REDACTED, rl);
				o += rl;
			}
			i += sl;
		} else {
			tmp[o++] = msg[i++];
		}
	}
	tmp[o] = '\0';
	memcpy(msg, tmp, o + 1);
	free(tmp);
	for (k = 0; k < n; k++)
		free(sec[k]);
}

/* What a failed connection's message says: the exit status and hint follow. */
enum conn_fault { FAULT_AGAIN, FAULT_SETTING, FAULT_NO_DB, FAULT_LOGIN, FAULT_NO_CONNECT };

/*
 * libpq gives a failed connection no SQLSTATE, only a message, so its
 * texts and the server's are matched here, in English.  A translated one
 * (libpq with NLS under another LC_MESSAGES, or the server's lc_messages)
 * matches none and is taken for a failure a rerun may fix.
 */
static enum conn_fault
conn_fault(const char *m)
{
	if (strstr(m, "for connection option \"") != NULL ||	/* a port or timeout not a number */
	    strstr(m, "invalid port number") != NULL ||
	    (strncmp(m, "invalid ", 8) == 0 && strstr(m, " value: \"") != NULL) ||	/* sslmode=x */
	    strstr(m, "could not match ") != NULL)	/* more ports than hosts */
		return FAULT_SETTING;
	if (strstr(m, "FATAL:  database \"") != NULL && strstr(m, "\" does not exist") != NULL)
		return FAULT_NO_DB;
	if (strstr(m, "FATAL:  permission denied for database") != NULL)
		return FAULT_NO_CONNECT;
	if (strstr(m, "authentication failed for user") != NULL ||
	    strstr(m, "no password supplied") != NULL ||
	    strstr(m, "no pg_hba.conf entry") != NULL ||
	    (strstr(m, "FATAL:  role \"") != NULL && strstr(m, "\" does not exist") != NULL))
		return FAULT_LOGIN;
	return FAULT_AGAIN;
}

/*
 * The connection string ci (from src) that libpq cannot parse: says what
 * is wrong without its password and exits 1.  A URL's usual slip, a
 * scheme not followed by "//" (libpq then reads it as key=value pairs and
 * quotes the whole string back), is named by the scheme alone.
 */
static void __attribute__((noreturn))
malformed(const char *ci, const char *src, const char *why)
{
	size_t sl = url_scheme(ci), n = sl;
	char msg[1024];

	if (sl > 0 && strncmp(ci, "postgresql://", 13) != 0 && strncmp(ci, "postgres://", 11) != 0) {
		while (ci[n] == '/' && n < sl + 3)
			n++;
		sp_warn("cannot connect to PostgreSQL: %s is not a connection URL: it begins '%.*s', not 'postgresql://'",
		    src, (int)n, ci);
	} else {
		snprintf(msg, sizeof msg, "%s", why ? why : "out of memory");
		msg[strcspn(msg, "\n")] = '\0';
		sp_pg_redact(msg, sizeof msg, ci);
		sp_warn("cannot connect to PostgreSQL: %s is malformed: %s", src, msg);
	}
	sp_hint("write it as postgresql://USER:PASSWORD@HOST:PORT/DATABASE, or as key=value pairs (host=... dbname=...)");
	exit(SP_EXIT_DATA);
}

/*
 * What a URL's user or password holds unencoded that libpq misread it
 * by, quoting parts of it in its messages ("@" or "/"), or NULL.  libpq
 * ends user:password@ at the first '@' and the host at the first '/':
 * with "u:p@ss@h" the host holds '@'; with "u:p/ss@h/db" the port ("p")
 * is not a number and the database name ("ss@h/db") holds '@'.
 */
static const char *
url_misread(const PQconninfoOption *opts)
{
	const char *host = NULL, *port = NULL, *db = NULL;
	const PQconninfoOption *o;

	for (o = opts; o->keyword != NULL; o++) {
		if (strcmp(o->keyword, "host") == 0)
			host = o->val;
		else if (strcmp(o->keyword, "port") == 0)
			port = o->val;
		else if (strcmp(o->keyword, "dbname") == 0)
			db = o->val;
	}
	if (host != NULL && strchr(host, '@') != NULL)
		return "@";
	if (port != NULL && port[strspn(port, "0123456789,")] != '\0' &&
	    db != NULL && strchr(db, '@') != NULL)
		return "/";
	return NULL;
}

PGconn *
sp_pg_connect(const char *conninfo)
{
	PQconninfoOption *opts;
	const char *ci = conninfo, *src = "the connection string", *bad;
	char *perr = NULL, *msg;
	enum conn_fault f;
	size_t len, cap;
	PGconn *c;

	if (ci == NULL || *ci == '\0') {
		ci = getenv("SP_DATABASE_URL");
		src = "SP_DATABASE_URL";
	}
	if (ci == NULL || *ci == '\0') {
		ci = "";
		src = "the PG* environment (PGHOST, PGPORT, PGDATABASE, PGUSER)";
	}
	if ((opts = PQconninfoParse(ci, &perr)) == NULL)
		malformed(ci, src, perr);
	if (url_scheme(ci) > 0 && (bad = url_misread(opts)) != NULL) {
		sp_warn("cannot connect to PostgreSQL: %s is malformed: its user or password holds '%c'",
		    src, *bad);
		sp_hint("write each '%c' in them as %s: postgresql://USER:PASSWORD@HOST:PORT/DATABASE",
		    *bad, *bad == '@' ? "%40" : "%2F");
		exit(SP_EXIT_DATA);
	}
	PQconninfoFree(opts);
	c = PQconnectdb(ci);
	if (c != NULL && PQstatus(c) == CONNECTION_OK) {
		PQsetNoticeProcessor(c, notice_quiet, NULL);
		if (sp_pg_exec(c, "set client_min_messages = warning; set timezone = 'UTC'") != 0)
			exit(SP_EXIT_UPSTREAM);
		return c;
	}
	/* The whole message, cleaned before it is cut: a password may straddle the cut. */
	len = strlen(c != NULL ? PQerrorMessage(c) : "out of memory");
	/* Room for every byte to become the marker. */
	msg = sp_xmalloc(cap = len * (sizeof REDACTED - 1) + 1);
	snprintf(msg, cap, "%s", c != NULL ? PQerrorMessage(c) : "out of memory");
	sp_pg_redact(msg, cap, ci);
	msg[strcspn(msg, "\n")] = '\0';
	sp_warn("cannot connect to PostgreSQL: %s", msg);
	switch ((f = conn_fault(msg))) {
	case FAULT_SETTING:
		sp_hint("fix the setting it names in %s", src);
		break;
	case FAULT_NO_DB:
		sp_hint("create the database (createdb NAME), or name one that exists in %s", src);
		break;
	case FAULT_NO_CONNECT:
		sp_hint("role '%s' may not connect to database '%s': a DBA can allow it (grant connect on database \"%s\" to \"%s\")",
		    PQuser(c), PQdb(c), PQdb(c), PQuser(c));
		break;
	case FAULT_LOGIN:
		sp_hint("check the user and password in %s (or ~/.pgpass) and the server's pg_hba.conf", src);
		break;
	default:
		if (*ci != '\0')
			sp_hint("is the server that %s names running and reachable? a rerun may fix it then", src);
		else
			sp_hint("set SP_DATABASE_URL or PGHOST/PGDATABASE, or run through pipeline.sh, which starts its own server");
		break;
	}
	free(msg);
	if (c != NULL)
		PQfinish(c);
	exit(f == FAULT_AGAIN ? SP_EXIT_UPSTREAM : SP_EXIT_DATA);
}

/*
 * The hint for a right the role lacks (42501): what a DBA grants, or
 * makes it own.  Creating the schemas needs CREATE on the database, which
 * a DBA can spare it by creating them for it.
 */
static void
access_hint(PGconn *c, const char *msg)
{
	const char *who = PQuser(c);

	if (strncmp(msg, "permission denied for database", 30) == 0)
		sp_hint("role '%s' may not create schemas in database '%s': a DBA can create them for it"
		    " (create schema raw authorization \"%s\"; create schema analytics authorization \"%s\")",
		    who, PQdb(c), who, who);
	else
		sp_hint("role '%s' needs USAGE on the schemas raw and analytics and SELECT on their tables"
		    " to read them (sp-report), and must own them to load and build (sp-load, sp-model)", who);
}

static void
report(PGconn *c, PGresult *r)
{
	const char *msg, *detail, *pos, *state;
	char buf[2048];

	msg = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	if (msg == NULL)
		msg = PQerrorMessage(c);
	snprintf(buf, sizeof buf, "%s", msg);
	buf[strcspn(buf, "\n")] = '\0';
	detail = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_DETAIL) : NULL;
	pos = r ? PQresultErrorField(r, PG_DIAG_STATEMENT_POSITION) : NULL;
	state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
	set_failure(state);
	if (pos != NULL)
		sp_warn("SQL error at character %s: %s", pos, buf);
	else
		sp_warn("SQL error: %s", buf);
	if (detail != NULL)
		sp_hint("%s", detail);
	if (state != NULL && strcmp(state, "42501") == 0)
		access_hint(c, buf);
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

int
sp_pg_get(PGconn *c, const char *sql, int nparams, const char *const *params, char **value)
{
	PGresult *r = sp_pg_query(c, sql, nparams, params);

	*value = NULL;
	if (r == NULL)
		return -1;
	if (PQntuples(r) > 0 && PQnfields(r) > 0 && !PQgetisnull(r, 0, 0))
		*value = sp_xstrdup(PQgetvalue(r, 0, 0));
	PQclear(r);
	return 0;
}

char *
sp_pg_value(PGconn *c, const char *sql, int nparams, const char *const *params)
{
	char *v;

	sp_pg_get(c, sql, nparams, params, &v);
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
		set_failure(NULL);
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
		set_failure(NULL);
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
		set_failure(NULL);
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

/* Whether schema name exists: 1 or 0, or -1 after printing the error. */
static int
schema_exists(PGconn *c, const char *name)
{
	const char *p[1] = { name };
	char *v;
	int yes;

	if (sp_pg_get(c, "select 1 from pg_namespace where nspname = $1", 1, p, &v) != 0)
		return -1;
	yes = v != NULL;
	free(v);
	return yes;
}

int
sp_pg_ensure_schema(PGconn *c, const char *name)
{
	struct sp_buf b = { 0 };
	int rc = schema_exists(c, name);

	if (rc != 0)
		return rc < 0 ? -1 : 0;
	sp_buf_printf(&b, "create schema if not exists \"%s\"", name);
	rc = sp_pg_exec(c, b.data);
	sp_buf_free(&b);
	return rc;
}

/*
 * Blanks each line of migration sql that is only "create schema if not
 * exists NAME;" when schema NAME exists: the statement needs CREATE on the
 * database even then, which a role whose schemas a DBA made lacks, and a
 * migration once applied is never edited (001_raw.sql has one).  Returns
 * 0, or -1 after printing the error.
 */
static int
skip_made_schemas(PGconn *c, char *sql)
{
	static const char lead[] = "create schema if not exists ";
	char *line, *end, *e, name[64];
	size_t n;
	int yes;

	for (line = sql; *line != '\0'; line = *end != '\0' ? end + 1 : end) {
		end = line + strcspn(line, "\n");
		if (strncasecmp(line, lead, sizeof lead - 1) != 0)
			continue;
		/* An unquoted name, folded to lower case as the server does. */
		for (n = 0, e = line + sizeof lead - 1; isalnum((unsigned char)*e) || *e == '_'; e++)
			if (n < sizeof name - 1)
				name[n++] = (char)tolower((unsigned char)*e);
		name[n] = '\0';
		while (e < end && isspace((unsigned char)*e))
			e++;
		if (n == 0 || e == end || *e++ != ';')
			continue;
		while (e < end && isspace((unsigned char)*e))
			e++;
		if (e != end)
			continue;
		if ((yes = schema_exists(c, name)) < 0)
			return -1;
		if (yes)
			memset(line, ' ', (size_t)(end - line));
	}
	return 0;
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
	    sp_pg_ensure_schema(c, "raw") != 0 ||
	    sp_pg_exec(c, "create table if not exists raw.schema_migrations ("
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
		if (skip_made_schemas(c, sql) != 0 || sp_pg_exec(c, "begin") != 0 ||
		    sp_pg_exec(c, sql) != 0) {
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
		set_failure(NULL);
		snprintf(msg, msgsize, "%s", PQerrorMessage(c));
		rc = -1;
	}
	while ((r = PQgetResult(c)) != NULL) {
		if (PQresultStatus(r) != PGRES_COMMAND_OK) {
			const char *s = PQresultErrorField(r, PG_DIAG_SQLSTATE);
			const char *m = PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY);

			if (rc == 0) {
				set_failure(s);
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
