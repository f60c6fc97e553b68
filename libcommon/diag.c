/* diag.c: diagnostics in one family, secret redaction, checked stdout. */
#include <ctype.h>
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "diag.h"
#include "progress.h"

const char *sp_progname = "sp";
static int stdout_closed;

void
sp_init(const char *argv0)
{
	const char *slash;

	if (argv0 != NULL && *argv0 != '\0') {
		slash = strrchr(argv0, '/');
		sp_progname = slash ? slash + 1 : argv0;
	}
	signal(SIGPIPE, SIG_DFL);
	atexit(sp_close_stdout);
}

/* The keys whose values are secrets, as they appear in URLs, forms, JSON. */
static const char *const secret_keys[] = {
	"access_token", "refresh_token", "client_secret", "code_verifier",
	"X-Amz-Signature", "Signature", "code", "token", NULL
};

static const char *const auth_schemes[] = { "Bearer ", "Basic ", NULL };

static int
is_value_char(char c)
{
	return c != '\0' && c != '&' && c != '"' && c != '\'' && c != ' ' &&
	    c != ',' && c != '}' && c != '\n' && c != ';';
}

/* Replaces buf[from, to) with "[redacted]"; returns the index after it. */
static size_t
splice(char *buf, size_t cap, size_t from, size_t to)
{
	static const char r[] = "[redacted]";
	size_t len = strlen(buf), rl = sizeof r - 1;

	if (len - to + from + rl + 1 > cap)
		rl = 0;		/* no room: cut the secret out entirely */
	memmove(buf + from + rl, buf + to, len - to + 1);
	memcpy(buf + from, r, rl);
	return from + rl;
}

void
sp_redact(char *buf, size_t cap)
{
	size_t i, j, kl;
	const char *const *k;
	char *p;

	if (cap == 0)
		return;
	buf[cap - 1] = '\0';
	/* "Bearer xyz" and "Basic xyz" in headers. */
	for (k = auth_schemes; *k != NULL; k++) {
		kl = strlen(*k);
		for (p = buf; (p = strstr(p, *k)) != NULL;) {
			i = (size_t)(p - buf) + kl;
			for (j = i; is_value_char(buf[j]); j++)
				;
			if (j > i && strncmp(buf + i, "[redacted]", 10) != 0)
				p = buf + splice(buf, cap, i, j);
			else
				p = buf + j;
		}
	}
	/* key=value, "key":"value", key: value */
	for (k = secret_keys; *k != NULL; k++) {
		kl = strlen(*k);
		for (p = buf; (p = strstr(p, *k)) != NULL; p += kl) {
			i = (size_t)(p - buf);
			/* Whole keys only: "code" must not match "encode". */
			if (i > 0 && (isalnum((unsigned char)buf[i - 1]) || buf[i - 1] == '_' || buf[i - 1] == '-'))
				continue;
			j = i + kl;
			if (buf[j] == '"')
				j++;
			if (buf[j] != '=' && buf[j] != ':')
				continue;
			j++;
			while (buf[j] == ' ' || buf[j] == '"')
				j++;
			i = j;
			while (is_value_char(buf[j]))
				j++;
			if (j > i && strncmp(buf + i, "[redacted]", 10) != 0)
				p = buf + splice(buf, cap, i, j) - kl;
		}
	}
}

void
sp_escape(const char *in, char *out, size_t cap)
{
	const unsigned char *p;
	size_t n = 0;

	if (cap == 0)
		return;
	for (p = (const unsigned char *)in; *p != '\0' && n + 5 <= cap; p++) {
		if (*p >= 0x20 && *p != 0x7f) {
			out[n++] = (char)*p;
			continue;
		}
		out[n++] = '\\';
		switch (*p) {
		case '\n': out[n++] = 'n'; break;
		case '\t': out[n++] = 't'; break;
		case '\r': out[n++] = 'r'; break;
		default: n += (size_t)snprintf(out + n, 4, "x%02x", *p); break;
		}
	}
	out[n] = '\0';
}

/*
 * Writes "prog: [tag]msg\n" to stderr with every control character of msg
 * escaped (sp_escape), so that data quoted in a message (an archive
 * member's name, a field's value) cannot move the cursor, ring the bell or
 * forge a second line in a terminal or a run log.  A progress line on the
 * terminal is erased first, so the message starts on a line of its own.
 */
static void
put_message(const char *tag, const char *msg)
{
	char out[4096 * 4 + 1];

	sp_escape(msg, out, sizeof out);
	sp_progress_clear();
	fprintf(stderr, "%s: %s%s\n", sp_progname, tag, out);
}

const char *
sp_plural(long n, const char *one, const char *many)
{
	return n == 1 || n == -1 ? one : many;
}

void
sp_vwarn(const char *fmt, va_list ap)
{
	char buf[4096];

	vsnprintf(buf, sizeof buf, fmt, ap);
	sp_redact(buf, sizeof buf);
	fflush(stdout);
	put_message("", buf);
}

void
sp_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	sp_vwarn(fmt, ap);
	va_end(ap);
}

void
sp_hint(const char *fmt, ...)
{
	char buf[4096];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	sp_redact(buf, sizeof buf);
	put_message("hint: ", buf);
}

void
sp_die(int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	sp_vwarn(fmt, ap);
	va_end(ap);
	exit(status);
}

static void
vwarn_at(const char *where, long line, const char *fmt, va_list ap)
{
	char msg[4096];

	vsnprintf(msg, sizeof msg, fmt, ap);
	if (line > 0)
		sp_warn("%s:%ld: %s", where, line, msg);
	else
		sp_warn("%s: %s", where, msg);
}

void
sp_warn_at(const char *where, long line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarn_at(where, line, fmt, ap);
	va_end(ap);
}

void
sp_die_at(int status, const char *where, long line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarn_at(where, line, fmt, ap);
	va_end(ap);
	exit(status);
}

void
sp_close_stdout(void)
{
	int bad, e;

	if (stdout_closed)
		return;
	stdout_closed = 1;
	errno = 0;
	bad = fflush(stdout) != 0 || ferror(stdout);
	e = errno;
	if (fclose(stdout) != 0 && !bad) {
		bad = 1;
		e = errno;
	}
	if (!bad)
		return;
	sp_write_error(e);
}

void
sp_write_error(int e)
{
	if (e == EPIPE)
		_exit(SP_EXIT_OK);
	sp_progress_clear();
	fprintf(stderr, "%s: write error on stdout: %s\n", sp_progname,
	    e ? strerror(e) : "I/O error");
	_exit(SP_EXIT_DATA);
}

const char *
sp_input_name(const char *path)
{
	return path == NULL || strcmp(path, "-") == 0 ? "<stdin>" : path;
}

/* The input named by an allocation failure (sp_alloc_input). */
static char alloc_input[512];

void
sp_alloc_input(const char *name)
{
	snprintf(alloc_input, sizeof alloc_input, "%s", name != NULL ? name : "");
}

/* Dies: "prog: [input: ]out of memory (n x size bytes, about X GB)". */
static void __attribute__((noreturn))
out_of_memory(size_t n, size_t size)
{
	double gb = (double)n * (double)size / 1e9;
	char many[64] = "";

	if (gb >= 0.1)
		snprintf(many, sizeof many, ", about %.1f GB", gb);
	if (size == 1)
		sp_die(SP_EXIT_DATA, "%s%sout of memory (%zu bytes%s)", alloc_input,
		    alloc_input[0] ? ": " : "", n, many);
	sp_die(SP_EXIT_DATA, "%s%sout of memory (%zu x %zu bytes%s)", alloc_input,
	    alloc_input[0] ? ": " : "", n, size, many);
}

void *
sp_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL)
		out_of_memory(n, 1);
	return p;
}

/*
 * Blocks of SP_HUGE bytes or more start on a 2 MB boundary and are marked
 * for transparent huge pages (madvise: where the system's THP mode is
 * "madvise", only marked memory gets them).  The first touch of a 45 MB
 * buffer otherwise costs 11,000 page faults, each zeroing 4 KB; huge
 * pages take 22.  Where THP is off or unsupported, madvise fails and
 * nothing changes.
 */
#define SP_HUGE ((size_t)2 << 20)

void *
sp_xmalloc_huge(size_t n)
{
	void *p;

	if (posix_memalign(&p, n >= SP_HUGE ? SP_HUGE : 64, n ? n : 1) != 0)
		out_of_memory(n, 1);
#ifdef MADV_HUGEPAGE
	if (n >= SP_HUGE)
		(void)madvise(p, n, MADV_HUGEPAGE);
#endif
	return p;
}

void *
sp_xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (p == NULL)
		out_of_memory(n, size);
	return p;
}

void *
sp_xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (p == NULL)
		out_of_memory(n, 1);
	return p;
}

void *
sp_xreallocarray(void *p, size_t n, size_t size)
{
	if (size != 0 && n > SIZE_MAX / size)
		out_of_memory(n, size);
	p = realloc(p, n != 0 && size != 0 ? n * size : 1);
	if (p == NULL)
		out_of_memory(n, size);
	return p;
}

char *
sp_xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;

	return memcpy(sp_xmalloc(n), s, n);
}

void
sp_version(void)
{
	printf("%s %s\n", sp_progname, SP_VERSION);
	exit(SP_EXIT_OK);
}
