/* test_progress.c: unit tests of progress lines, their summaries and sp_plural. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "progress.h"
#include "unit.h"

static void
test_plural(void)
{
	CHECK_STR(sp_plural(1, "record", "records"), "record");
	CHECK_STR(sp_plural(0, "record", "records"), "records");
	CHECK_STR(sp_plural(2, "record", "records"), "records");
	CHECK_STR(sp_plural(35, "play", "plays"), "plays");
}

static void
test_format(void)
{
	struct sp_progress p;
	char buf[256];

	sp_progress_start(&p, SP_PROGRESS_OFF, "fetch tracks", 1207, NULL);
	sp_progress_step(&p, 50);
	sp_progress_step(&p, 70);
	sp_progress_format(&p, buf, sizeof buf);
	CHECK_STR(buf, "fetch tracks 120/1207");
	sp_progress_start(&p, SP_PROGRESS_OFF, "import", SP_PROGRESS_UNKNOWN, "records");
	sp_progress_step(&p, 6978);
	sp_progress_format(&p, buf, sizeof buf);
	CHECK_STR(buf, "import 6978 records");
	sp_progress_start(&p, SP_PROGRESS_OFF, "load", 3, "objects");
	sp_progress_step(&p, 1);
	sp_progress_items(&p, 1, "record", "records");
	sp_progress_format(&p, buf, sizeof buf);
	CHECK_STR(buf, "load 1/3 objects, 1 record");
	sp_progress_items(&p, 5000, "record", "records");
	sp_progress_format(&p, buf, sizeof buf);
	CHECK_STR(buf, "load 1/3 objects, 5000 records");
	/* A cut-short buffer stays a string. */
	sp_progress_format(&p, buf, 8);
	CHECK_STR(buf, "load 1/");
}

static void
test_mode(void)
{
	setenv("SP_PROGRESS", "tty", 1);
	CHECK(sp_progress_mode(0) == SP_PROGRESS_TTY);
	CHECK(sp_progress_mode(1) == SP_PROGRESS_OFF);
	setenv("SP_PROGRESS", "line", 1);
	CHECK(sp_progress_mode(0) == SP_PROGRESS_LINE);
	setenv("SP_PROGRESS", "off", 1);
	CHECK(sp_progress_mode(0) == SP_PROGRESS_OFF);
	unsetenv("SP_PROGRESS");
	/* stderr is a file here, not a terminal. */
	CHECK(sp_progress_mode(0) == SP_PROGRESS_LINE);
}

/* What fn wrote to stderr, into buf. */
static void
capture(void (*fn)(void), char *buf, size_t cap)
{
	FILE *f = tmpfile();
	int saved = dup(STDERR_FILENO);
	size_t n;

	fflush(stderr);
	dup2(fileno(f), STDERR_FILENO);
	fn();
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	rewind(f);
	n = fread(buf, 1, cap - 1, f);
	buf[n] = '\0';
	fclose(f);
}

static void
tty_step(void)
{
	struct sp_progress p;

	sp_progress_start(&p, SP_PROGRESS_TTY, "fetch tracks", 3, NULL);
	sp_progress_step(&p, 1);	/* within 0.1 s of the start: not drawn */
	sp_warn("track 'x': not found");
	sp_progress_step(&p, 1);	/* the line comes back after a message */
	sp_progress_step(&p, 1);
	sp_progress_end(&p, "fetched %d tracks", 3);
}

static void
line_step(void)
{
	struct sp_progress p;
	int i;

	sp_progress_start(&p, SP_PROGRESS_LINE, "fetch tracks", 3, NULL);
	for (i = 0; i < 3; i++)
		sp_progress_step(&p, 1);
	sp_progress_end(&p, NULL);
	sp_progress_start(&p, SP_PROGRESS_OFF, "fetch tracks", 3, NULL);
	sp_progress_step(&p, 3);
	sp_progress_end(&p, "fetched %d tracks", 3);
}

static void
test_output(void)
{
	char buf[1024];

	capture(tty_step, buf, sizeof buf);
	/* Drawn at the start; erased before a message and drawn again at
	 * the next step; replaced by the summary.  (A slow machine may draw
	 * once more between them: each drawing is \r, the line, erase.) */
	CHECK(strncmp(buf, "\rtest_progress: fetch tracks 0/3\033[K", 35) == 0);
	CHECK(strstr(buf, "\r\033[Ktest_progress: track 'x': not found\n"
	    "\rtest_progress: fetch tracks 2/3\033[K") != NULL);
	CHECK(strlen(buf) > 36 && strcmp(buf + strlen(buf) - 36,
	    "\r\033[Ktest_progress: fetched 3 tracks\n") == 0);
	/* Not a terminal: one summary line; quiet: nothing at all. */
	capture(line_step, buf, sizeof buf);
	CHECK_STR(buf, "test_progress: fetch tracks 3/3\n");
}

int
main(void)
{
	sp_init("test_progress");
	RUN(test_plural);
	RUN(test_format);
	RUN(test_mode);
	RUN(test_output);
	return unit_failed != 0;
}
