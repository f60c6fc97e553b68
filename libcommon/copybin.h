/*
 * copybin.h: PostgreSQL's binary COPY format, for the column types sp-load
 * writes.  The text form of COPY makes the server parse every value with
 * the type's input function (a timestamptz costs more than the row's
 * insert); the binary form carries the value itself.  Values come in as
 * the text the text form would carry, and are converted here as the
 * server's input function would, so both forms load the same rows.
 */
#ifndef SP_COPYBIN_H
#define SP_COPYBIN_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

enum sp_cb_type {
	SP_CB_OTHER,		/* not supported: use the text form */
	SP_CB_TEXT,		/* text, varchar, name: the bytes */
	SP_CB_INT2,
	SP_CB_INT4,
	SP_CB_INT8,
	SP_CB_FLOAT8,
	SP_CB_BOOL,
	SP_CB_TSTZ,		/* timestamptz */
	SP_CB_JSON,
	SP_CB_JSONB
};

/* The type named by format_type() ("integer", "timestamp with time zone"...). */
enum sp_cb_type sp_cb_type_of(const char *name);
/* And back: the type's name, for messages. */
const char *sp_cb_type_name(enum sp_cb_type t);

/* The 19-byte header, and the trailer that ends the data. */
void sp_cb_header(struct sp_buf *b);
void sp_cb_trailer(struct sp_buf *b);

/* Starts a tuple of n fields. */
void sp_cb_tuple(struct sp_buf *b, int n);

/* A NULL field. */
void sp_cb_null(struct sp_buf *b);

/*
 * A field of type t whose text form is s[0, n): the bytes for text and
 * json, the version byte and the bytes for jsonb, else the value parsed as
 * the type's input function parses it (integers in range, booleans as
 * t/true/yes/on/1 and f/false/no/off/0, times in the schemas' date-time
 * form, sp_time_parse of dates.h, which rounds as PostgreSQL does).  Returns 0, or
 * -1 when s is no value of the type (nothing is appended then).
 */
int sp_cb_field(struct sp_buf *b, enum sp_cb_type t, const char *s, size_t n);

#endif
