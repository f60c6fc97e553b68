/* progress.h: "n/N" progress of a long step on stderr, and its summary line. */
#ifndef SP_PROGRESS_H
#define SP_PROGRESS_H

#include <stddef.h>

/* A total not known in advance (a stream): the line shows the count only. */
#define SP_PROGRESS_UNKNOWN ((size_t)-1)

/*
 * How progress is shown: SP_PROGRESS_OFF (-q: nothing), SP_PROGRESS_LINE
 * (one summary line when the step ends: a log, a pipe) or SP_PROGRESS_TTY
 * (one line rewritten with \r while the step runs, at most ten times a
 * second, then the summary in its place).
 */
enum { SP_PROGRESS_OFF, SP_PROGRESS_LINE, SP_PROGRESS_TTY };

struct sp_progress {
	char label[128];	/* what the step does: "fetch tracks" */
	const char *unit;	/* what is counted, or NULL: "objects" */
	size_t total, done;	/* done of total (SP_PROGRESS_UNKNOWN) */
	long items;		/* a second count shown after, when > 0 */
	const char *item_one, *item_many;	/* its noun: "record", "records" */
	int mode;		/* SP_PROGRESS_OFF, _LINE or _TTY */
	double t0, drawn;	/* start and last drawing, monotonic seconds */
};

/*
 * sp_progress_mode: the mode for this process: OFF when quiet; else the
 * SP_PROGRESS setting (off, line or tty: pipeline.sh passes tty when its
 * own stderr is a terminal and it logs the tools' stderr); else TTY when
 * stderr is a terminal, LINE otherwise.
 */
int sp_progress_mode(int quiet);

/* Starts a step of total units (SP_PROGRESS_UNKNOWN) in mode; label is copied. */
void sp_progress_start(struct sp_progress *p, int mode, const char *label,
    size_t total, const char *unit);
/* n more units done; redraws the line on a terminal when it is due. */
void sp_progress_step(struct sp_progress *p, size_t n);
/* Sets the second count (records of the objects loaded), its noun in the
 * singular and the plural; redraws when due. */
void sp_progress_items(struct sp_progress *p, long items, const char *one,
    const char *many);
/*
 * Ends the step: the live line is replaced by the summary, "prog: " and
 * fmt's message, or the progress line itself when fmt is NULL (nothing at
 * all when OFF).  Like sp_warn, the message is redacted and escaped.
 */
void sp_progress_end(struct sp_progress *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* The progress line, "label done/total unit[, items unit]", into buf. */
void sp_progress_format(const struct sp_progress *p, char *buf, size_t cap);

/*
 * sp_progress_clear: erases a live progress line from the terminal, so
 * that a message written next starts on a clean line; it comes back at
 * the next step.  Called by every diag.h message before it is written.
 */
void sp_progress_clear(void);

#endif
