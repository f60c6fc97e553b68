/* entries.c: ZIP members, directory files or one file as named byte streams. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>

#include "buf.h"
#include "diag.h"
#include "entries.h"
#include "utf8.h"

/* One open directory of the walk: its sorted names and the next to visit. */
struct level {
	char *path;
	struct dirent **list;
	int n, i;
};

/* A file or directory already walked, known by device and inode. */
struct seen {
	dev_t dev;
	ino_t ino;
};

struct sp_entries {
	int kind;
	char *path;		/* as given, trailing slashes removed for directories */
	struct archive *a;
	struct archive_entry *ae;	/* the current member */
	int pending;		/* archive: the first header was read by open */
	int eof;
	int fd;			/* directory walk: the open file, or -1 */
	struct level stack[SP_ENTRIES_DEPTH_MAX + 1];
	int depth;
	struct seen *seen;	/* directory walk: what was visited */
	size_t nseen, capseen;
	struct sp_buf name, display;
};

/*
 * Whether st was visited before in this walk; if not, it is remembered.
 * Symbolic links are followed, so one directory or file can be reached by
 * several paths, and a link to an ancestor makes a loop: each is walked
 * once.  An export holds tens of files, so a list will do.
 */
static int
seen_before(struct sp_entries *en, const struct stat *st)
{
	size_t i;

	for (i = 0; i < en->nseen; i++)
		if (en->seen[i].dev == st->st_dev && en->seen[i].ino == st->st_ino)
			return 1;
	if (en->nseen == en->capseen) {
		en->capseen = en->capseen ? 2 * en->capseen : 16;
		en->seen = sp_xreallocarray(en->seen, en->capseen, sizeof *en->seen);
	}
	en->seen[en->nseen].dev = st->st_dev;
	en->seen[en->nseen].ino = st->st_ino;
	en->nseen++;
	return 0;
}

static int
cmp_names(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static int
not_dots(const struct dirent *d)
{
	return strcmp(d->d_name, ".") != 0 && strcmp(d->d_name, "..") != 0;
}

static int
push_dir(struct sp_entries *en, const char *path)
{
	struct level *l = &en->stack[en->depth];

	l->n = scandir(path, &l->list, not_dots, cmp_names);
	if (l->n < 0) {
		sp_warn("%s: %s", path, strerror(errno));
		l->list = NULL;
		return -1;
	}
	l->path = sp_xstrdup(path);
	l->i = 0;
	en->depth++;
	return 0;
}

static void
pop_dir(struct sp_entries *en)
{
	struct level *l = &en->stack[--en->depth];
	int i;

	for (i = 0; i < l->n; i++)
		free(l->list[i]);
	free(l->list);
	free(l->path);
	memset(l, 0, sizeof *l);
}

/* Whether name ends with suffix. */
static int
ends_with(const char *name, const char *suffix)
{
	size_t n = strlen(name), k = strlen(suffix);

	return n > k && strcmp(name + n - k, suffix) == 0;
}

static int
archive_fail(struct sp_entries *en, const char *what)
{
	const char *msg = archive_error_string(en->a);

	sp_warn("%s: %s", what, msg != NULL ? msg : "unreadable archive");
	return -1;
}

/*
 * The locale libarchive reads names in.  A ZIP entry name flagged UTF-8
 * is converted to the current locale's charset, and in the C locale (the
 * tools never call setlocale) a non-ASCII name fails to convert and is
 * lost.  With a UTF-8 character type the flagged names pass unchanged,
 * and unflagged ones (latin-1, CP437 or UTF-8 without the flag) are kept
 * as their raw bytes.  Only this thread and only during libarchive calls
 * that read names; (locale_t)0 when C.UTF-8 is missing.
 */
static locale_t
names_locale(void)
{
	static locale_t loc;
	static int tried;

	if (!tried) {
		tried = 1;
		loc = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
	}
	return loc;
}

static locale_t
names_begin(void)
{
	locale_t loc = names_locale();

	return loc != (locale_t)0 ? uselocale(loc) : (locale_t)0;
}

static void
names_end(locale_t old)
{
	if (old != (locale_t)0)
		uselocale(old);
}

/* Reads the next regular-file header into en->ae; 1, 0 at the end, -1 on error. */
static int
next_header(struct sp_entries *en)
{
	locale_t old;
	int r;

	for (;;) {
		old = names_begin();
		r = archive_read_next_header(en->a, &en->ae);
		names_end(old);
		if (r == ARCHIVE_EOF)
			return 0;
		if (r != ARCHIVE_OK && r != ARCHIVE_WARN)
			return archive_fail(en, en->path);
		if (archive_entry_filetype(en->ae) == AE_IFREG)
			return 1;
	}
}

struct sp_entries *
sp_entries_open(const char *path)
{
	struct sp_entries *en = sp_xcalloc(1, sizeof *en);
	struct stat st;
	size_t n;
	int r;

	en->fd = -1;
	en->path = sp_xstrdup(sp_input_name(path));
	if (strcmp(path, "-") != 0) {
		if (stat(path, &st) != 0) {
			sp_warn("%s: %s", path, strerror(errno));
			goto fail;
		}
		if (S_ISDIR(st.st_mode)) {
			n = strlen(en->path);
			while (n > 1 && en->path[n - 1] == '/')
				en->path[--n] = '\0';
			en->kind = SP_ENTRIES_DIR;
			seen_before(en, &st);
			if (push_dir(en, en->path) != 0)
				goto fail;
			return en;
		}
		if (S_ISREG(st.st_mode) && st.st_size == 0) {
			/* libarchive knows no format for nothing: one empty entry. */
			en->kind = SP_ENTRIES_FILE;
			en->pending = en->eof = 1;
			return en;
		}
	}
	en->a = archive_read_new();
	/* Only ZIP and single compressed files: no external filter programs. */
	archive_read_support_format_zip(en->a);
	archive_read_support_format_raw(en->a);
	archive_read_support_filter_gzip(en->a);
	archive_read_support_filter_bzip2(en->a);
	archive_read_support_filter_xz(en->a);
	if (strcmp(path, "-") == 0)
		r = archive_read_open_fd(en->a, 0, 64 << 10);
	else
		r = archive_read_open_filename(en->a, path, 64 << 10);
	if (r != ARCHIVE_OK) {
		/* libarchive has no format for empty input (an empty pipe). */
		if (archive_filter_bytes(en->a, -1) == 0 && archive_errno(en->a) != 0 &&
		    strcmp(path, "-") == 0)
			sp_warn("%s: empty input", en->path);
		else
			archive_fail(en, en->path);
		goto fail;
	}
	r = next_header(en);
	if (r < 0)
		goto fail;
	en->pending = r == 1;
	en->eof = r == 0;
	en->kind = r == 1 && archive_format(en->a) == ARCHIVE_FORMAT_RAW ?
	    SP_ENTRIES_FILE : SP_ENTRIES_ARCHIVE;
	/* A file named .zip that is no ZIP: say so, not what its bytes are not. */
	if (en->kind == SP_ENTRIES_FILE && archive_filter_count(en->a) <= 1 &&
	    fnmatch("*.zip", en->path, FNM_CASEFOLD) == 0) {
		sp_warn("%s: not a ZIP archive (a ZIP begins with the bytes PK; is the download whole?)",
		    en->path);
		goto fail;
	}
	return en;
fail:
	sp_entries_close(en);
	return NULL;
}

int
sp_entries_kind(const struct sp_entries *en)
{
	return en->kind;
}

void
sp_entries_close(struct sp_entries *en)
{
	if (en == NULL)
		return;
	if (en->a != NULL)
		archive_read_free(en->a);
	if (en->fd >= 0)
		close(en->fd);
	while (en->depth > 0)
		pop_dir(en);
	sp_buf_free(&en->name);
	sp_buf_free(&en->display);
	free(en->seen);
	free(en->path);
	free(en);
}

/* The name of a single (raw) file: its base name less a compression suffix. */
static void
raw_name(struct sp_entries *en)
{
	static const char *const sfx[] = { ".gz", ".bz2", ".xz", NULL };
	const char *base = strrchr(en->path, '/');
	size_t n;
	int i;

	base = base != NULL && base[1] != '\0' ? base + 1 : en->path;
	n = strlen(base);
	if (en->a != NULL && archive_filter_count(en->a) > 1)
		for (i = 0; sfx[i] != NULL; i++)
			if (ends_with(base, sfx[i])) {
				n -= strlen(sfx[i]);
				break;
			}
	sp_buf_add(&en->name, base, n);
	sp_buf_adds(&en->display, en->path);
}

/*
 * Appends the entry name p to en->name, each byte that is not part of
 * valid UTF-8 (a latin-1 or CP437 name) written as the text \xHH, so the
 * name stays valid UTF-8 and its raw bytes can still be told apart.
 */
static void
add_name(struct sp_entries *en, const char *p)
{
	const unsigned char *u = (const unsigned char *)p;
	size_t n = strlen(p);
	int k;

	while (n > 0) {
		if ((k = sp_utf8_len(u, n)) > 0) {
			sp_buf_add(&en->name, u, (size_t)k);
		} else {
			sp_buf_printf(&en->name, "\\x%02x", *u);
			k = 1;
		}
		u += k;
		n -= (size_t)k;
	}
}

static int
next_archive(struct sp_entries *en)
{
	const char *p;
	locale_t old;
	int r;

	if (en->pending) {
		en->pending = 0;
	} else {
		if (en->eof)
			return 0;
		if ((r = next_header(en)) <= 0) {
			en->eof = 1;
			return r;
		}
	}
	if (en->kind == SP_ENTRIES_FILE) {
		raw_name(en);
		return 1;
	}
	/* ZIP names are UTF-8 when the archive says so; else their raw bytes. */
	old = names_begin();
	if ((p = archive_entry_pathname_utf8(en->ae)) == NULL &&
	    (p = archive_entry_pathname(en->ae)) == NULL)
		p = "";
	add_name(en, p);
	names_end(old);
	sp_buf_printf(&en->display, "%s/%s", en->path, en->name.data);
	return 1;
}

static int
next_file(struct sp_entries *en)
{
	struct level *l;
	struct stat st;
	const char *d;

	while (en->depth > 0) {
		l = &en->stack[en->depth - 1];
		if (l->i >= l->n) {
			pop_dir(en);
			continue;
		}
		d = l->list[l->i++]->d_name;
		sp_buf_reset(&en->display);
		sp_buf_printf(&en->display, "%s/%s", l->path, d);
		if (stat(en->display.data, &st) != 0) {
			sp_warn("%s: %s", en->display.data, strerror(errno));
			return -1;
		}
		if ((S_ISDIR(st.st_mode) || S_ISREG(st.st_mode)) && seen_before(en, &st))
			continue;
		if (S_ISDIR(st.st_mode)) {
			if (en->depth > SP_ENTRIES_DEPTH_MAX) {
				sp_warn("%s: more than %d directory levels", en->display.data,
				    SP_ENTRIES_DEPTH_MAX);
				return -1;
			}
			if (push_dir(en, en->display.data) != 0)
				return -1;
			continue;
		}
		if (!S_ISREG(st.st_mode))
			continue;
		if ((en->fd = open(en->display.data, O_RDONLY)) < 0) {
			sp_warn("%s: %s", en->display.data, strerror(errno));
			return -1;
		}
		sp_buf_adds(&en->name, en->display.data + strlen(en->path) + 1);
		return 1;
	}
	return 0;
}

int
sp_entries_next(struct sp_entries *en, const char **name, const char **display)
{
	int r;

	if (en->fd >= 0) {
		close(en->fd);
		en->fd = -1;
	}
	sp_buf_reset(&en->name);
	sp_buf_reset(&en->display);
	r = en->kind == SP_ENTRIES_DIR ? next_file(en) : next_archive(en);
	if (r != 1)
		return r;
	/* A member without a name (a ZIP's may be empty) is "", never NULL. */
	*name = en->name.data != NULL ? en->name.data : "";
	*display = en->display.data != NULL ? en->display.data : "";
	return 1;
}

ssize_t
sp_entries_read(void *ctx, void *buf, size_t n)
{
	struct sp_entries *en = ctx;
	la_ssize_t got;
	ssize_t k;

	if (en->kind == SP_ENTRIES_DIR) {
		do
			k = read(en->fd, buf, n);
		while (k < 0 && errno == EINTR);
		if (k < 0)
			sp_warn("%s: %s", en->display.data, strerror(errno));
		return k;
	}
	if (en->a == NULL)
		return 0;
	got = archive_read_data(en->a, buf, n);
	if (got < 0) {
		const char *msg = archive_error_string(en->a);

		sp_warn("%s: truncated or corrupt %s: %s", en->display.data,
		    en->kind == SP_ENTRIES_ARCHIVE ? "archive" : "file",
		    msg != NULL ? msg : "read error");
		return -1;
	}
	return got;
}
