/* sp-load: loads staged objects into PostgreSQL's raw tables, each exactly once. */
#include <errno.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "batch.h"
#include "buf.h"
#include "copybin.h"
#include "diag.h"
#include "dupwin.h"
#include "jscan.h"
#include "loadmap.h"
#include "ndjson.h"
#include "paths.h"
#include "objread.h"
#include "pg.h"
#include "progress.h"
#include "schema.h"
#include "store.h"
#include "strtab.h"

/* A staged line longer than this makes the object unreadable. */
#define LINE_MAX_BYTES SP_LINE_MAX_DEFAULT
/* COPY data is sent in chunks of about this size. */
#define COPY_CHUNK (256u << 10)
/* With -v, a line every this many records of a big object. */
#define PROGRESS_EVERY 100000
/* The advisory lock that makes loads take turns (any database). */
#define LOAD_LOCK "727002"

static void __attribute__((noreturn))
usage(FILE *fp, int status)
{
	fprintf(fp,
	    "usage: sp-load [-cqv] [--pending] [--store URL] [--db CONNINFO] [DATASET...]\n"
	    "Loads every staged object of the datasets (default: all) not yet in\n"
	    "raw.load_ledger into PostgreSQL, each in one transaction.\n"
	    "  -c, --check        also read every loaded object again and compare its\n"
	    "                     checksum with the ledger's\n"
	    "  -d, --db CONNINFO  the database (default: $SP_DATABASE_URL, else PG*)\n"
	    "  -n, --pending      only list the objects not loaded yet, one a line\n"
	    "  -s, --store URL    a directory or s3://BUCKET/PREFIX (default:\n"
	    "                     $SP_STAGE_URL, else $SP_HOME/stage)\n"
	    "  -q, --quiet        no progress line nor summary of the objects loaded\n"
	    "  -v, --verbose      report each object on stderr\n"
	    "  -h, --help         show this help\n"
	    "      --version      show the version\n");
	exit(status);
}

/* ---- loading ---- */

/*
 * The direct table's recent keys (dupwin.h): a record that repeats one
 * (Spotify's exports repeat some rows, next to each other) is left out of
 * the COPY, as the merge path would leave it out: otherwise the unique
 * key stops the COPY at the end and the whole object goes through the
 * merge path, four times slower.  Equal text is an equal key for
 * PostgreSQL; a repeat farther apart, or one spelt differently, still
 * ends in the merge path.
 */
struct loader {
	PGconn *db;
	struct sp_store *st;
	struct sp_loadmap *map;
	FILE **spool;		/* per table of the map: COPY text rows waiting, or NULL */
	long *nrows;		/* per table: rows of the current object */
	struct sp_lmrec *rec;	/* the record being turned into rows */
	struct sp_buf row, reason, tmp;	/* a record's rows, why it has none, a value's text */
	int verbose;
	struct sp_ledger ledger;	/* raw.load_ledger, read at the start */
	struct sp_buf copy;	/* COPY data being gathered for the direct table */
	enum sp_cb_type *bin;	/* the direct table's column types, when all have a binary form */
	struct sp_dupwin *win;	/* the direct table's recent keys, when it has a key */
	struct sp_buf key;	/* the key being made (make_rows) */
	long repeats;		/* records of the object left out by win */
	FILE *rejects;		/* COPY rows for raw.rejects */
	long nrejects;
	int status;		/* the exit status so far */
	struct sp_progress pg;	/* objects done of those listed, records loaded */
	long records;		/* records loaded by the objects before this one */
};

struct dataset {
	char *name;
	struct sp_schema *schema;
};

static struct dataset *datasets;
static size_t ndatasets;

/* The schema of dataset name (loaded once), or NULL if it has none. */
static struct sp_schema *
schema_for(const char *name)
{
	struct sp_buf p = { 0 };
	char *path;
	struct stat sb;
	size_t i;

	for (i = 0; i < ndatasets; i++)
		if (strcmp(datasets[i].name, name) == 0)
			return datasets[i].schema;
	sp_buf_printf(&p, "schemas/%s.schema.json", name);
	path = sp_share_path(p.data);
	sp_buf_free(&p);
	datasets = sp_xreallocarray(datasets, ndatasets + 1, sizeof *datasets);
	datasets[ndatasets].name = sp_xstrdup(name);
	datasets[ndatasets].schema = stat(path, &sb) == 0 ? sp_schema_load(path) : NULL;
	if (datasets[ndatasets].schema == NULL && stat(path, &sb) == 0)
		exit(SP_EXIT_DATA);
	free(path);
	return datasets[ndatasets++].schema;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
exec1(PGconn *db, const char *sql, const char *p1)
{
	const char *p[1] = { p1 };
	PGresult *r = sp_pg_query(db, sql, p1 ? 1 : 0, p1 ? p : NULL);

	if (r == NULL)
		return -1;
	PQclear(r);
	return 0;
}

/* Sends a spool file to COPY sql; 0 or -1. */
static int
copy_spool(PGconn *db, const char *sql, FILE *fp)
{
	char buf[65536];
	size_t n;

	if (fflush(fp) != 0) {
		sp_warn("temporary file: %s", strerror(errno));
		return -1;
	}
	rewind(fp);
	if (sp_pg_copy_in_begin(db, sql) != 0)
		return -1;
	while ((n = fread(buf, 1, sizeof buf, fp)) > 0)
		if (sp_pg_copy_put(db, buf, n) != 0) {
			sp_pg_copy_in_end(db, "sp-load: send failed");
			return -1;
		}
	if (ferror(fp)) {
		sp_pg_copy_in_end(db, "sp-load: temporary file unreadable");
		sp_warn("temporary file: read error");
		return -1;
	}
	return sp_pg_copy_in_end(db, NULL);
}

static void
spool_put(FILE **fp, const char *p, size_t n)
{
	if (*fp == NULL && (*fp = tmpfile()) == NULL)
		sp_die(SP_EXIT_DATA, "cannot create a temporary file: %s", strerror(errno));
	if (fwrite(p, 1, n, *fp) != n)
		sp_die(SP_EXIT_DATA, "temporary file: %s", strerror(errno));
}

static void
add_reject(struct loader *L, const char *object, long line, const char *reason,
    const char *rec, size_t len)
{
	struct sp_buf b = { 0 };

	sp_copy_field(&b, object, strlen(object));
	sp_buf_printf(&b, "\t%ld\t", line);
	sp_copy_field(&b, reason, strlen(reason));
	sp_buf_addc(&b, '\t');
	/* A record that is not UTF-8 cannot be kept as text: keep its place only. */
	{
		struct sp_buf why = { 0 };

		if (rec != NULL && sp_json_text_ok(rec, len, &why))
			sp_copy_field(&b, rec, len);
		else
			sp_buf_add(&b, "\\N", 2);
		sp_buf_free(&why);
	}
	sp_buf_addc(&b, '\n');
	spool_put(&L->rejects, b.data, b.len);
	L->nrejects++;
	sp_buf_free(&b);
}

/* Outcome of one attempt at an object. */
enum { DONE, SKIPPED, RETRY_STAGED, FAIL_DATA, FAIL_DB };

static void
reset_spools(struct loader *L)
{
	int i;

	for (i = 0; i < L->map->nt; i++) {
		if (L->spool[i] != NULL)
			fclose(L->spool[i]);
		L->spool[i] = NULL;
		L->nrows[i] = 0;
	}
	if (L->rejects != NULL)
		fclose(L->rejects);
	L->rejects = NULL;
	L->nrejects = 0;
	sp_buf_reset(&L->copy);
}

static int
rollback(struct loader *L, int outcome)
{
	if (PQstatus(L->db) == CONNECTION_OK && PQtransactionStatus(L->db) != PQTRANS_IDLE)
		sp_pg_exec(L->db, "rollback");
	reset_spools(L);
	return outcome;
}

/* Checks an object already in the ledger: the same bytes, or an error. */
static int
verify(struct loader *L, const char *name, const char *want)
{
	struct sp_objread rd;
	char hex[65];
	FILE *fp = sp_store_read(L->st, name);
	int r;

	if (fp == NULL)
		return sp_store_status(L->st) == SP_EXIT_UPSTREAM ? FAIL_DB : FAIL_DATA;
	sp_objread_open(&rd, fp, name, 1, LINE_MAX_BYTES);
	r = sp_objread_drain(&rd);
	fclose(fp);
	sp_objread_hex(&rd, hex);
	sp_objread_close(&rd);
	if (r < 0) {
		sp_warn("%s: %s", name, rd.err);
		return FAIL_DATA;
	}
	if (strcmp(hex, want) != 0) {
		sp_warn("%s: checksum %.16s... differs from the loaded object's %.16s...",
		    name, hex, want);
		sp_hint("an object's content never changes once staged; restore it, or delete its ledger row to load it again");
		return FAIL_DATA;
	}
	return SKIPPED;
}

/*
 * Looks up the types of the direct table's columns: when each has a
 * binary form (copybin.h), its rows go in COPY's binary form, which
 * spares the server parsing every value (a third of its work for plays).
 * SP_LOAD_TEXT=1 keeps the text form (tests compare the two).  0, or -1
 * when the query fails.
 */
static int
binary_types(struct loader *L)
{
	const struct sp_lmtable *t = NULL;
	const char *e = getenv("SP_LOAD_TEXT");
	PGresult *res;
	int i, c, k;

	for (i = 0; i < L->map->nt; i++)
		if (L->map->t[i].direct)
			t = &L->map->t[i];
	if (t == NULL || (e != NULL && strcmp(e, "1") == 0))
		return 0;
	{
		const char *p[1] = { t->table };

		res = sp_pg_query(L->db, "select a.attname, format_type(a.atttypid, null)"
		    " from pg_attribute a where a.attrelid = $1::regclass"
		    " and a.attnum > 0 and not a.attisdropped", 1, p);
	}
	if (res == NULL)
		return -1;
	L->bin = sp_xcalloc((size_t)t->ncols, sizeof *L->bin);
	for (c = 0; c < t->ncols; c++) {
		for (k = 0; k < PQntuples(res); k++)
			if (strcmp(PQgetvalue(res, k, 0), t->cols[c]) == 0)
				break;
		if (k == PQntuples(res) ||
		    (L->bin[c] = sp_cb_type_of(PQgetvalue(res, k, 1))) == SP_CB_OTHER)
			break;
	}
	PQclear(res);
	if (c < t->ncols) {
		/* A column the binary form cannot carry (or none of that name:
		 * COPY will say so): text for all. */
		free(L->bin);
		L->bin = NULL;
	}
	return 0;
}

/*
 * Makes the rows rule ru gives record L->rec, one after another in L->row: the
 * i-th is row[at[i], at[i + 1]), for table tab[i]; rows of the direct
 * table in COPY's binary form when L->bin says so.  Returns how many, or
 * -1 with the reason when a value is none of its column's type (then the
 * record gives no row at all).
 */
static int
make_rows(struct loader *L, const struct sp_lmrule *ru, int direct_t, size_t at[], int tab[])
{
	struct sp_buf *key = L->win != NULL ? &L->key : NULL, *row = &L->row;
	const char *s;
	size_t n;
	int i, c, nr = 0;

	sp_buf_reset(row);
	for (i = 0; i < sp_lmrule_rows(ru); i++) {
		int ti = sp_lmrow_into(ru, i, L->rec);
		const struct sp_lmtable *t;
		int direct = ti == direct_t, keyed = direct && L->win != NULL;

		if (ti < 0)
			continue;
		t = &L->map->t[ti];
		at[nr] = row->len;
		tab[nr++] = ti;
		if (keyed)
			sp_buf_reset(key);
		if (direct && L->bin != NULL)
			sp_cb_tuple(row, t->ncols);
		for (c = 0; c < t->ncols; c++) {
			int has = sp_lmrow_value(ru, i, c, L->rec, &L->tmp, &s, &n);

			if (keyed && t->iskey[c]) {
				/* Each part as its length and bytes; NULL as length ~0. */
				uint32_t len = has ? (uint32_t)n : UINT32_MAX;

				sp_buf_add(key, &len, sizeof len);
				if (has)
					sp_buf_add(key, s, n);
			}
			if (!direct || L->bin == NULL) {
				if (c > 0)
					sp_buf_addc(row, '\t');
				if (has)
					sp_copy_field(row, s, n);
				else
					sp_buf_add(row, "\\N", 2);
			} else if (!has) {
				sp_cb_null(row);
			} else if (sp_cb_field(row, L->bin[c], s, n) != 0) {
				size_t k = n;

				/* At most 64 bytes of it, cut between UTF-8 characters. */
				if (k > 64)
					for (k = 64; k > 0 && ((unsigned char)s[k] & 0xc0) == 0x80; k--)
						;
				sp_buf_printf(&L->reason, "column %s: '%.*s%s' is not a valid %s",
				    t->cols[c], (int)k, s, k < n ? "..." : "", sp_cb_type_name(L->bin[c]));
				return -1;
			}
		}
		if (!direct || L->bin == NULL)
			sp_buf_addc(row, '\n');
		if (keyed && sp_dupwin_seen(L->win, key->data, key->len)) {
			/* A repeat of a row just copied: the first one stays. */
			row->len = at[--nr];
			L->repeats++;
		}
	}
	at[nr] = row->len;
	return nr;
}

/* A line of a rejects file of sp-stage ({"line","reason","record"}), or what its check found. */
static void
take_rejects_line(struct loader *L, const char *name, const struct sp_batch_line *e, const char *line)
{
	size_t len = e->len;
	jv v = sp_jv_parse(line, len), ln, rs, rc;

	sp_buf_reset(&L->reason);
	if (!jv_is_valid(v) || e->verdict == SP_BATCH_JSON) {
		jv_free(v);
		sp_batch_word(SP_BATCH_JSON, line, len, &L->reason);
		add_reject(L, name, e->lineno, L->reason.data, line, len);
		return;
	}
	ln = sp_jv_get(v, "line"), rs = sp_jv_get(v, "reason"), rc = sp_jv_get(v, "record");
	if (jv_get_kind(ln) == JV_KIND_NUMBER && jv_get_kind(rs) == JV_KIND_STRING)
		add_reject(L, name, (long)jv_number_value(ln), jv_string_value(rs),
		    jv_get_kind(rc) == JV_KIND_STRING ? jv_string_value(rc) : NULL,
		    jv_get_kind(rc) == JV_KIND_STRING ? (size_t)jv_string_length_bytes(jv_copy(rc)) : 0);
	else
		add_reject(L, name, e->lineno, "not a reject record", line, len);
	jv_free(ln);
	jv_free(rs);
	jv_free(rc);
	jv_free(v);
}

/*
 * The rows of checked line e of object name: the direct table's into the
 * COPY (sent in chunks), the others' into their spools; a line that gives
 * none is a reject.  Returns DONE, or FAIL_DB when sending failed.
 */
static int
take_line(struct loader *L, const char *name, const struct sp_batch_chunk *bt, const struct sp_batch_line *e,
    int direct_t, long *valid)
{
	const char *line = bt->text.data + e->off;
	const struct sp_lmrule *ru;
	struct sp_jtok tok = { SP_JSON_OBJECT, line + e->x_off, e->x_len };
	size_t at[SP_LM_ROWS_MAX + 1];
	int tab[SP_LM_ROWS_MAX], nr, i;

	sp_buf_reset(&L->reason);
	if (e->verdict == SP_BATCH_KIND) {
		sp_batch_word(SP_BATCH_KIND, line, e->len, &L->reason);
	} else if (e->verdict == SP_BATCH_INVALID) {
		sp_buf_add(&L->reason, bt->text.data + e->x_off, e->x_len);
	} else if ((ru = sp_loadmap_match(L->map, L->rec, &tok, line, e->len, name, e->lineno,
	    &L->reason)) != NULL && (nr = make_rows(L, ru, direct_t, at, tab)) >= 0) {
		for (i = 0; i < nr; i++) {
			L->nrows[tab[i]]++;
			if (tab[i] != direct_t) {
				spool_put(&L->spool[tab[i]], L->row.data + at[i], at[i + 1] - at[i]);
				continue;
			}
			sp_buf_add(&L->copy, L->row.data + at[i], at[i + 1] - at[i]);
			if (L->copy.len >= COPY_CHUNK) {
				if (sp_pg_copy_put(L->db, L->copy.data, L->copy.len) != 0)
					return FAIL_DB;
				sp_buf_reset(&L->copy);
			}
		}
		if (++*valid % PROGRESS_EVERY == 0 && L->verbose)
			sp_warn("%s: %ld records...", name, *valid);
		if (*valid % 256 == 0)
			sp_progress_items(&L->pg, L->records + *valid, "record", "records");
		return DONE;
	}
	add_reject(L, name, e->lineno, L->reason.data, line, e->len);
	return DONE;
}

/* Starts the COPY of the direct table t's rows; 0 or -1. */
static int
copy_begin(struct loader *L, const struct sp_lmtable *t)
{
	struct sp_buf sql = { 0 };
	int i, r;

	sp_buf_printf(&sql, "copy %s (", t->table);
	for (i = 0; i < t->ncols; i++)
		sp_buf_printf(&sql, "%s%s", i ? ", " : "", t->cols[i]);
	sp_buf_adds(&sql, L->bin != NULL ? ") from stdin with (format binary)" : ") from stdin");
	if (L->bin != NULL)
		sp_cb_header(&L->copy);
	r = sp_pg_copy_in_begin(L->db, sql.data);
	sp_buf_free(&sql);
	return r;
}

/* Ends the direct table's COPY: the object's outcome so far becomes its outcome. */
static int
copy_end(struct loader *L, const char *name, int outcome)
{
	char state[6], msg[512];

	if (L->bin != NULL)
		sp_cb_trailer(&L->copy);
	if (outcome == DONE && L->copy.len > 0 &&
	    sp_pg_copy_put(L->db, L->copy.data, L->copy.len) != 0)
		outcome = FAIL_DB;
	if (outcome != DONE) {
		sp_pg_copy_in_end(L->db, "sp-load: object abandoned");
	} else if (sp_pg_copy_in_end_state(L->db, state, msg, sizeof msg) != 0) {
		if (strcmp(state, "23505") == 0) {
			outcome = RETRY_STAGED;
		} else {
			sp_warn("%s: SQL error: %s", name, msg);
			outcome = FAIL_DB;
		}
	}
	return outcome;
}

/* Merges each spooled table's rows through a temporary table and its 'merge' SQL. */
static int
merge_spools(struct loader *L, const char *name)
{
	struct sp_buf sql = { 0 };
	int i, c, outcome = DONE;

	for (i = 0; outcome == DONE && i < L->map->nt; i++) {
		const struct sp_lmtable *t = &L->map->t[i];

		if (L->spool[i] == NULL)
			continue;
		sp_buf_reset(&sql);
		sp_buf_printf(&sql, "create temp table load_%s on commit drop as select ", t->name);
		for (c = 0; c < t->ncols; c++)
			sp_buf_printf(&sql, "%s%s", c ? ", " : "", t->cols[c]);
		sp_buf_printf(&sql, " from %s with no data", t->table);
		if (sp_pg_exec(L->db, sql.data) != 0) {
			outcome = FAIL_DB;
			break;
		}
		sp_buf_reset(&sql);
		sp_buf_printf(&sql, "copy load_%s from stdin", t->name);
		if (copy_spool(L->db, sql.data, L->spool[i]) != 0 ||
		    sp_pg_exec(L->db, t->merge) != 0) {
			sp_warn("%s: loading %s failed", name, t->table);
			outcome = FAIL_DB;
		}
	}
	sp_buf_free(&sql);
	return outcome;
}

/*
 * Opens a transaction for object name and checks the ledger again (another
 * sp-load may have loaded it meanwhile): DONE to go on, else the attempt's
 * outcome (rolled back).
 */
static int
load_begin(struct loader *L, const char *name)
{
	const char *p[1] = { name };
	char *have;
	int i, r;

	if (sp_pg_exec(L->db, "begin") != 0 ||
	    exec1(L->db, "select pg_advisory_xact_lock(" LOAD_LOCK ")", NULL) != 0)
		return rollback(L, FAIL_DB);
	have = sp_pg_value(L->db, "select checksum from raw.load_ledger where object = $1", 1, p);
	if (have == NULL && PQtransactionStatus(L->db) == PQTRANS_INERROR)
		return rollback(L, FAIL_DB);
	if (have != NULL) {
		/* Loaded by another sp-load since this one started. */
		rollback(L, SKIPPED);
		r = verify(L, name, have);
		free(have);
		return r;
	}
	for (i = 0; i < L->map->nt; i++)
		if (L->map->t[i].before != NULL && sp_pg_exec(L->db, L->map->t[i].before) != 0)
			return rollback(L, FAIL_DB);
	return DONE;
}

/* The direct table for this attempt, or -1; prepares its repeat window. */
static int
direct_table(struct loader *L, int direct)
{
	int i, direct_t = -1;

	for (i = 0; direct && i < L->map->nt; i++)
		if (L->map->t[i].direct)
			direct_t = i;
	L->repeats = 0;
	if (direct_t >= 0 && L->map->t[direct_t].iskey != NULL) {
		if (L->win == NULL)
			L->win = sp_dupwin_new();
		sp_dupwin_reset(L->win);
	}
	return direct_t;
}

/*
 * analyze_grown: fresh statistics, in the object's transaction, when its
 * nrows rows are a large part of table t (ANALYZE_FRACTION of the
 * planner's estimate or more, at least ANALYZE_MIN rows): a first backfill
 * into an empty table otherwise runs its finish step (raw.dedupe_plays) on
 * a plan made for no rows, 17-27 s for 9,711 plays instead of a fraction
 * of one.
 *
 * Its BRIN indexes' new page ranges are summarised then too.  Autovacuum
 * summarises a range once filled (autosummarize), but its queue of such
 * requests holds a few hundred and a backfill fills thousands: the rest
 * stayed unsummarised until the next VACUUM, and every later load's search
 * for its new rows (play_id > first id, plays.finish.sql) read the whole
 * table, 0.4 s of the hourly load's 0.5 s after 1,000,000 plays.
 */
#define ANALYZE_MIN 1000
#define ANALYZE_FRACTION 0.1
static int
analyze_grown(struct loader *L, const struct sp_lmtable *t, long nrows)
{
	const char *p[1] = { t->table };
	char *v;
	double est;
	struct sp_buf sql = {0};
	int rc;

	if (nrows < ANALYZE_MIN)
		return 0;
	v = sp_pg_value(L->db, "select reltuples from pg_class where oid = $1::regclass", 1, p);
	if (v == NULL)
		return -1;
	est = strtod(v, NULL);
	free(v);
	if (est > 0 && (double)nrows < ANALYZE_FRACTION * est)
		return 0;
	sp_buf_printf(&sql, "analyze %s", t->table);
	rc = sp_pg_exec(L->db, sql.data);
	sp_buf_free(&sql);
	if (rc != 0)
		return rc;
	if ((v = sp_pg_value(L->db, "select count(brin_summarize_new_values(i.indexrelid))"
	    " from pg_index i join pg_class c on c.oid = i.indexrelid"
	    " join pg_am a on a.oid = c.relam"
	    " where i.indrelid = $1::regclass and a.amname = 'brin'", 1, p)) == NULL)
		return -1;
	free(v);
	return 0;
}

/*
 * How many of the object's plays are new: all of them when they went
 * straight into the direct table (a row already there would have failed
 * the COPY), else those the merge added, whose play_id is above the one
 * the 'before' step recorded (plays.before.sql).  Sets *plays_t to the
 * direct table's index (-1 when the map has none); -1 on an error.
 */
static long
new_plays(struct loader *L, int direct_t, int *plays_t)
{
	struct sp_buf sql = { 0 };
	char *v;
	long n;
	int i;

	*plays_t = -1;
	for (i = 0; i < L->map->nt; i++)
		if (L->map->t[i].direct)
			*plays_t = i;
	if (*plays_t < 0 || L->nrows[*plays_t] == 0)
		return 0;
	if (direct_t >= 0)
		return L->nrows[*plays_t];
	sp_buf_printf(&sql, "select count(*) from %s where play_id >"
	    " current_setting('sp.first_play_id')::bigint", L->map->t[*plays_t].table);
	v = sp_pg_value(L->db, sql.data, 0, NULL);
	sp_buf_free(&sql);
	if (v == NULL)
		return -1;
	n = strtol(v, NULL, 10);
	free(v);
	return n;
}

/* The verbose report of a loaded object: records, rejects, plays new. */
static void
report_object(struct loader *L, const char *name, long valid, int plays_t, long fresh)
{
	char plays[192] = "";

	if (plays_t >= 0 && L->nrows[plays_t] > 0) {
		/* The rest are an export's episodes, audiobooks and videos
		 * (raw.other_plays) and the repeats below. */
		long other = valid - L->nrows[plays_t] - L->repeats;
		int k = snprintf(plays, sizeof plays, "; plays: %ld new, %ld already loaded", fresh,
		    L->nrows[plays_t] - fresh);

		if (other > 0)
			snprintf(plays + k, sizeof plays - (size_t)k, "; %ld not music (%s)", other,
			    other == 1 ? "an episode, audiobook or video" : "episodes, audiobooks, videos");
	}
	sp_warn("%s: loaded %ld %s, %ld rejected%s", name, valid,
	    sp_plural(valid, "record", "records"), L->nrejects, plays);
	if (L->repeats > 0)
		sp_warn("%s: %ld %s: loaded once", name, L->repeats, sp_plural(L->repeats,
		    "record repeats a play just before it", "records repeat a play just before them"));
}

/* One attempt at loading object name; direct: plays straight into raw.plays. */
static int
load_object(struct loader *L, const char *name, const char *dataset, int is_rejects,
    int direct)
{
	struct sp_schema *schema = is_rejects ? NULL : schema_for(dataset);
	struct sp_objread rd;
	char hex[65], nrows[32], nrej[32];
	struct sp_batch_reader *ck;
	const struct sp_batch_chunk *bt;
	size_t ei;
	long valid = 0, fresh = 0;
	int direct_t, plays_t = -1, i, r, outcome;
	FILE *fp;

	if (!is_rejects && schema == NULL) {
		sp_warn("%s: no schema for dataset '%s'", name, dataset);
		return FAIL_DATA;
	}
	if ((outcome = load_begin(L, name)) != DONE)
		return outcome;
	if ((fp = sp_store_read(L->st, name)) == NULL)
		return rollback(L, sp_store_status(L->st) == SP_EXIT_UPSTREAM ? FAIL_DB : FAIL_DATA);
	sp_objread_open(&rd, fp, name, 0, LINE_MAX_BYTES);
	direct_t = direct_table(L, direct && !is_rejects);
	if (direct_t >= 0 && copy_begin(L, &L->map->t[direct_t]) != 0) {
		fclose(fp);
		sp_objread_close(&rd);
		return rollback(L, FAIL_DB);
	}

	ck = sp_batch_read(&rd, is_rejects ? NULL : schema);
	while (outcome == DONE && (bt = sp_batch_next(ck)) != NULL) {
		for (ei = 0; outcome == DONE && ei < bt->n; ei++) {
			const struct sp_batch_line *e = &bt->e[ei];

			if (e->verdict == SP_BATCH_RAW || e->verdict == SP_BATCH_JSON)
				take_rejects_line(L, name, e, bt->text.data + e->off);
			else
				outcome = take_line(L, name, bt, e, direct_t, &valid);
		}
		sp_batch_release(ck);
	}
	r = sp_batch_end(ck);
	fclose(fp);
	if (outcome == DONE && r < 0) {
		sp_warn("%s: %s", name, rd.err);
		outcome = FAIL_DATA;
	}
	sp_objread_hex(&rd, hex);
	sp_objread_close(&rd);
	if (direct_t >= 0)
		outcome = copy_end(L, name, outcome);
	if (outcome != DONE)
		return rollback(L, outcome);
	outcome = merge_spools(L, name);
	if (outcome == DONE && (fresh = new_plays(L, direct_t, &plays_t)) < 0)
		outcome = FAIL_DB;
	for (i = 0; outcome == DONE && i < L->map->nt; i++) {
		const struct sp_lmtable *t = &L->map->t[i];

		if (L->nrows[i] > 0 && t->finish != NULL &&
		    (analyze_grown(L, t, L->nrows[i]) != 0 || sp_pg_exec(L->db, t->finish) != 0))
			outcome = FAIL_DB;
	}
	if (outcome == DONE && L->rejects != NULL &&
	    copy_spool(L->db, "copy raw.rejects (object, line, reason, record) from stdin",
	    L->rejects) != 0)
		outcome = FAIL_DB;
	snprintf(nrows, sizeof nrows, "%ld", valid);
	snprintf(nrej, sizeof nrej, "%ld", L->nrejects);
	if (outcome == DONE) {
		const char *p[4] = { name, hex, nrows, nrej };
		PGresult *res = sp_pg_query(L->db, "insert into raw.load_ledger"
		    " (object, checksum, rows, rejected) values ($1, $2, $3, $4)", 4, p);

		if (res == NULL || sp_pg_exec(L->db, "commit") != 0)
			outcome = FAIL_DB;
		PQclear(res);
	}
	if (outcome == DONE) {
		if (L->verbose)
			report_object(L, name, valid, plays_t, fresh);
		L->records += valid;
		if (L->nrejects > 0 && !is_rejects) {
			sp_warn("%s: %ld %s rejected; see raw.rejects", name, L->nrejects,
			    sp_plural(L->nrejects, "record", "records"));
			L->status = L->status ? L->status : SP_EXIT_DATA;
		}
		reset_spools(L);
	} else {
		rollback(L, outcome);
	}
	return outcome;
}

/*
 * The names of the objects being staged, read from stdin until its end:
 * in a pipeline (sp-stage plays | sp-load) they must exist before listing.
 */
static char **
read_piped(size_t *npiped)
{
	struct sp_lines in;
	char **piped = NULL, *line;
	size_t len;

	*npiped = 0;
	sp_lines_init(&in, stdin, "<stdin>");
	in.max_len = 4096;
	while ((line = sp_lines_next(&in, &len)) != NULL) {
		if (len == 0)
			continue;
		piped = sp_xreallocarray(piped, *npiped + 1, sizeof *piped);
		piped[(*npiped)++] = sp_xstrdup(line);
	}
	sp_lines_close(&in);
	return piped;
}

/* Compiles the load map and connects to the store and the database (or exits). */
static void
loader_open(struct loader *L, const char *store_url, const char *db_url)
{
	char *mpath = sp_share_path("schemas/load.json");
	int sz = 4 << 20;

	if ((L->map = sp_loadmap_load(mpath)) == NULL)
		exit(SP_EXIT_DATA);
	free(mpath);
	L->spool = sp_xcalloc((size_t)L->map->nt + 1, sizeof *L->spool);
	L->nrows = sp_xcalloc((size_t)L->map->nt + 1, sizeof *L->nrows);
	L->rec = sp_lmrec_new();
	L->st = sp_store_open(store_url);
	L->db = sp_pg_connect(db_url);
	/*
	 * A deep socket buffer lets the server parse one stretch of COPY
	 * data while this side checks the next (up to net.core.wmem_max):
	 * with the default, each side mostly waits for the other.
	 */
	setsockopt(PQsocket(L->db), SOL_SOCKET, SO_SNDBUF, &sz, sizeof sz);
	if (sp_pg_migrate(L->db, NULL) < 0)
		exit(sp_pg_exit_status(sp_pg_last_error()));
	if (sp_ledger_read(&L->ledger, L->db) != 0 || binary_types(L) != 0)
		exit(SP_EXIT_UPSTREAM);
}

static void
loader_close(struct loader *L)
{
	size_t i;

	sp_ledger_free(&L->ledger);
	sp_loadmap_free(L->map);
	free(L->spool);
	free(L->nrows);
	sp_lmrec_free(L->rec);
	sp_buf_free(&L->row);
	sp_buf_free(&L->reason);
	sp_buf_free(&L->tmp);
	for (i = 0; i < ndatasets; i++) {
		free(datasets[i].name);
		sp_schema_free(datasets[i].schema);
	}
	free(datasets);
	sp_buf_free(&L->copy);
	free(L->bin);
	sp_dupwin_free(L->win);
	sp_buf_free(&L->key);
	PQfinish(L->db);
	sp_store_close(L->st);
}

/* The store's objects of datasets ds[0, nds) (all when none), sorted, or exits. */
static char **
list_objects(struct loader *L, char **ds, int nds, size_t *n)
{
	char **names = NULL;
	int d;

	*n = 0;
	if (nds == 0 && sp_store_list(L->st, "", &names, n) != 0)
		exit(sp_store_status(L->st));
	for (d = 0; d < nds; d++) {
		struct sp_buf p = { 0 };
		char **more;
		size_t m, j;

		sp_buf_printf(&p, "%s/", ds[d]);
		if (sp_store_list(L->st, p.data, &more, &m) != 0)
			exit(sp_store_status(L->st));
		names = sp_xreallocarray(names, *n + m + 1, sizeof *names);
		for (j = 0; j < m; j++)
			names[(*n)++] = more[j];
		free(more);
		sp_buf_free(&p);
	}
	if (*n > 1)
		qsort(names, *n, sizeof *names, cmp_str);
	return names;
}

/*
 * Loads object name of dataset (or checks it again when it is in the
 * ledger and check says so): its outcome.
 */
static int
load_one(struct loader *L, const char *name, const char *dataset, int is_rejects, int check)
{
	const char *have;
	int k;

	if ((have = sp_ledger_find(&L->ledger, name)) != NULL)
		return check ? verify(L, name, have) : SKIPPED;
	k = load_object(L, name, dataset, is_rejects, 1);
	if (k == RETRY_STAGED) {
		if (L->verbose)
			sp_warn("%s: some rows are loaded already; merging", name);
		k = load_object(L, name, dataset, is_rejects, 0);
	}
	return k;
}

/*
 * Loads every staged object of names[0, n) not in the ledger, in order;
 * check_all, or being named on stdin (piped), checks a loaded one again.
 */
static void
load_all(struct loader *L, char **names, size_t n, char **piped, size_t npiped, int check_all)
{
	long loaded = 0, skipped = 0, failed = 0;
	size_t i;

	sp_progress_start(&L->pg, L->pg.mode, "load", n, "objects");
	for (i = 0; i < n; i++) {
		char dataset[128];
		int is_rejects = 0, k;

		if (i > 0)
			sp_progress_step(&L->pg, 1);
		if (!sp_batch_classify(names[i], dataset, sizeof dataset, &is_rejects)) {
			if (L->verbose)
				sp_warn("%s: not a staged object; ignored", names[i]);
			continue;
		}
		/*
		 * A loaded object is read again only when asked to (--check) or
		 * when named on stdin, so that a run costs what is new, not every
		 * object ever staged.
		 */
		k = load_one(L, names[i], dataset, is_rejects, check_all || (npiped > 0 &&
		    bsearch(&names[i], piped, npiped, sizeof *piped, cmp_str) != NULL));
		switch (k) {
		case DONE: loaded++; break;
		case SKIPPED: skipped++; break;
		case FAIL_DB:
			failed++;
			L->status = SP_EXIT_UPSTREAM;
			if (PQstatus(L->db) != CONNECTION_OK) {
				sp_warn("lost the connection to PostgreSQL; stopping");
				i = n;
			}
			break;
		default:
			failed++;
			if (L->status != SP_EXIT_UPSTREAM)
				L->status = SP_EXIT_DATA;
			break;
		}
	}
	sp_progress_step(&L->pg, n > 0);
	sp_progress_end(&L->pg, "%ld %s loaded, %ld already loaded, %ld failed", loaded,
	    sp_plural(loaded, "object", "objects"), skipped, failed);
}

/*
 * sp-load lists the store's objects of the given datasets (default: all)
 * and loads each one not yet in raw.load_ledger into PostgreSQL, in name
 * order, each in one transaction: every line is checked against
 * schemas/DATASET.schema.json, turned into rows by schemas/load.json and
 * merged into the raw tables by the SQL files of schemas/load/, invalid lines go to
 * raw.rejects, and the ledger row (object, SHA-256, rows, rejected) is
 * written last; a crash at any point leaves nothing of the object.  An
 * object already in the ledger is checked against its checksum with
 * --check, or when named on stdin, and otherwise not read.  The
 * migrations in schemas/migrations are applied first.  Rejects files of
 * sp-stage (DATASET/rejects/) are loaded into raw.rejects.  When stdin is
 * not a terminal it is read first: the names of objects being staged
 * (sp-stage plays | sp-load), each of which must then exist.  Exit status: 0
 * ok; 1 an object unreadable or changed since it was loaded, or records
 * rejected (the rest is loaded); 2 usage; 3 PostgreSQL or the S3 store
 * failed.
 */
int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "check", no_argument, NULL, 'c' },
		{ "db", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ "pending", no_argument, NULL, 'n' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "store", required_argument, NULL, 's' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct loader L;
	const char *db_url = NULL, *store_url = NULL;
	char **names, **piped = NULL;
	size_t n, i, npiped = 0;
	int c, argi, list_pending = 0, check_all = 0, quiet = 0;

	sp_init(argv[0]);
	memset(&L, 0, sizeof L);
	while ((c = getopt_long(argc, argv, "cd:hnqs:v", longopts, NULL)) != -1) {
		switch (c) {
		case 'c': check_all = 1; break;
		case 'd': db_url = optarg; break;
		case 'n': list_pending = 1; break;
		case 'h': usage(stdout, 0);
		case 'q': quiet = 1; break;
		case 's': store_url = optarg; break;
		case 'v': L.verbose = 1; break;
		case 'V': sp_version();
		default: usage(stderr, SP_EXIT_USAGE);
		}
	}
	for (argi = optind; argi < argc; argi++) {
		const char *s = argv[argi];

		if (*s == '\0' || strchr(s, '/') != NULL || s[0] == '.')
			sp_die(SP_EXIT_USAGE, "'%s': not a dataset name", s);
	}
	if (!list_pending && !isatty(STDIN_FILENO))
		piped = read_piped(&npiped);
	L.pg.mode = sp_progress_mode(quiet);
	loader_open(&L, store_url, db_url);
	names = list_objects(&L, argv + optind, argc - optind, &n);
	for (i = 0; i < npiped; i++) {
		if (bsearch(&piped[i], names, n, sizeof *names, cmp_str) == NULL) {
			sp_warn("%s: no such object in %s", piped[i], sp_store_url(L.st));
			L.status = SP_EXIT_DATA;
		}
	}
	if (npiped > 1)
		qsort(piped, npiped, sizeof *piped, cmp_str);
	if (list_pending) {
		/* What this run would load, and nothing else. */
		for (i = 0; i < n; i++)
			if (sp_batch_pending(&L.ledger, names[i]))
				printf("%s\n", names[i]);
	} else {
		load_all(&L, names, n, piped, npiped, check_all);
	}
	sp_store_free_list(names, n);
	for (i = 0; i < npiped; i++)
		free(piped[i]);
	free(piped);
	loader_close(&L);
	return L.status;
}
