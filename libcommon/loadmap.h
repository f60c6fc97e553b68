/* loadmap.h: the load map (schemas/load.json): the rows a staged record gives. */
#ifndef SP_LOADMAP_H
#define SP_LOADMAP_H

#include <stddef.h>

#include "buf.h"
#include "jscan.h"

/*
 * The contract.  sp_loadmap_load compiles a load map once: its tables
 * (the raw relations, their columns, key and SQL files) and its record
 * rules (schemas/staging.md documents the language).  Then, for each
 * record, sp_loadmap_match finds the first rule whose 'when' members the
 * record has, and the rule's rows give the record's rows: row i goes
 * into table sp_lmrow_into(...) (or none, when its 'require' or 'unless'
 * leave it out), its column c holds sp_lmrow_value(...).  Values are the
 * text the text form of COPY carries before escaping; NULL is "no value".
 * The map knows nothing of PostgreSQL, transactions or files beyond its
 * own SQL files: sp-load does those.
 */

/* At most this many rows a record gives. */
#define SP_LM_ROWS_MAX 16

struct sp_lmtable {
	char *name;		/* the map's name for it: "plays" */
	char *table;		/* the relation: "raw.plays" */
	char **cols;
	int ncols;
	int direct;		/* rows may go straight into the table (COPY) */
	unsigned char *iskey;	/* per column: part of the table's 'key'; NULL: no key */
	char *before, *merge, *finish;	/* SQL text; before and finish may be NULL */
};

struct sp_lmrule;

struct sp_loadmap {
	struct sp_lmtable *t;
	int nt;
	struct sp_lmrule *r;
	int nr;
};

/*
 * sp_loadmap_load: reads and compiles the map at path; its SQL files are
 * named relative to its directory.  Returns the map (the caller frees it
 * with sp_loadmap_free), or NULL after printing "prog: path: reason".
 */
struct sp_loadmap *sp_loadmap_load(const char *path);
void sp_loadmap_free(struct sp_loadmap *m);

/*
 * A record being turned into rows: the index of its members, built once
 * per record so that each column's pointer does not scan the line again.
 * It is large (kept on the heap) and reused from record to record.
 */
struct sp_lmrec;
struct sp_lmrec *sp_lmrec_new(void);
void sp_lmrec_free(struct sp_lmrec *r);

/*
 * sp_loadmap_match: takes the record obj (an object token of checked text,
 * sp_jscan) of line[0, len), line lineno of the staged object named
 * object (all borrowed until the next call), into r; returns the rule
 * that applies, or NULL with "no load rule for kind 'K' from source 'S'"
 * appended to reason.
 */
const struct sp_lmrule *sp_loadmap_match(const struct sp_loadmap *m, struct sp_lmrec *r,
    const struct sp_jtok *obj, const char *line, size_t len, const char *object,
    long lineno, struct sp_buf *reason);

/* sp_lmrule_rows: how many rows rule ru can give (at most SP_LM_ROWS_MAX). */
int sp_lmrule_rows(const struct sp_lmrule *ru);

/*
 * sp_lmrow_into: the table (an index into m->t) row i of rule ru goes
 * into for record r, or -1 when the row is left out for r.
 */
int sp_lmrow_into(const struct sp_lmrule *ru, int i, const struct sp_lmrec *r);

/*
 * sp_lmrow_value: the value of column c of row i of rule ru for record r:
 * 1 with its text in *s, *n (pointing into the record, the map or tmp,
 * valid until tmp or r next changes), or 0 for NULL.
 */
int sp_lmrow_value(const struct sp_lmrule *ru, int i, int c, const struct sp_lmrec *r,
    struct sp_buf *tmp, const char **s, size_t *n);

#endif
