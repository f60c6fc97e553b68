/* schema.h: checking JSON values against a documented subset of JSON Schema. */
#ifndef SP_SCHEMA_H
#define SP_SCHEMA_H

#include <jv.h>

#include "buf.h"

/*
 * The subset (schemas/staging.md documents it for schema authors):
 *   type (a name or a list of names: null boolean object array number
 *   string integer), enum, const, required, properties,
 *   additionalProperties (false or a schema), items, minItems, minimum,
 *   maximum, minLength, maxLength, format ("date-time": ISO 8601 with a
 *   zone, "date": YYYY-MM-DD, "spotify-uri": spotify:TYPE:ID), $ref
 *   ("#/$defs/x" or "other.schema.json#/$defs/x", relative to the schema's
 *   directory), $defs, allOf, anyOf, if/then/else; annotations ($schema,
 *   $id, $comment, title, description, default, examples, x-*) are ignored.
 * Any other keyword is an error when the schema is loaded, so that a typo
 * never silently accepts everything.  Every string checked must also be
 * free of NUL characters and every number finite (PostgreSQL's jsonb
 * refuses both).
 */
struct sp_schema;

/*
 * sp_schema_load: reads and checks the schema file at path.  Returns the
 * schema (the caller frees it with sp_schema_free), or NULL after printing
 * "prog: path: reason".
 */
struct sp_schema *sp_schema_load(const char *path);
void sp_schema_free(struct sp_schema *s);

/*
 * sp_schema_check_text: checks the text of a JSON value, already checked
 * by sp_jscan (jscan.h), against s, without building jv values.  Returns
 * 0 when it conforms; otherwise -1 with the first problem found appended
 * to reason, e.g. "field 'data.played_at': not an ISO 8601 time" or
 * "field 'kind': missing".  It keeps no state between calls, so threads
 * may check against different schemas at once (not the same one: a
 * message touches the schema's jv refcounts).
 */
struct sp_jtok;
int sp_schema_check_text(const struct sp_schema *s, const struct sp_jtok *t,
    struct sp_buf *reason);

/*
 * sp_iso_time_ok: whether s[0, len) is an ISO 8601 time with a zone:
 * YYYY-MM-DDTHH:MM[:SS[.frac]](Z|+HH:MM|-HH:MM), fields in range.
 */
int sp_iso_time_ok(const char *s, size_t len);

/*
 * sp_json_text_ok: whether the text of a JSON value is acceptable to
 * PostgreSQL's jsonb as it stands: valid UTF-8 and no \u0000 escape.
 * Returns 1, or 0 with the reason appended to reason.
 */
int sp_json_text_ok(const char *s, size_t len, struct sp_buf *reason);

#endif
