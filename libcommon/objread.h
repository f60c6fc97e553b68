/* objread.h: reading a stored object: its bytes hashed, gunzipped when .gz, in lines. */
#ifndef SP_OBJREAD_H
#define SP_OBJREAD_H

#include <stdio.h>

#include <zlib.h>

#include "buf.h"
#include "sha256.h"

/*
 * A reader of one object from a stream: every byte read is hashed
 * (SHA-256 of the object as stored, gzip or not), a name ending in .gz is
 * gunzipped (concatenated members too), and the text is split into lines
 * (without the newline or a final carriage return) of at most max_line
 * bytes.  Memory is constant: a line and two fixed buffers.
 */
struct sp_objread {
	FILE *fp;
	const char *name;
	int gz, zdone;
	z_stream z;
	struct sp_sha256 hash;	/* of every byte read so far */
	unsigned char in[1 << 16];
	char *out;		/* decompressed bytes not yet returned */
	size_t out_cap, out_len, out_pos, max_line;
	struct sp_buf line;	/* the current line (NUL-terminated) */
	long lineno;		/* its number, from 1 */
	int eof;
	char err[256];		/* why the last call failed */
};

/*
 * sp_objread_open: starts reading fp (borrowed, as is name, until
 * sp_objread_close) as the object name; raw: the bytes as stored, even of
 * a .gz object (for its checksum only).
 */
void sp_objread_open(struct sp_objread *rd, FILE *fp, const char *name, int raw,
    size_t max_line);
void sp_objread_close(struct sp_objread *rd);

/*
 * sp_objread_line: the next line in rd->line; 1, 0 at the end, or -1 with
 * the reason in rd->err ("read error: ...", "truncated gzip data",
 * "invalid gzip data: ...", "line N longer than M bytes").
 */
int sp_objread_line(struct sp_objread *rd);

/* sp_objread_drain: reads the rest (for the checksum): 0, or -1 as above. */
int sp_objread_drain(struct sp_objread *rd);

/* sp_objread_hex: the SHA-256 of the bytes read, in hex; finishes the hash. */
void sp_objread_hex(struct sp_objread *rd, char hex[65]);

#endif
