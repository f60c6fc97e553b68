/* entries.h: the files of a ZIP, a directory tree or one file, read as streams. */
#ifndef SP_ENTRIES_H
#define SP_ENTRIES_H

#include <sys/types.h>

/*
 * An input seen as a sequence of named entries, each read as a byte
 * stream, without unpacking anything to disk:
 *   - a ZIP archive (through libarchive): its regular-file entries, in
 *     archive order;
 *   - a directory: the regular files under it, recursively, in byte order
 *     of their names (LC_ALL=C ls order), symbolic links followed, at most
 *     SP_ENTRIES_DEPTH_MAX levels deep; a directory or file reached again
 *     (by a link, or a link loop; same device and inode) is walked once,
 *     where it is first met;
 *   - any other file, or "-" for stdin: one entry, decompressed when it is
 *     gzip, bzip2 or xz.
 * Memory does not grow with the size of an entry.
 */
struct sp_entries;

#define SP_ENTRIES_DEPTH_MAX 16

/* What an input turned out to be. */
enum sp_entries_kind { SP_ENTRIES_ARCHIVE = 1, SP_ENTRIES_DIR, SP_ENTRIES_FILE };

/*
 * sp_entries_open: opens path ("-" for stdin).  On failure prints
 * "prog: path: reason" and returns NULL.  Free with sp_entries_close.
 */
struct sp_entries *sp_entries_open(const char *path);
void sp_entries_close(struct sp_entries *en);

/* The kind of input (set by sp_entries_open). */
int sp_entries_kind(const struct sp_entries *en);

/*
 * sp_entries_next: moves to the next entry.  Returns 1 and sets *name to
 * its name inside the input (the archive member's path, the path relative
 * to the directory, or the file's base name without a .gz/.bz2/.xz suffix;
 * "<stdin>" for stdin; a member's name is kept whatever the locale: as
 * UTF-8, or as its raw bytes with each byte that is not valid UTF-8
 * written as the text \xHH) and *display to the name for messages
 * ("export.zip/member", "dir/sub/file", or the path as given).  Both are
 * owned by en and valid until the next call.  Returns 0 at the end, -1 on
 * an error it has printed ("prog: display: reason").  Unread data of the
 * previous entry is skipped.
 */
int sp_entries_next(struct sp_entries *en, const char **name, const char **display);

/*
 * sp_entries_read: reads the current entry; an sp_read_fn
 * (jsonstream.h), ctx being the struct sp_entries.  Returns bytes read, 0
 * at its end, or -1 after printing "prog: display: reason" (a truncated or
 * corrupt archive, a read error).
 */
ssize_t sp_entries_read(void *ctx, void *buf, size_t n);

#endif
