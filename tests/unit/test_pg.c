/* test_pg.c: unit tests of the PostgreSQL helpers that need no server. */
#include <stdio.h>
#include <string.h>

#include "diag.h"
#include "pg.h"
#include "unit.h"

/* msg with the passwords of conninfo redacted, in a static buffer. */
static const char *
redacted(const char *msg, const char *conninfo)
{
	static char buf[512];

	snprintf(buf, sizeof buf, "%s", msg);
	sp_pg_redact(buf, sizeof buf, conninfo);
	return buf;
}

static void
test_redact_url(void)
{
	/* A URL libpq parses, and the same with one slash, which it cannot. */
	CHECK_STR(redacted("x postgresql://u:S3cr3t@h:5/db y", "postgresql://u:S3cr3t@h:5/db"),
	    "x postgresql://u:[redacted]@h:5/db y");
	CHECK_STR(redacted("missing \"=\" after \"postgresql:/spuser:S3cr3tTypo@127.0.0.1:55439/spdb\"",
	    "postgresql:/spuser:S3cr3tTypo@127.0.0.1:55439/spdb"),
	    "missing \"=\" after \"postgresql:/spuser:[redacted]@127.0.0.1:55439/spdb\"");
	/* Percent-encoded: as written, and as libpq decodes it. */
	CHECK_STR(redacted("a p%40ss b p@ss", "postgresql://u:p%40ss@h/db"), "a [redacted] b [redacted]");
	/* A password holding '/' or '@': its pieces too, when long enough. */
	CHECK_STR(redacted("port \"secr\" db \"etpart@h/db\"", "postgresql://u:secr/etpart@h/db"),
	    "port \"[redacted]\" db \"[redacted]@h/db\"");
	/* No password: nothing changes. */
	CHECK_STR(redacted("host \"h\" user \"u\"", "postgresql://u@h/db"), "host \"h\" user \"u\"");
	CHECK_STR(redacted("db \"a@b\"", "postgresql://h/a@b"), "db \"a@b\"");
}

static void
test_redact_keywords(void)
{
	CHECK_STR(redacted("after \"password=hunter2 bogus\"", "host=h password=hunter2 bogus"),
	    "after \"password=[redacted] bogus\"");
	CHECK_STR(redacted("'a b\\'c' and a b'c", "password='a b\\'c' host=h"),
	    "'[redacted]' and [redacted]");
	CHECK_STR(redacted("x s3 y", "postgresql://h/db?password=s3&sslmode=bogus"), "x [redacted] y");
	/* "password" inside another key is not one. */
	CHECK_STR(redacted("v=abc", "host=h mypassword=abc"), "v=abc");
	/* The marker written is never searched again. */
	CHECK_STR(redacted("r e d", "password=e"), "r [redacted] d");
}

static void
test_redact_room(void)
{
	char buf[16];

	/* No room for the marker: the secret is cut out, never kept. */
	snprintf(buf, sizeof buf, "%s", "ab S3cr3t cd");
	sp_pg_redact(buf, sizeof buf, "password=S3cr3t");
	CHECK(strstr(buf, "S3cr3t") == NULL);
	CHECK(strncmp(buf, "ab ", 3) == 0);
}

static void
test_exit_status(void)
{
	CHECK(sp_pg_exit_status("42501") == SP_EXIT_DATA);	/* permission denied */
	CHECK(sp_pg_exit_status("3D000") == SP_EXIT_DATA);	/* no such database */
	CHECK(sp_pg_exit_status("42703") == SP_EXIT_DATA);	/* no such column */
	CHECK(sp_pg_exit_status("08006") == SP_EXIT_UPSTREAM);	/* connection failure */
	CHECK(sp_pg_exit_status("57P01") == SP_EXIT_UPSTREAM);	/* admin shutdown */
	CHECK(sp_pg_exit_status("40P01") == SP_EXIT_UPSTREAM);	/* deadlock */
	CHECK(sp_pg_exit_status("55P03") == SP_EXIT_UPSTREAM);	/* lock not available */
	CHECK(sp_pg_exit_status("55000") == SP_EXIT_DATA);
	CHECK(sp_pg_exit_status("") == SP_EXIT_UPSTREAM);	/* libpq's own: the connection */
	CHECK(sp_pg_exit_status(NULL) == SP_EXIT_UPSTREAM);
	CHECK(sp_pg_last_error() == NULL);
}

int
main(void)
{
	sp_init("test_pg");
	RUN(test_redact_url);
	RUN(test_redact_keywords);
	RUN(test_redact_room);
	RUN(test_exit_status);
	return unit_failed != 0;
}
