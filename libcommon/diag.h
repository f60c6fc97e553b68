/* diag.h: diagnostics, exit statuses and the checked close of stdout. */
#ifndef SP_DIAG_H
#define SP_DIAG_H

#include <stdarg.h>
#include <stdio.h>

/* Exit statuses shared by every tool (see each man page). */
enum {
	SP_EXIT_OK = 0,
	SP_EXIT_DATA = 1,	/* bad data or local I/O */
	SP_EXIT_USAGE = 2,	/* bad usage */
	SP_EXIT_UPSTREAM = 3	/* HTTP or PostgreSQL failure a rerun may fix */
};

/* The tool's name, as set by sp_init; used as the prefix of every message. */
extern const char *sp_progname;

/*
 * sp_init: call first in main().  Records the program name from argv0,
 * restores the default SIGPIPE action so that a closed reader (| head) ends
 * the tool quietly, and registers sp_close_stdout with atexit().
 */
void sp_init(const char *argv0);

/*
 * "prog: message\n" on stderr.  Secrets are redacted (sp_redact) and control
 * characters escaped (\n, \t, \r, \xHH): data quoted in a message cannot
 * reach the terminal or a log raw.  Same for sp_hint and the _at forms.
 */
void sp_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "prog: hint: message\n" on stderr. */
void sp_hint(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* sp_warn, then exit(status). */
void sp_die(int status, const char *fmt, ...)
	__attribute__((format(printf, 2, 3), noreturn));
/* "prog: where:line: message"; line 0 omits the line. */
void sp_warn_at(const char *where, long line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* sp_warn_at, then exit(status). */
void sp_die_at(int status, const char *where, long line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5), noreturn));
/* sp_warn with a va_list; ap is the caller's (used, not va_end'ed). */
void sp_vwarn(const char *fmt, va_list ap);

/*
 * sp_redact: in place, replaces the value of anything that looks like a
 * secret (Bearer tokens, access_token=, refresh_token=, code=, "token":
 * JSON members, X-Amz-Signature=, client_secret=) with "[redacted]".  buf
 * must hold cap bytes; the result is always NUL-terminated.
 */
void sp_redact(char *buf, size_t cap);

/*
 * sp_close_stdout: flushes and closes stdout, and exits 1 with a message if
 * anything written to it failed (sp-x >/dev/full).  EPIPE exits quietly.
 * Registered by sp_init; safe to call more than once.
 */
void sp_close_stdout(void);

/*
 * sp_write_error: ends the tool after a failed write to stdout whose errno
 * was e: quietly with 0 on EPIPE (the reader went away: | head), else with
 * "prog: write error on stdout: strerror(e)" ("I/O error" when e is 0) and
 * exit 1.  For tools that write stdout with fwrite and want the cause
 * while errno still holds it (stdio forgets it by fclose).
 */
void sp_write_error(int e) __attribute__((noreturn));

/*
 * sp_plural: one when n is 1 (or -1), else many, for counts in messages:
 * "%ld %s", n, sp_plural(n, "record", "records").  Returns one of its
 * arguments.
 */
const char *sp_plural(long n, const char *one, const char *many);

/*
 * sp_escape: in into out (cap bytes, always NUL-terminated, cut short when
 * full) with each control character written as \n, \t, \r or \xHH, as
 * every message is.
 */
void sp_escape(const char *in, char *out, size_t cap);

/* Display name of an input path: "<stdin>" for NULL or "-", else path
 * itself; nothing to free. */
const char *sp_input_name(const char *path);

/* Allocation that dies with a message on failure; never returns NULL.  The
 * caller frees the result with free().  The message gives the size asked
 * for and, after sp_alloc_input, the input whose sizes asked for it. */
void *sp_xmalloc(size_t n);
/*
 * sp_xmalloc_huge: the same for a large buffer (freed with free): from 2 MB
 * on, aligned to and marked for huge pages, whose first touch costs a
 * fault per 2 MB instead of per 4 KB.
 */
void *sp_xmalloc_huge(size_t n);
void *sp_xcalloc(size_t n, size_t size);
void *sp_xrealloc(void *p, size_t n);
void *sp_xreallocarray(void *p, size_t n, size_t size);
char *sp_xstrdup(const char *s);

/*
 * sp_alloc_input: names the input (a file, "<stdin>") whose declared sizes
 * drive the allocations that follow, so that running out of memory says
 * which file asked for it: "prog: x.spm: out of memory (...)".  NULL or ""
 * forgets it.  The name is copied.  sp_mat_read sets it.
 */
void sp_alloc_input(const char *name);

/* Prints "prog VERSION" to stdout and exits 0; for --version. */
void sp_version(void) __attribute__((noreturn));

#endif
