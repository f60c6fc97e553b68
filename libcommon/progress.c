/* progress.c: "n/N" progress of a long step on stderr, and its summary line. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "diag.h"
#include "progress.h"

/* At most ten drawings a second: a terminal is not a log. */
#define DRAW_EVERY 0.1

/* The step whose line is on the terminal now, if any. */
static struct sp_progress *showing;

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int
sp_progress_mode(int quiet)
{
	const char *s = getenv("SP_PROGRESS");

	if (quiet)
		return SP_PROGRESS_OFF;
	if (s != NULL && strcmp(s, "off") == 0)
		return SP_PROGRESS_OFF;
	if (s != NULL && strcmp(s, "line") == 0)
		return SP_PROGRESS_LINE;
	if (s != NULL && strcmp(s, "tty") == 0)
		return SP_PROGRESS_TTY;
	return isatty(STDERR_FILENO) ? SP_PROGRESS_TTY : SP_PROGRESS_LINE;
}

void
sp_progress_format(const struct sp_progress *p, char *buf, size_t cap)
{
	size_t n;

	if (p->total == SP_PROGRESS_UNKNOWN)
		n = (size_t)snprintf(buf, cap, "%s %zu", p->label, p->done);
	else
		n = (size_t)snprintf(buf, cap, "%s %zu/%zu", p->label, p->done, p->total);
	if (n < cap && p->unit != NULL)
		n += (size_t)snprintf(buf + n, cap - n, " %s", p->unit);
	if (n < cap && p->items > 0)
		snprintf(buf + n, cap - n, ", %ld %s", p->items,
		    sp_plural(p->items, p->item_one, p->item_many));
}

/* Draws p's line in place of the one on the terminal. */
static void
draw(struct sp_progress *p)
{
	char line[512], out[sizeof line * 4];

	sp_progress_format(p, line, sizeof line);
	sp_escape(line, out, sizeof out);
	fprintf(stderr, "\r%s: %s\033[K", sp_progname, out);
	fflush(stderr);
	showing = p;
	p->drawn = now();
}

/* Draws p when it is due: its first drawing, or DRAW_EVERY since the last. */
static void
maybe_draw(struct sp_progress *p)
{
	if (p->mode != SP_PROGRESS_TTY)
		return;
	if (showing == p && now() - p->drawn < DRAW_EVERY)
		return;
	draw(p);
}

void
sp_progress_start(struct sp_progress *p, int mode, const char *label, size_t total,
    const char *unit)
{
	memset(p, 0, sizeof *p);
	snprintf(p->label, sizeof p->label, "%s", label);
	p->unit = unit;
	p->total = total;
	p->mode = mode;
	p->t0 = now();
	if (mode == SP_PROGRESS_TTY)
		draw(p);
}

void
sp_progress_step(struct sp_progress *p, size_t n)
{
	p->done += n;
	maybe_draw(p);
}

void
sp_progress_items(struct sp_progress *p, long items, const char *one, const char *many)
{
	p->items = items;
	p->item_one = one;
	p->item_many = many;
	maybe_draw(p);
}

void
sp_progress_end(struct sp_progress *p, const char *fmt, ...)
{
	char line[512];
	va_list ap;

	if (p->mode == SP_PROGRESS_OFF) {
		sp_progress_clear();
		return;
	}
	if (fmt == NULL) {
		sp_progress_format(p, line, sizeof line);
		sp_warn("%s", line);
	} else {
		va_start(ap, fmt);
		sp_vwarn(fmt, ap);
		va_end(ap);
	}
	if (showing == p)
		showing = NULL;
	p->mode = SP_PROGRESS_OFF;
}

void
sp_progress_clear(void)
{
	if (showing == NULL)
		return;
	fputs("\r\033[K", stderr);
	/* Drawn again at its next step, whatever the time. */
	showing->drawn = 0;
	showing = NULL;
}
