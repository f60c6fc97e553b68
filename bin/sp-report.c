/* sp-report: a self-contained HTML report of listening, recommendations and data health. */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "auth.h"
#include "batch.h"
#include "buf.h"
#include "config.h"
#include "dates.h"
#include "diag.h"
#include "mat.h"
#include "model.h"
#include "ndjson.h"
#include "paths.h"
#include "pg.h"
#include "store.h"
#include "strtab.h"
#include "svg.h"

/* The embedding map shows at most this many points (a deterministic sample). */
#define MAP_POINTS 3000
/* Recommendations listed at most. */
#define MAX_RECS 200
/* Below this many plays the report says there is not enough data yet. */
#define FEW_PLAYS 100
/* Artists and genres need this many plays with a known skip for a skip rate. */
#define SKIP_MIN 3
/* Rows of the top-N and skip-rate charts. */
#define TOP_N 10
#define SKIP_N 12
/* Days of the plays-per-day chart, and of the candidate window (sp-cosine's). */
#define HEALTH_DAYS 90
/* The weekly chart goes back at most this many weeks (ten years), as SQL text. */
#define WEEKLY_MAX_WEEKS "520"
#define CANDIDATE_DAYS 7
/* Staged-but-not-loaded objects listed by name at most. */
#define PENDING_LIST 10

static void __attribute__((noreturn))
usage(FILE *fp, int status)
{
	fprintf(fp,
	    "usage: sp-report [--run DIR] [-o FILE] [--tz ZONE] [--now DATE] [--schema S] [--store URL]\n"
	    "Writes one self-contained HTML report (inline CSS and SVG charts) of the\n"
	    "listening in the database, a run's recommendations and the data's health.\n"
	    "  -n, --now DATE     the report's date, YYYY-MM-DD (default: today in ZONE)\n"
	    "  -o, --output FILE  write the report to FILE (default: stdout)\n"
	    "  -r, --run DIR      the run directory with recs.ndjson and embedded.spm\n"
	    "                     (default: the newest run under $SP_HOME/runs that has them)\n"
	    "  -S, --schema S     the schema of the SQL models (default analytics)\n"
	    "  -s, --store URL    the stage store (default: $SP_STAGE_URL, else $SP_HOME/stage)\n"
	    "  -z, --tz ZONE      the listener's time zone (default: $SP_TZ, else $TZ,\n"
	    "                     else /etc/localtime, else UTC)\n"
	    "  -h, --help         show this help\n"
	    "      --version      show the version\n");
	exit(status);
}

static PGconn *db;
static struct sp_project project;	/* the models, to render queries' ref()s */
static const char *tz;
static const char *tz_from;	/* where the zone came from, said on the report */
static char *last_play;		/* the newest canonical play, local time; NULL when none */
static char *asof_s;		/* the models' as-of time, local time; NULL when unknown */
static char *asof_day;		/* its date, YYYY-MM-DD */
static const char *asof_why;	/* why the as-of time is what it is */
static int genres_empty;	/* no play has a genre: say so instead of empty charts */
static char today_s[16];	/* the report's date, YYYY-MM-DD */
static int32_t today;
static time_t now_t;
static int status;		/* the exit status so far */
static struct sp_buf out;

/* ---- small helpers ---- */

static void
esc(const char *s)
{
	sp_html_esc(&out, s);
}

static void
note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void
note(const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	s = sp_xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	va_end(ap);
	sp_buf_adds(&out, "<p class=\"note\">");
	esc(s);
	sp_buf_adds(&out, "</p>\n");
	free(s);
}

static void
section(const char *id, const char *title)
{
	sp_buf_printf(&out, "<section id=\"%s\">\n<h2>", id);
	esc(title);
	sp_buf_adds(&out, "</h2>\n");
}

static void
section_end(void)
{
	sp_buf_adds(&out, "</section>\n");
}

/*
 * sql with its {{ ref('model') }} rendered as the models are (model.h), in
 * the schema they are built in; the caller frees it.  A query naming a
 * model the project does not have is a defect of this tool: it stops,
 * naming the model, rather than quietly leaving a section empty.
 */
static char *
sq(const char *sql)
{
	char *s = sp_project_render(&project, "sp-report's query", sql);

	if (s == NULL)
		exit(SP_EXIT_DATA);
	return s;
}

/*
 * A query the report cannot do without failed (its message printed): no
 * report is written, since it would read what could not be read as
 * absent ("not built yet", "nothing loaded").  Exits with the status the
 * error calls for: 1 for a right the role lacks (the message's hint says
 * which), 3 when a rerun may fix it (the connection lost).
 */
static void __attribute__((noreturn))
unreadable(void)
{
	exit(sp_pg_exit_status(sp_pg_last_error()));
}

/*
 * Runs a query (rendered by sq); on failure notes it in the report and
 * sets exit status 3, but a right the role lacks (42501) is unreadable().
 */
static PGresult *
q(const char *sql, int n, const char *const *params)
{
	char *s = sq(sql);
	PGresult *r = sp_pg_query(db, s, n, params);
	const char *state;

	free(s);
	if (r == NULL) {
		if ((state = sp_pg_last_error()) != NULL && strcmp(state, "42501") == 0)
			unreadable();
		status = SP_EXIT_UPSTREAM;
		note("could not read the database (see the tool's messages)");
	}
	return r;
}

/*
 * The single value of a query (as sp_pg_value: malloc'd, NULL for no row
 * or null); an error is unreadable(), never a missing value.
 */
static char *
value(const char *sql, int n, const char *const *params)
{
	char *v;

	if (sp_pg_get(db, sql, n, params, &v) != 0)
		unreadable();
	return v;
}

/* Whether relation rel ("raw.plays", or "{{ ref('name') }}") exists. */
static int
have(const char *rel)
{
	char *s = sq(rel), *v;
	const char *p[1] = { s };
	int yes;

	v = value("select to_regclass($1) is not null", 1, p);
	yes = v != NULL && strcmp(v, "t") == 0;
	free(v);
	free(s);
	return yes;
}

static double
num(const PGresult *r, int i, int j)
{
	return PQgetisnull(r, i, j) ? NAN : strtod(PQgetvalue(r, i, j), NULL);
}

static const char *
str(const PGresult *r, int i, int j)
{
	return PQgetisnull(r, i, j) ? NULL : PQgetvalue(r, i, j);
}

/* Appends ids as a PostgreSQL text array literal to b. */
static void
text_array(struct sp_buf *b, const struct sp_strtab *ids)
{
	uint32_t i;

	sp_buf_addc(b, '{');
	for (i = 0; i < ids->n; i++) {
		const char *s = sp_strtab_str(ids, i, NULL);

		if (i)
			sp_buf_addc(b, ',');
		sp_buf_addc(b, '"');
		for (; *s; s++) {
			if (*s == '"' || *s == '\\')
				sp_buf_addc(b, '\\');
			sp_buf_addc(b, *s);
		}
		sp_buf_addc(b, '"');
	}
	sp_buf_addc(b, '}');
}

/* What the database says about tracks: names, artists, lifetime plays. */
struct tracks {
	struct sp_strtab ids;
	char **name, **artists;
	long *plays;
};

static uint32_t
track_add(struct tracks *t, const char *id)
{
	int added = 0;
	uint32_t i = sp_strtab_add(&t->ids, id, strlen(id), &added);

	if (added) {
		t->name = sp_xreallocarray(t->name, t->ids.n, sizeof *t->name);
		t->artists = sp_xreallocarray(t->artists, t->ids.n, sizeof *t->artists);
		t->plays = sp_xreallocarray(t->plays, t->ids.n, sizeof *t->plays);
		t->name[i] = t->artists[i] = NULL;
		t->plays[i] = 0;
	}
	return i;
}

static void
set_str(char **dst, const char *s)
{
	if (*dst == NULL && s != NULL && *s != '\0')
		*dst = sp_xstrdup(s);
}

/* Fills in names and play counts of every track in t. */
static void
tracks_lookup(struct tracks *t)
{
	struct sp_buf arr = { 0 };
	const char *p[1];
	PGresult *r;
	int i;

	if (t->ids.n == 0)
		return;
	text_array(&arr, &t->ids);
	p[0] = arr.data;
	if (have("{{ ref('int_spotify__tracks') }}") &&
	    (r = q("select track_id, track_name, array_to_string(artist_names, ', ')"
	    " from {{ ref('int_spotify__tracks') }} where track_id = any($1::text[])", 1, p)) != NULL) {
		for (i = 0; i < PQntuples(r); i++) {
			uint32_t k = sp_strtab_find(&t->ids, PQgetvalue(r, i, 0), strlen(PQgetvalue(r, i, 0)));

			if (k == SP_STRTAB_NONE)
				continue;
			set_str(&t->name[k], str(r, i, 1));
			set_str(&t->artists[k], str(r, i, 2));
		}
		PQclear(r);
	}
	if (have("{{ ref('stg_spotify__plays') }}") &&
	    (r = q("select track_id, count(*), max(track_name), max(artist_name)"
	    " from {{ ref('stg_spotify__plays') }} where track_id = any($1::text[]) group by 1", 1, p)) != NULL) {
		for (i = 0; i < PQntuples(r); i++) {
			uint32_t k = sp_strtab_find(&t->ids, PQgetvalue(r, i, 0), strlen(PQgetvalue(r, i, 0)));

			if (k == SP_STRTAB_NONE)
				continue;
			t->plays[k] = atol(PQgetvalue(r, i, 1));
			set_str(&t->name[k], str(r, i, 2));
			set_str(&t->artists[k], str(r, i, 3));
		}
		PQclear(r);
	}
	sp_buf_free(&arr);
}

static void
tracks_free(struct tracks *t)
{
	uint32_t i;

	for (i = 0; i < t->ids.n; i++) {
		free(t->name[i]);
		free(t->artists[i]);
	}
	free(t->name);
	free(t->artists);
	free(t->plays);
	sp_strtab_free(&t->ids);
}

/* "Name - Artists", or the id when the name is unknown, into b (escaped). */
static void
track_html(const struct tracks *t, uint32_t k)
{
	if (t->name[k] == NULL) {
		sp_buf_adds(&out, "<span class=\"id\">");
		esc(sp_strtab_str(&t->ids, k, NULL));
		sp_buf_adds(&out, "</span>");
		return;
	}
	sp_buf_adds(&out, "<b>");
	esc(t->name[k]);
	sp_buf_adds(&out, "</b>");
	if (t->artists[k]) {
		sp_buf_adds(&out, " \xe2\x80\x94 ");
		esc(t->artists[k]);
	}
}

/* ---- the sections ---- */

static long total_plays;
static long names_pending;	/* account-data plays whose track is not found yet */

/* The account-data plays (names only) and how many found their track. */
static void
resolutions(void)
{
	PGresult *r;

	if (!have("{{ ref('int_spotify__resolutions') }}"))
		return;
	r = q("select coalesce(sum(plays) filter (where status = 'resolved'), 0),"
	    " coalesce(sum(plays) filter (where status = 'pending'), 0),"
	    " coalesce(sum(plays) filter (where status = 'unresolvable'), 0), count(*)"
	    " from {{ ref('int_spotify__resolutions') }}", 0, NULL);
	if (r == NULL)
		return;
	if (strcmp(PQgetvalue(r, 0, 3), "0") != 0)
		sp_buf_printf(&out, "<li><span class=\"k\">account-data plays</span> "
		    "<span class=\"v\" data-fact=\"resolved\">%s</span> resolved to tracks, "
		    "<span class=\"v%s\" data-fact=\"pending\">%s</span> pending, "
		    "<span class=\"v\" data-fact=\"unresolvable\">%s</span> unresolvable"
		    " (they count by name until resolved)</li>\n",
		    PQgetvalue(r, 0, 0), strcmp(PQgetvalue(r, 0, 1), "0") != 0 ? " warn" : "",
		    PQgetvalue(r, 0, 1), PQgetvalue(r, 0, 2));
	names_pending = atol(PQgetvalue(r, 0, 1));
	PQclear(r);
}

static void
summary(void)
{
	PGresult *r;
	const char *p[1] = { tz };

	if (!have("{{ ref('stg_spotify__plays') }}")) {
		note("The SQL models are not built yet (run 'pipeline.sh transform'), "
		    "so there is no listening to show.");
		return;
	}
	/*
	 * Tracks known only by name (an export's) count as tracks too; the
	 * listens are the plays the top lists count (30 s or more).
	 */
	r = q(have("{{ ref('int_spotify__plays') }}") ?
	    "select s.n, i.tracks, s.first, i.listens from (select count(*) as n,"
	    " to_char(min(played_at) at time zone $1, 'YYYY-MM-DD') as first"
	    " from {{ ref('stg_spotify__plays') }}) s, (select count(distinct track_key) as tracks,"
	    " count(*) filter (where is_listen) as listens from {{ ref('int_spotify__plays') }}) i" :
	    "select count(*), count(distinct track_id),"
	    " to_char(min(played_at) at time zone $1, 'YYYY-MM-DD'), null"
	    " from {{ ref('stg_spotify__plays') }}", 1, p);
	if (r == NULL)
		return;
	total_plays = atol(PQgetvalue(r, 0, 0));
	sp_buf_adds(&out, "<ul class=\"facts\">\n");
	sp_buf_printf(&out, "<li><span class=\"k\">plays</span> <span class=\"v\" data-fact=\"plays\">%ld</span></li>\n",
	    total_plays);
	if (!PQgetisnull(r, 0, 3))
		sp_buf_printf(&out, "<li><span class=\"k\">listens</span> <span class=\"v\" data-fact=\"listens\">"
		    "%s</span> (plays of 30 seconds or more, as Spotify counts streams)</li>\n",
		    PQgetvalue(r, 0, 3));
	sp_buf_printf(&out, "<li><span class=\"k\">distinct tracks</span> <span class=\"v\" data-fact=\"tracks\">%s</span></li>\n",
	    PQgetvalue(r, 0, 1));
	if (total_plays > 0) {
		sp_buf_adds(&out, "<li><span class=\"k\">first play</span> <span class=\"v\">");
		esc(PQgetvalue(r, 0, 2));
		sp_buf_adds(&out, "</span></li>\n<li><span class=\"k\">last play</span> "
		    "<span class=\"v\" data-fact=\"last-play\">");
		esc(last_play != NULL ? last_play : "never");
		sp_buf_adds(&out, "</span></li>\n");
	}
	PQclear(r);
	resolutions();
	sp_buf_adds(&out, "</ul>\n");
	if (total_plays < FEW_PLAYS)
		note("Not enough data yet for trends: %ld %s so far. The charts fill in as "
		    "listening is fetched (hourly) or a privacy export is imported.",
		    total_plays, sp_plural(total_plays, "play", "plays"));
}

/* Counts per period from a query returning (label, count) rows in order. */
static void
series_chart(const char *sql, int np, const char *const *params, struct sp_chart *c,
    int line, int label_every, int mark_zero)
{
	PGresult *r = q(sql, np, params);
	const char **labels;
	double *values;
	int i, n;

	if (r == NULL)
		return;
	n = PQntuples(r);
	labels = sp_xcalloc((size_t)n + 1, sizeof *labels);
	values = sp_xcalloc((size_t)n + 1, sizeof *values);
	for (i = 0; i < n; i++) {
		labels[i] = PQgetvalue(r, i, 0);
		values[i] = num(r, i, 1);
	}
	/* 0: every 4th label, or about 13 on a long series. */
	if (label_every <= 0)
		label_every = n <= 60 ? 4 : (n + 12) / 13;
	if (line)
		sp_svg_line(&out, c, (size_t)n, labels, values, label_every);
	else
		sp_svg_bars(&out, c, (size_t)n, labels, values, label_every, mark_zero);
	free(labels);
	free(values);
	PQclear(r);
}

/* A silence this long between two plays (days) is worth a word. */
#define GAP_DAYS "60"

/*
 * The longest silence between two plays, when it is GAP_DAYS or more: an
 * export whose year files were not all given (Spotify sends the extended
 * history a file a year or so) shows a flat line there and short windows.
 */
static void
gap_note(void)
{
	const char *p[1] = { tz };
	PGresult *r;

	r = q("select to_char(prev at time zone $1, 'YYYY-MM-DD'), to_char(played_at at time zone $1,"
	    " 'YYYY-MM-DD'), (played_at at time zone $1)::date - (prev at time zone $1)::date"
	    " from (select played_at, lag(played_at) over (order by played_at) as prev"
	    " from {{ ref('stg_spotify__plays') }}) g where played_at - prev >= interval '" GAP_DAYS " days'"
	    " order by played_at - prev desc limit 1", 1, p);
	if (r != NULL && PQntuples(r) == 1)
		note("No plays from %s to %s (%s days). If you listened then, a file of your "
		    "export may be missing: Spotify sends the extended history as a file a year "
		    "or so; pipeline.sh backfill the whole ZIP, or the missing file, and the gap fills.",
		    PQgetvalue(r, 0, 0), PQgetvalue(r, 0, 1), PQgetvalue(r, 0, 2));
	PQclear(r);
}

static void
weekly(void)
{
	struct sp_chart c = { .id = "plays-per-week", .title = "Plays per week, last 12 months",
	    .xlabel = "week starting (Monday)", .ylabel = "plays", .width = 1060, .height = 280, .right = 40,
	    .integer = 1 };
	const char *p[2] = { asof_day != NULL ? asof_day : today_s, tz };
	struct sp_buf title = { 0 };
	char *first;

	section("weekly", "Plays per week");
	if (!have("{{ ref('stg_spotify__plays') }}")) {
		note("No plays yet: the SQL models are not built.");
		section_end();
		return;
	}
	/*
	 * From the week of the first play (at least 12 months, at most
	 * WEEKLY_MAX_WEEKS) to the week of the as-of time: an export's whole
	 * span, ending where its plays end.
	 */
	{
		char *sql = sq("select to_char(greatest(least(date_trunc('week', $1::date) - interval '52 weeks',"
		    " date_trunc('week', min(played_at) at time zone $2)), date_trunc('week', $1::date)"
		    " - interval '" WEEKLY_MAX_WEEKS " weeks'), 'YYYY-MM-DD') from {{ ref('stg_spotify__plays') }}");

		first = value(sql, 2, p);
		free(sql);
	}
	if (first != NULL && strcmp(first, "") != 0) {
		int32_t d0, d1;

		if (sp_date_parse_day(first, &d0) == 0 && sp_date_parse_day(p[0], &d1) == 0 &&
		    d1 - d0 > 53 * 7) {
			sp_buf_printf(&title, "Plays per week, %s to %s", first, p[0]);
			c.title = title.data;
		}
	}
	{
		const char *p3[3] = { p[0], tz, first != NULL && *first != '\0' ? first : p[0] };

		series_chart("with w as (select generate_series(least(date_trunc('week', $3::date),"
		    " date_trunc('week', $1::date) - interval '52 weeks'),"
		    " date_trunc('week', $1::date), interval '1 week')::date as wk),"
		    " p as (select date_trunc('week', played_at at time zone $2)::date as wk, count(*) as n"
		    " from {{ ref('stg_spotify__plays') }} group by 1)"
		    " select to_char(w.wk, 'YYYY-MM-DD'), coalesce(p.n, 0) from w left join p using (wk) order by w.wk",
		    3, p3, &c, 1, 0, 0);
	}
	gap_note();
	free(first);
	sp_buf_free(&title);
	section_end();
}

/*
 * Names of artists (l.artist_id: an id, or a name key for an artist known
 * only by the export's name): the artists table's, else the name the
 * plays give (l.artist_name).
 */
static const char *const artist_name_sql =
    "coalesce((select a.artist_name from {{ ref('stg_spotify__artists') }} a where a.artist_id = l.artist_id),"
    " l.artist_name, l.artist_id)";

/* The label of a top chart's row, from the row l of its model. */
static const char *
top_label(const char *what)
{
	if (strcmp(what, "artists") == 0)
		return artist_name_sql;
	if (strcmp(what, "tracks") == 0)
		return "coalesce(l.track_name, l.track_key) || coalesce(' \xe2\x80\x94 ' || l.artist_name, '')";
	if (strcmp(what, "albums") == 0)
		return "coalesce(l.album_name, l.album_id) || coalesce(' \xe2\x80\x94 ' || l.artist_name, '')";
	return "l.genre";
}

/* One top list; empty: what it says when it has no row (NULL: the default). */
static void
top_chart(const char *what, const char *rel, const char *key, const char *window, const char *wname,
    const char *empty)
{
	struct sp_buf sql = { 0 }, id = { 0 }, title = { 0 };
	struct sp_chart c = { .width = 340, .left = 124, .right = 84, .label_chars = 18, .integer = 1 };
	const char **labels, **notes;
	double *values;
	char **nb;
	PGresult *r;
	int i, n;

	/* Names are looked up for the top rows only. */
	sp_buf_printf(&sql, "select %s", top_label(what));
	sp_buf_printf(&sql, ", l.n, l.share from (select r.*, listen_count_%s as n, listen_share_%s as share"
	    " from {{ ref('%s') }} r where listen_count_%s > 0 order by n desc, r.%s limit %d) l order by l.n desc, l.%s",
	    window, window, rel, window, key, TOP_N, key);
	/* "Track — Artist" is long: a line of its own above each bar. */
	if (strcmp(what, "tracks") == 0 || strcmp(what, "albums") == 0) {
		c.label_above = 1;
		c.left = 8;
		c.label_chars = 80;
	}
	sp_buf_printf(&id, "top-%s-%s", what, window);
	sp_buf_printf(&title, "Top %s, %s", what, wname);
	c.id = id.data;
	c.title = title.data;
	c.xlabel = "listens";
	c.empty_note = empty;
	if ((r = q(sql.data, 0, NULL)) != NULL) {
		n = PQntuples(r);
		labels = sp_xcalloc((size_t)n + 1, sizeof *labels);
		notes = sp_xcalloc((size_t)n + 1, sizeof *notes);
		nb = sp_xcalloc((size_t)n + 1, sizeof *nb);
		values = sp_xcalloc((size_t)n + 1, sizeof *values);
		for (i = 0; i < n; i++) {
			struct sp_buf t = { 0 };
			char v[32];

			labels[i] = PQgetvalue(r, i, 0);
			values[i] = num(r, i, 1);
			sp_buf_printf(&t, "%s (%.1f%%)", sp_svg_num(values[i], v, sizeof v),
			    100 * num(r, i, 2));
			notes[i] = nb[i] = sp_buf_detach(&t, NULL);
		}
		sp_svg_hbars(&out, &c, (size_t)n, labels, values, notes);
		for (i = 0; i < n; i++)
			free(nb[i]);
		free(nb);
		free(labels);
		free(notes);
		free(values);
		PQclear(r);
	}
	sp_buf_free(&sql);
	sp_buf_free(&id);
	sp_buf_free(&title);
}

/*
 * Why there is no genre chart: Spotify sends artists' genres, but since
 * 2026 mostly empty, and an export alone has no artists at all.
 */
static const char *
genres_note(void)
{
	char *v = value("select count(*) from raw.artists", 0, NULL);
	int none = v != NULL && strcmp(v, "0") == 0;

	free(v);
	return none ? "genres unavailable from Spotify: no artist has been fetched yet (an export "
	    "names artists, not their genres)" : "genres unavailable from Spotify: every artist it "
	    "described has an empty genre list";
}

static void
tops(void)
{
	static const char *const win[3] = { "3m", "1y", "lifetime" };
	static const char *const wname[3] = { "last 3 months", "last 12 months", "lifetime" };
	PGresult *r;
	int w, no_album;

	section("top", "Top artists, tracks, albums and genres");
	if (!have("{{ ref('int_spotify__artist_listens') }}") || !have("{{ ref('int_spotify__genre_listens') }}") ||
	    !have("{{ ref('int_spotify__track_listens') }}") || !have("{{ ref('int_spotify__album_listens') }}") ||
	    !have("{{ ref('stg_spotify__artists') }}") || !have("{{ ref('int_spotify__tracks') }}")) {
		note("The SQL models are not built yet.");
		section_end();
		return;
	}
	note("Windows end at %s (the models' as-of time: %s). Counted: listens, plays of 30 "
	    "seconds or more (the shorter ones count as skips below); a listen counts once for "
	    "each of its track's artists and genres, so shares can add up to more than 100%%. "
	    "Tracks, artists and albums the API has not described yet count by the export's names.",
	    asof_s ? asof_s : "the models' as-of time", asof_why ? asof_why : "unknown");
	/* No album at all while plays wait for their track: say why. */
	r = q("select count(*) from {{ ref('int_spotify__album_listens') }} where listen_count_lifetime > 0",
	    0, NULL);
	no_album = r != NULL && strcmp(PQgetvalue(r, 0, 0), "0") == 0 && names_pending > 0;
	PQclear(r);
	sp_buf_adds(&out, "<div class=\"grid\">\n");
	for (w = 0; w < 3; w++)
		top_chart("artists", "int_spotify__artist_listens", "artist_id", win[w], wname[w], NULL);
	sp_buf_adds(&out, "</div>\n<div class=\"grid\">\n");
	for (w = 0; w < 3; w++)
		top_chart("tracks", "int_spotify__track_listens", "track_key", win[w], wname[w], NULL);
	sp_buf_adds(&out, "</div>\n<div class=\"grid\">\n");
	for (w = 0; w < 3; w++)
		top_chart("albums", "int_spotify__album_listens", "album_id", win[w], wname[w],
		    no_album ? "no album known yet" : NULL);
	sp_buf_adds(&out, "</div>\n");
	if (no_album)
		note("Albums come from Spotify's description of each track, and %ld account-data "
		    "plays still name only their track and artist: their albums show once "
		    "pipeline.sh resolve has found their tracks.", names_pending);
	if (genres_empty) {
		note("%s", genres_note());
	} else {
		sp_buf_adds(&out, "<div class=\"grid\">\n");
		for (w = 0; w < 3; w++)
			top_chart("genres", "int_spotify__genre_listens", "genre", win[w], wname[w], NULL);
		sp_buf_adds(&out, "</div>\n");
	}
	section_end();
}

/* What the zone tables say of a country and of the machine's zone. */
struct zone_facts {
	const char *cc, *zone;	/* the plays' country code, the machine's zone */
	char *first, *zone_cc, *name;	/* the country's first zone, the zone's country, its name */
	char *target;		/* the zone the machine's is an alias of (US/Eastern) */
	int count;		/* the country's zones */
};

/* tzdata.zi's "L TARGET LINK": the machine's zone is an alias. */
static int
link_row(char *const *f, int n, void *arg)
{
	struct zone_facts *z = arg;

	if (n != 3 || strcmp(f[0], "L") != 0 || strcmp(f[2], z->zone) != 0)
		return 0;
	z->target = sp_xstrdup(f[1]);
	return 1;
}

static int
zone_row(char *const *f, int n, void *arg)
{
	struct zone_facts *z = arg;

	if (n < 3)
		return 0;
	if (strcmp(f[0], z->cc) == 0 && z->count++ == 0)
		z->first = sp_xstrdup(f[2]);
	if (z->zone_cc == NULL && strcmp(f[2], z->zone) == 0)
		z->zone_cc = sp_xstrdup(f[0]);
	return 0;
}

static int
country_row(char *const *f, int n, void *arg)
{
	struct zone_facts *z = arg;

	if (n < 2 || strcmp(f[0], z->cc) != 0)
		return 0;
	z->name = sp_xstrdup(f[1]);
	return 1;
}

/*
 * The time zone is the machine's (a server's is often UTC): say so, and
 * how to set one's own.  An extended export names the country of each
 * play (conn_country): when the machine's zone is not one of that
 * country's (the zone tables of tzdata), name the zone to set.
 */
static void
machine_zone_text(void)
{
	struct zone_facts z = { .zone = tz };
	PGresult *r = NULL;
	double share = 0;

	sp_buf_adds(&out, "<p>Times are in this machine's time zone, <b>");
	esc(tz);
	sp_buf_adds(&out, "</b> (from ");
	esc(tz_from);
	sp_buf_adds(&out, "), taken as the listener's");
	/* The country of most plays in the last year of plays that name one. */
	if (have("raw.plays"))
		r = q("with c as (select payload->'data'->>'conn_country' as cc, played_at from raw.plays"
		    " where dup_of is null and source = 'export'),"
		    " k as (select * from c where cc ~ '^[A-Z][A-Z]$' and cc <> 'ZZ')"
		    " select cc, count(*)::float8 / sum(count(*)) over () from k"
		    " where played_at > (select max(played_at) from k) - interval '1 year'"
		    " group by cc order by count(*) desc, cc limit 1", 0, NULL);
	if (r != NULL && PQntuples(r) == 1) {
		z.cc = PQgetvalue(r, 0, 0);
		share = num(r, 0, 1);
		/* zone.tab names zones, not their aliases (Asia/Calcutta). */
		sp_tz_tab("tzdata.zi", link_row, &z);
		if (z.target != NULL)
			z.zone = z.target;
		if (sp_tz_tab("zone.tab", zone_row, &z) != 0 || z.count == 0)
			z.cc = NULL;
		else
			sp_tz_tab("iso3166.tab", country_row, &z);
	}
	if (z.cc != NULL && z.zone_cc != NULL && strcmp(z.zone_cc, z.cc) == 0) {
		sp_buf_adds(&out, ", a zone of <span data-fact=\"country\">");
		esc(z.name ? z.name : z.cc);
		sp_buf_printf(&out, "</span>, where your export says you listen (%.0f%% of the plays of"
		    " your last year that name a country).</p>\n", 100 * share);
	} else if (z.cc != NULL) {
		char more[96] = "";

		sp_buf_adds(&out, ".</p>\n");
		if (z.count > 1)
			snprintf(more, sizeof more, " (or, of its %d zones in zone.tab, the one"
			    " where you are)", z.count);
		note("Your export says you listen in %s (%s: %.0f%% of the plays of your last year"
		    " that name a country).  If so, set SP_TZ=%s%s in $SP_HOME/sp.conf or the"
		    " environment, and the hours move to yours.", z.name ? z.name : z.cc, z.cc,
		    100 * share, z.first, more);
	} else {
		sp_buf_adds(&out, ".</p>\n");
		note("If you listen in another zone, set it: SP_TZ=Area/City (such as "
		    "Asia/Kolkata or America/New_York) in $SP_HOME/sp.conf or the environment, "
		    "and the hours move to yours.");
	}
	free(z.first);
	free(z.zone_cc);
	free(z.name);
	free(z.target);
	if (r != NULL)
		PQclear(r);
}

static void
when(void)
{
	static const char *const days[7] = { "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" };
	static const char *const hours[24] = { "0", "1", "2", "3", "4", "5", "6", "7", "8", "9",
	    "10", "11", "12", "13", "14", "15", "16", "17", "18", "19", "20", "21", "22", "23" };
	double cells[7 * 24] = { 0 }, byhour[24] = { 0 }, byday[7] = { 0 };
	struct sp_buf title = { 0 };
	const char *p[1] = { tz };
	PGresult *r;
	int i;

	section("clock", "When you listen");
	if (!have("{{ ref('stg_spotify__plays') }}")) {
		note("No plays yet: the SQL models are not built.");
		section_end();
		return;
	}
	r = q("select extract(isodow from played_at at time zone $1)::int,"
	    " extract(hour from played_at at time zone $1)::int, count(*)"
	    " from {{ ref('stg_spotify__plays') }} group by 1, 2", 1, p);
	if (r == NULL) {
		section_end();
		return;
	}
	for (i = 0; i < PQntuples(r); i++) {
		int d = atoi(PQgetvalue(r, i, 0)) - 1, h = atoi(PQgetvalue(r, i, 1));
		double n = num(r, i, 2);

		if (d < 0 || d > 6 || h < 0 || h > 23)
			continue;
		cells[d * 24 + h] += n;
		byhour[h] += n;
		byday[d] += n;
	}
	PQclear(r);
	if (strcmp(tz_from, "--tz") == 0 || strcmp(tz_from, "SP_TZ") == 0) {
		sp_buf_adds(&out, "<p>Times are in the listener's time zone, <b>");
		esc(tz);
		sp_buf_adds(&out, "</b>.</p>\n");
	} else {
		machine_zone_text();
	}
	sp_buf_printf(&title, "Plays by weekday and hour (%s)", tz);
	{
		struct sp_chart c = { .id = "heatmap", .title = title.data, .xlabel = "hour of day",
		    .width = 1060, .height = 250, .left = 48 };

		sp_svg_heatmap(&out, &c, 7, 24, days, hours, cells);
	}
	sp_buf_adds(&out, "<div class=\"grid\">\n");
	{
		struct sp_chart c = { .id = "by-hour", .title = "Plays by hour of day", .xlabel = "hour",
		    .ylabel = "plays", .width = 620, .height = 240, .integer = 1 };
		struct sp_chart d = { .id = "by-weekday", .title = "Plays by weekday", .xlabel = "weekday",
		    .ylabel = "plays", .width = 420, .height = 240, .integer = 1 };

		sp_svg_bars(&out, &c, total_plays > 0 ? 24 : 0, hours, byhour, 1, 0);
		sp_svg_bars(&out, &d, total_plays > 0 ? 7 : 0, days, byday, 1, 0);
	}
	sp_buf_adds(&out, "</div>\n");
	sp_buf_free(&title);
	section_end();
}

static void
skip_chart(const char *what, const char *sql)
{
	struct sp_buf id = { 0 }, title = { 0 }, empty = { 0 };
	struct sp_chart c = { .width = 520, .percent = 1, .xlabel = "skip rate" };
	const char *p[1];
	char min[16];
	const char **labels, **notes;
	double *values;
	char **nb;
	PGresult *r;
	int i, n;

	snprintf(min, sizeof min, "%d", SKIP_MIN);
	p[0] = min;
	sp_buf_printf(&id, "skip-%s", what);
	sp_buf_printf(&title, "Skip rate by %s (most played)", what);
	c.id = id.data;
	c.title = title.data;
	if ((r = q(sql, 1, p)) != NULL) {
		n = PQntuples(r);
		labels = sp_xcalloc((size_t)n + 1, sizeof *labels);
		notes = sp_xcalloc((size_t)n + 1, sizeof *notes);
		nb = sp_xcalloc((size_t)n + 1, sizeof *nb);
		values = sp_xcalloc((size_t)n + 1, sizeof *values);
		for (i = 0; i < n; i++) {
			struct sp_buf t = { 0 };
			double known = num(r, i, 1), skipped = num(r, i, 2);

			labels[i] = PQgetvalue(r, i, 0);
			values[i] = known > 0 ? skipped / known : 0;
			sp_buf_printf(&t, "%.0f%% of %.0f", round(values[i] * 100), known);
			notes[i] = nb[i] = sp_buf_detach(&t, NULL);
		}
		if (n == 0 && genres_empty && strcmp(what, "genre") == 0) {
			sp_buf_adds(&empty, "genres unavailable from Spotify");
			c.empty_note = empty.data;
		} else if (n == 0) {
			sp_buf_printf(&empty, "not enough data yet: no %s with %d plays of known outcome",
			    what, SKIP_MIN);
			c.empty_note = empty.data;
		}
		sp_svg_hbars(&out, &c, (size_t)n, labels, values, notes);
		for (i = 0; i < n; i++)
			free(nb[i]);
		free(nb);
		free(labels);
		free(notes);
		free(values);
		PQclear(r);
	}
	sp_buf_free(&id);
	sp_buf_free(&title);
	sp_buf_free(&empty);
}

static void
skips(void)
{
	struct sp_buf sql = { 0 };

	section("skips", "Skip rates");
	if (!have("{{ ref('int_spotify__plays') }}") || !have("{{ ref('stg_spotify__artists') }}")) {
		note("The SQL models are not built yet.");
		section_end();
		return;
	}
	note("A skip is what an extended export says (its skipped flag, or why the play "
	    "ended), else a play stopped before 80%% of the track, or under 30 seconds when "
	    "the track's length is not known yet (see sp-model(1)); plays whose "
	    "outcome is unknown (the newest API play) are left out. Shown: the most played, "
	    "with at least %d plays of known outcome.", SKIP_MIN);
	sp_buf_adds(&out, "<div class=\"grid skip\">\n");
	sp_buf_printf(&sql, "select %s, k, s from (select a.artist_id, max(a.artist_name) as artist_name,"
	    " count(*) as k, count(*) filter (where p.skipped) as s from {{ ref('int_spotify__plays') }} p"
	    " cross join lateral (select distinct on (k) k, n from unnest(p.artist_keys, p.artist_names) u(k, n)"
	    " order by k, n) a(artist_id, artist_name)"
	    " where p.skipped is not null group by 1 having count(*) >= $1::int"
	    " order by 3 desc, 1 limit %d) l order by k desc, l.artist_id", artist_name_sql, SKIP_N);
	skip_chart("artist", sql.data);
	sp_buf_reset(&sql);
	sp_buf_printf(&sql, "select g, count(*), count(*) filter (where p.skipped)"
	    " from {{ ref('int_spotify__plays') }} p cross join lateral unnest(p.genres) g"
	    " where p.skipped is not null group by 1 having count(*) >= $1::int"
	    " order by 2 desc, 1 limit %d", SKIP_N);
	skip_chart("genre", sql.data);
	sp_buf_adds(&out, "</div>\n");
	sp_buf_free(&sql);
	section_end();
}

/* ---- the run: recommendations and the embedding ---- */

static int
has_file(const char *dir, const char *name)
{
	char *p = sp_conf_join(dir, name);
	struct stat sb;
	int yes = stat(p, &sb) == 0 && S_ISREG(sb.st_mode);

	free(p);
	return yes;
}

static int
run_has(const char *dir)
{
	return has_file(dir, "recs.ndjson") || has_file(dir, "embedded.spm");
}

/* The newest run directory (by name) under runs that has a recommendation. */
static char *
newest_run(const char *runs)
{
	DIR *d = opendir(runs);
	struct dirent *e;
	char *best = NULL;

	if (d == NULL)
		return NULL;
	while ((e = readdir(d)) != NULL) {
		char *p;

		if (e->d_name[0] == '.' || strcmp(e->d_name, "latest") == 0)
			continue;
		if (best != NULL && strcmp(e->d_name, strrchr(best, '/') + 1) <= 0)
			continue;
		p = sp_conf_join(runs, e->d_name);
		if (run_has(p)) {
			free(best);
			best = p;
		} else {
			free(p);
		}
	}
	closedir(d);
	return best;
}

/* One recommendation line. */
struct rec {
	char *user;
	long rank;
	double score;
	uint32_t track;
	uint32_t because[3];
	double sim[3];
	int nbecause;
};

/* Whether o (borrowed) is an object with a string track_id. */
static int
has_track_id(jv o)
{
	jv v = sp_jv_get(o, "track_id");
	int yes = jv_get_kind(v) == JV_KIND_STRING;

	jv_free(v);
	return yes;
}

/*
 * Recommendation o (with a track_id), the nrec-th read: its track, listener,
 * rank, score and up to three reasons into r; the ids go to t and the
 * track to recommended.
 */
static void
rec_from(jv o, size_t nrec, struct tracks *t, struct sp_strtab *recommended, struct rec *r)
{
	jv v = sp_jv_get(o, "track_id"), because;

	r->track = track_add(t, jv_string_value(v));
	sp_strtab_add(recommended, jv_string_value(v), strlen(jv_string_value(v)), NULL);
	jv_free(v);
	v = sp_jv_get(o, "user");
	if (jv_get_kind(v) == JV_KIND_STRING)
		r->user = sp_xstrdup(jv_string_value(v));
	jv_free(v);
	v = sp_jv_get(o, "rank");
	r->rank = jv_get_kind(v) == JV_KIND_NUMBER ? (long)jv_number_value(v) : (long)nrec + 1;
	jv_free(v);
	v = sp_jv_get(o, "score");
	r->score = jv_get_kind(v) == JV_KIND_NUMBER ? jv_number_value(v) : NAN;
	jv_free(v);
	because = sp_jv_get(o, "because");
	if (jv_get_kind(because) == JV_KIND_ARRAY) {
		jv_array_foreach(because, k, b) {
			jv id = sp_jv_get(b, "track_id"), s = sp_jv_get(b, "similarity");

			if (r->nbecause < 3 && jv_get_kind(id) == JV_KIND_STRING) {
				r->because[r->nbecause] = track_add(t, jv_string_value(id));
				r->sim[r->nbecause++] = jv_get_kind(s) == JV_KIND_NUMBER ?
				    jv_number_value(s) : NAN;
			}
			jv_free(id);
			jv_free(s);
			jv_free(b);
		}
	}
	jv_free(because);
}

/* One recommendation's row of the table (with its listener when shown). */
static void
rec_row(struct tracks *t, const struct rec *r, int with_user)
{
	char v[32];
	int j;

	sp_buf_printf(&out, "<tr class=\"rec\" data-rank=\"%ld\" data-track=\"", r->rank);
	esc(sp_strtab_str(&t->ids, r->track, NULL));
	sp_buf_adds(&out, "\">");
	if (with_user) {
		sp_buf_adds(&out, "<td>");
		esc(r->user ? r->user : "");
		sp_buf_adds(&out, "</td>");
	}
	sp_buf_printf(&out, "<td class=\"n\">%ld</td><td>", r->rank);
	track_html(t, r->track);
	sp_buf_printf(&out, "</td><td class=\"n\">%s</td><td class=\"why\">",
	    isfinite(r->score) ? (snprintf(v, sizeof v, "%.3f", r->score), v) : "");
	for (j = 0; j < r->nbecause; j++) {
		uint32_t k = r->because[j];

		sp_buf_adds(&out, j == 0 ? "because you played " : "<br><span class=\"also\">and ");
		track_html(t, k);
		if (t->plays[k] > 0)
			sp_buf_printf(&out, ", <span class=\"times\">%ld %s</span>", t->plays[k],
			    sp_plural(t->plays[k], "time", "times"));
		if (isfinite(r->sim[j]))
			sp_buf_printf(&out, " <span class=\"sim\">(similarity %.2f)</span>", r->sim[j]);
		if (j > 0)
			sp_buf_adds(&out, "</span>");
	}
	if (r->nbecause == 0)
		sp_buf_adds(&out, "new release similar to your listening");
	sp_buf_adds(&out, "</td></tr>\n");
}

static void
recommendations(const char *run, struct sp_strtab *recommended)
{
	struct tracks t = { 0 };
	struct rec *recs = NULL;
	struct sp_lines lr;
	size_t nrec = 0, len, i;
	long skipped_lines = 0;
	char *path, *line;
	int users = 0;

	section("recs", "This week's recommendations");
	if (run == NULL || !has_file(run, "recs.ndjson")) {
		note("No recommendations yet: no run has a recs.ndjson (run 'pipeline.sh recommend').");
		section_end();
		return;
	}
	path = sp_conf_join(run, "recs.ndjson");
	if (sp_lines_open(&lr, path) != 0) {
		status = SP_EXIT_DATA;
		note("could not read the recommendations");
		free(path);
		section_end();
		return;
	}
	while ((line = sp_lines_next(&lr, &len)) != NULL) {
		struct rec r = { 0 };
		jv o;

		if (len == 0)
			continue;
		o = sp_jv_parse(line, len);
		if (!has_track_id(o)) {
			jv_free(o);
			if (skipped_lines++ == 0)
				sp_warn_at(path, lr.lineno, "not a recommendation (no track_id); skipped");
			status = SP_EXIT_DATA;
			continue;
		}
		if (nrec >= MAX_RECS) {
			jv_free(o);
			nrec++;
			continue;
		}
		rec_from(o, nrec, &t, recommended, &r);
		jv_free(o);
		recs = sp_xreallocarray(recs, nrec + 1, sizeof *recs);
		recs[nrec++] = r;
	}
	sp_lines_close(&lr);
	/* The first is named above with its line; the count covers them all,
	 * one included, so that a log always says how many were lost. */
	if (skipped_lines > 0)
		sp_warn("%s: %ld %s without a track_id skipped", path, skipped_lines,
		    sp_plural(skipped_lines, "line", "lines"));
	tracks_lookup(&t);
	sp_buf_adds(&out, "<p class=\"meta\">From <code>");
	esc(path);
	sp_buf_printf(&out, "</code>: %zu %s.</p>\n", nrec,
	    sp_plural((long)nrec, "recommendation", "recommendations"));
	if (nrec == 0)
		note("The last run recommended nothing: there were no new releases to rank, or no "
		    "listening history yet.");
	for (i = 0; i < nrec && i < MAX_RECS; i++)
		if (recs[i].user && (i == 0 || recs[i - 1].user == NULL ||
		    strcmp(recs[i].user, recs[i - 1].user) != 0))
			users++;
	if (nrec > 0) {
		sp_buf_adds(&out, "<table class=\"recs\">\n<thead><tr>");
		if (users > 0)
			sp_buf_adds(&out, "<th>listener</th>");
		sp_buf_adds(&out, "<th>#</th><th>track</th><th>score</th><th>why</th></tr></thead>\n<tbody>\n");
	}
	for (i = 0; i < nrec && i < MAX_RECS; i++)
		rec_row(&t, &recs[i], users > 0);
	if (nrec > 0)
		sp_buf_adds(&out, "</tbody>\n</table>\n");
	if (nrec > MAX_RECS)
		note("Only the first %d of %zu recommendations are listed.", MAX_RECS, nrec);
	for (i = 0; i < nrec && i < MAX_RECS; i++)
		free(recs[i].user);
	free(recs);
	tracks_free(&t);
	free(path);
	section_end();
}

struct pick {
	uint64_t h;
	uint64_t row;
};

static int
pick_cmp(const void *a, const void *b)
{
	const struct pick *x = a, *y = b;

	if (x->h != y->h)
		return x->h < y->h ? -1 : 1;
	return x->row < y->row ? -1 : x->row > y->row;
}

enum { C_OTHER, C_HEARD, C_CAND, C_REC };

/* The map's rows: each one's id, class, and whether it is drawn. */
struct maprows {
	char **ids;
	int *cls;
	unsigned char *keep;
};

/*
 * The rows of embedding m: their ids and classes from their labels (a
 * recommendation, a heard track, a candidate released in the last
 * CANDIDATE_DAYS, or other), and which are drawn: every recommendation,
 * then a deterministic sample (the rows whose id hashes lowest) up to
 * MAP_POINTS.
 */
static void
map_rows(const struct sp_mat *m, const struct sp_strtab *recommended, struct maprows *r)
{
	uint64_t i, rows = m->rows, keep_n = 0, npick = 0;
	struct pick *picks;
	char **ids = sp_xcalloc(rows + 1, sizeof *ids);
	int *cls = sp_xcalloc(rows + 1, sizeof *cls);
	unsigned char *keep = sp_xcalloc(rows + 1, 1);

	for (i = 0; i < rows; i++) {
		size_t len = 0;
		const char *lab = sp_mat_label(m, i, &len);
		jv o = lab ? sp_jv_parse(lab, len) : jv_null(), v;
		int32_t day;

		cls[i] = C_OTHER;
		v = sp_jv_get(o, "track_id");
		if (jv_get_kind(v) != JV_KIND_STRING && jv_get_kind(o) == JV_KIND_OBJECT) {
			int it = jv_object_iter(o);

			jv_free(v);
			v = jv_object_iter_valid(o, it) ? jv_object_iter_value(o, it) : jv_null();
		}
		if (jv_get_kind(v) == JV_KIND_STRING)
			ids[i] = sp_xstrdup(jv_string_value(v));
		jv_free(v);
		v = sp_jv_get(o, "heard");
		if (jv_get_kind(v) == JV_KIND_TRUE)
			cls[i] = C_HEARD;
		jv_free(v);
		v = sp_jv_get(o, "release_date");
		if (cls[i] == C_OTHER && jv_get_kind(v) == JV_KIND_STRING &&
		    sp_date_parse(jv_string_value(v), strlen(jv_string_value(v)), &day) == 0 &&
		    day > today - CANDIDATE_DAYS && day <= today)
			cls[i] = C_CAND;
		jv_free(v);
		jv_free(o);
		if (ids[i] && sp_strtab_find(recommended, ids[i], strlen(ids[i])) != SP_STRTAB_NONE) {
			cls[i] = C_REC;
			keep[i] = 1;
			keep_n++;
		}
	}
	if (rows <= MAP_POINTS) {
		memset(keep, 1, rows);
	} else {
		picks = sp_xcalloc(rows, sizeof *picks);
		for (i = 0; i < rows; i++) {
			char tmp[32];
			int l;

			if (keep[i])
				continue;
			if (ids[i]) {
				picks[npick].h = sp_str_hash(ids[i], strlen(ids[i]));
			} else {
				l = snprintf(tmp, sizeof tmp, "%llu", (unsigned long long)i);
				picks[npick].h = sp_str_hash(tmp, (size_t)l);
			}
			picks[npick++].row = i;
		}
		qsort(picks, npick, sizeof *picks, pick_cmp);
		for (i = 0; i < npick && keep_n < MAP_POINTS; i++, keep_n++)
			keep[picks[i].row] = 1;
		free(picks);
	}
	r->ids = ids;
	r->cls = cls;
	r->keep = keep;
}

static void
embedding(const char *run, const struct sp_strtab *recommended)
{
	static const struct sp_svg_class classes[4] = {
		{ "other", "other catalogue", "#c7c7c7", 2 },
		{ "heard", "heard tracks", "#4c78a8", 2.2 },
		{ "candidate", "new releases (candidates)", "#f58518", 3 },
		{ "recommended", "recommended", "#d62728", 4.5 },
	};
	struct sp_chart c = { .id = "embedding", .title = "Tracks in the first two SVD components",
	    .xlabel = "svd0", .ylabel = "svd1", .width = 1060, .height = 560 };
	struct sp_mat m;
	struct sp_svg_point *pts = NULL;
	struct maprows r;
	struct tracks t = { 0 };
	char **ids, *path;
	int *cls;
	uint64_t i, rows;
	size_t n = 0;
	unsigned char *keep;

	section("map", "The embedding");
	if (run == NULL || !has_file(run, "embedded.spm")) {
		note("No embedding yet: no run has an embedded.spm (run 'pipeline.sh recommend').");
		section_end();
		return;
	}
	path = sp_conf_join(run, "embedded.spm");
	if (sp_mat_load(path, &m) != 0) {
		status = SP_EXIT_DATA;
		note("could not read the embedding (see the tool's messages)");
		free(path);
		section_end();
		return;
	}
	if (m.layout != SP_MAT_DENSE || m.cols < 2) {
		note("The embedding is not a dense matrix with two or more columns; no map.");
		sp_mat_free(&m);
		free(path);
		section_end();
		return;
	}
	rows = m.rows;
	map_rows(&m, recommended, &r);
	ids = r.ids, cls = r.cls, keep = r.keep;
	for (i = 0; i < rows; i++)
		if (keep[i] && ids[i])
			track_add(&t, ids[i]);
	tracks_lookup(&t);
	pts = sp_xcalloc(rows + 1, sizeof *pts);
	for (i = 0; i < rows; i++) {
		struct sp_buf title = { 0 };
		uint32_t k;

		if (!keep[i])
			continue;
		pts[n].x = sp_mat_value(&m, i * m.cols);
		pts[n].y = sp_mat_value(&m, i * m.cols + 1);
		pts[n].cls = cls[i];
		k = ids[i] ? sp_strtab_find(&t.ids, ids[i], strlen(ids[i])) : SP_STRTAB_NONE;
		if (k != SP_STRTAB_NONE && t.name[k]) {
			sp_buf_adds(&title, t.name[k]);
			if (t.artists[k])
				sp_buf_printf(&title, " \xe2\x80\x94 %s", t.artists[k]);
		} else {
			sp_buf_adds(&title, ids[i] ? ids[i] : "(no id)");
		}
		sp_buf_printf(&title, " [%s]", classes[cls[i]].label);
		pts[n++].title = sp_buf_detach(&title, NULL);
	}
	if (rows > MAP_POINTS)
		note("Showing a fixed sample of %zu of the %llu tracks (every recommendation is shown).",
		    n, (unsigned long long)rows);
	if (rows < 10)
		note("Not enough data yet: the embedding has %llu %s.", (unsigned long long)rows,
		    sp_plural((long)rows, "track", "tracks"));
	sp_svg_scatter(&out, &c, pts, n, classes, 4);
	for (i = 0; i < n; i++)
		free((char *)pts[i].title);
	for (i = 0; i < rows; i++)
		free(ids[i]);
	free(pts);
	free(ids);
	free(cls);
	free(keep);
	tracks_free(&t);
	sp_mat_free(&m);
	free(path);
	section_end();
}

/* ---- data health ---- */

/* The staged objects not in raw.load_ledger: their count, and the first names. */
static void
pending(const char *store_url)
{
	struct sp_ledger ledger;
	struct sp_store *st;
	char **names = NULL, *dir = NULL;
	size_t n = 0, i, npend = 0, *pend;
	struct stat sb;

	if (store_url == NULL || *store_url == '\0')
		store_url = getenv("SP_STAGE_URL");
	if (store_url == NULL || *store_url == '\0') {
		char *home = sp_home();

		dir = sp_conf_join(home, "stage");
		free(home);
		if (stat(dir, &sb) != 0) {
			sp_buf_adds(&out, "<li><span class=\"k\">staged, not loaded</span> "
			    "<span class=\"v\" data-fact=\"pending\">0</span> (nothing staged yet)</li>\n");
			free(dir);
			return;
		}
		store_url = dir;
	}
	if (sp_ledger_read(&ledger, db) != 0) {
		status = SP_EXIT_UPSTREAM;
		note("could not read the database (see the tool's messages)");
		free(dir);
		return;
	}
	st = sp_store_open(store_url);
	if (sp_store_list(st, "", &names, &n) != 0) {
		status = sp_store_status(st);
		sp_buf_adds(&out, "<li><span class=\"k\">staged, not loaded</span> could not list the store</li>\n");
		sp_store_close(st);
		sp_ledger_free(&ledger);
		free(dir);
		return;
	}
	/* Pending by sp-load's own rule: what `sp-load --pending` lists. */
	pend = sp_xcalloc(n + 1, sizeof *pend);
	for (i = 0; i < n; i++)
		if (sp_batch_pending(&ledger, names[i]))
			pend[npend++] = i;
	sp_buf_printf(&out, "<li><span class=\"k\">staged, not loaded</span> <span class=\"v%s\""
	    " data-fact=\"pending\">%zu</span>", npend ? " warn" : "", npend);
	if (npend) {
		sp_buf_adds(&out, " (run 'pipeline.sh load')<ul class=\"objects\">\n");
		for (i = 0; i < npend && i < PENDING_LIST; i++) {
			sp_buf_adds(&out, "<li><code>");
			esc(names[pend[i]]);
			sp_buf_adds(&out, "</code></li>\n");
		}
		if (npend > PENDING_LIST)
			sp_buf_printf(&out, "<li>and %zu more</li>\n", npend - PENDING_LIST);
		sp_buf_adds(&out, "</ul>");
	}
	sp_buf_adds(&out, "</li>\n");
	free(pend);
	sp_store_free_list(names, n);
	sp_store_close(st);
	sp_ledger_free(&ledger);
	free(dir);
}

static void
token(void)
{
	struct sp_auth a;
	char *path = sp_auth_path();
	char day[16];
	time_t exp;
	long days;

	sp_buf_adds(&out, "<li><span class=\"k\">refresh token</span> ");
	if (access(path, F_OK) != 0) {
		sp_buf_adds(&out, "<span class=\"v warn\" data-fact=\"token-days\">none</span>"
		    " not logged in (run 'sp-auth login')</li>\n");
		free(path);
		return;
	}
	if (sp_auth_load(&a) != 0 || a.consented_at <= 0) {
		sp_buf_adds(&out, "<span class=\"v warn\" data-fact=\"token-days\">unknown</span>"
		    " the tokens file does not say when consent was given</li>\n");
		if (a.path)
			sp_auth_free(&a);
		free(path);
		return;
	}
	exp = sp_auth_refresh_expiry(&a);
	days = (long)floor(((double)exp - (double)now_t) / 86400.0);
	sp_date_format((int32_t)(exp / 86400), day, sizeof day);
	sp_buf_printf(&out, "<span class=\"v%s\" data-fact=\"token-days\">%ld</span> day%s until it "
	    "expires (%s)%s</li>\n", days < 14 ? " warn" : "", days, days == 1 || days == -1 ? "" : "s",
	    day, days < 0 ? ": expired, run 'sp-auth login'" : days < 14 ? ": renew soon with 'sp-auth login'" : "");
	sp_auth_free(&a);
	free(path);
}

static void
health(const char *store_url)
{
	struct sp_chart c = { .id = "plays-per-day", .title = "Plays per day, last 90 days (red: no plays)",
	    .xlabel = "day", .ylabel = "plays", .width = 1060, .height = 240, .right = 40, .integer = 1 };
	const char *p[3] = { tz, today_s, NULL };
	char ndays[16], newest[16];
	PGresult *r;
	int32_t d;

	section("health", "Data health");
	if (!have("raw.plays") || !have("raw.load_ledger")) {
		note("Nothing loaded yet: the raw tables do not exist (run 'pipeline.sh load').");
		sp_buf_adds(&out, "<ul class=\"facts\">\n");
		token();
		sp_buf_adds(&out, "</ul>\n");
		section_end();
		return;
	}
	r = q("select to_char(greatest((select max(fetched_at) from raw.tracks),"
	    " (select max(fetched_at) from raw.artists), (select max(fetched_at) from raw.saved_tracks))"
	    " at time zone $1, 'YYYY-MM-DD HH24:MI'),"
	    " to_char((select max(loaded_at) from raw.load_ledger) at time zone $1, 'YYYY-MM-DD HH24:MI'),"
	    " null, (select count(*) from raw.load_ledger), (select count(*) from raw.rejects)", 1, p);
	sp_buf_adds(&out, "<ul class=\"facts\">\n");
	if (r != NULL) {
		static const char *const k[5] = { "last successful fetch", "last load", "newest play",
		    "objects loaded", "rejected records" };
		static const char *const f[5] = { "last-fetch", "last-load", "newest-play", "loaded", "rejects" };
		int i;

		for (i = 0; i < 5; i++) {
			sp_buf_printf(&out, "<li><span class=\"k\">%s</span> <span class=\"v%s\" data-fact=\"%s\">",
			    k[i], i == 4 && strcmp(PQgetvalue(r, 0, 4), "0") != 0 ? " warn" : "", f[i]);
			/* The newest play is the summary's "last play": one definition. */
			if (i == 2)
				esc(last_play != NULL ? last_play : "never");
			else
				esc(PQgetisnull(r, 0, i) ? "never" : PQgetvalue(r, 0, i));
			sp_buf_adds(&out, "</span>");
			if (i < 3 && (i == 2 ? last_play != NULL : !PQgetisnull(r, 0, i)))
				sp_buf_adds(&out, " <span class=\"tz\">(local time)</span>");
			sp_buf_adds(&out, "</li>\n");
		}
		PQclear(r);
	}
	pending(store_url);
	token();
	sp_buf_adds(&out, "</ul>\n");
	snprintf(ndays, sizeof ndays, "%d", HEALTH_DAYS - 1);
	p[2] = ndays;
	/*
	 * No play at all in the window (an export alone; the newest play is
	 * older than its first day): a word, not a band of red.
	 */
	snprintf(newest, sizeof newest, "%.10s", last_play != NULL ? last_play : "");
	if (last_play == NULL || (sp_date_parse_day(newest, &d) == 0 && d < today - (HEALTH_DAYS - 1))) {
		note("No plays in the last %d days (the newest: %s). An export ends when Spotify "
		    "made it; the plays since come hourly from the API once you are logged in "
		    "(sp-auth login, then pipeline.sh schedule --install).", HEALTH_DAYS,
		    last_play != NULL ? last_play : "none");
		section_end();
		return;
	}
	series_chart("with d as (select generate_series($2::date - $3::int, $2::date, interval '1 day')::date as day),"
	    " p as (select (played_at at time zone $1)::date as day, count(*) as n from raw.plays"
	    " where dup_of is null and played_at >= ($2::date - $3::int - 1)::timestamp at time zone 'UTC'"
	    " group by 1)"
	    " select to_char(d.day, 'YYYY-MM-DD'), coalesce(p.n, 0) from d left join p using (day) order by d.day",
	    3, p, &c, 0, 10, 1);
	section_end();
}

/* ---- the page ---- */

static const char css[] =
    "body{margin:0;background:#fafafa;color:#222;font:14px/1.45 system-ui,-apple-system,"
    "'Segoe UI',Roboto,Helvetica,Arial,sans-serif}\n"
    "main{max-width:1100px;margin:0 auto;padding:16px 20px 48px}\n"
    "h1{font-size:24px;margin:8px 0 4px}h2{font-size:18px;margin:0 0 8px}\n"
    "section{background:#fff;border:1px solid #e3e3e3;border-radius:6px;padding:14px 18px;margin:16px 0}\n"
    "nav a{margin-right:12px;color:#1a5fb4}\n"
    ".meta{color:#666}.note{color:#8a5a00;background:#fff8e6;border-left:3px solid #f0b429;"
    "padding:4px 8px;margin:6px 0}\n"
    ".facts{list-style:none;padding:0;margin:4px 0}.facts li{margin:2px 0}"
    ".facts .k{display:inline-block;min-width:190px;color:#666}.facts .v{font-weight:600}"
    ".warn{color:#c0392b}\n"
    ".grid{display:flex;flex-wrap:wrap;gap:8px 16px;align-items:flex-start}\n"
    "svg.chart{max-width:100%;height:auto;display:block;margin:6px 0}\n"
    ".chart text{font-size:11px;fill:#333;font-family:inherit}.chart .title{font-size:13px;font-weight:600}\n"
    ".chart .axislabel{fill:#666}.chart .empty{font-size:14px;fill:#999}\n"
    ".chart .grid{stroke:#eee}.chart .axis{stroke:#888}\n"
    ".chart .bar{fill:#1db954}.chart .gap{fill:#d62728}.chart .hbar{fill:#4c78a8}"
    ".skip .chart .hbar{fill:#e45756}\n"
    ".chart .line{fill:none;stroke:#1db954;stroke-width:2}.chart .points .pt{fill:#1db954}\n"
    ".chart .legend text{font-size:12px}\n"
    "table.recs{border-collapse:collapse;width:100%}.recs th,.recs td{text-align:left;padding:4px 6px;"
    "border-bottom:1px solid #eee;vertical-align:top}.recs td.n{text-align:right;font-variant-numeric:tabular-nums}\n"
    ".recs .why{color:#444}.recs .also{color:#777;font-size:12px}.sim{color:#888;font-size:12px}"
    ".id{font-family:monospace;color:#666}\n";

/*
 * The machine's time zone as date(1) finds it: $TZ (without a leading
 * ':'), else the zone /etc/localtime links to (.../zoneinfo/Europe/Paris).
 * NULL when neither names one; *from says which.  The caller frees it.
 */
static char *
machine_tz(const char **from)
{
	const char *e = getenv("TZ");
	char *path, *z;

	if (e != NULL && *e == ':')
		e++;
	if (e != NULL && *e != '\0') {
		*from = "TZ";
		return sp_xstrdup(e);
	}
	if ((path = realpath("/etc/localtime", NULL)) == NULL)
		return NULL;
	z = strstr(path, "zoneinfo/");
	if (z != NULL && z[9] != '\0') {
		*from = "/etc/localtime";
		z = sp_xstrdup(z + 9);
	} else {
		z = NULL;
	}
	free(path);
	return z;
}

/*
 * What several sections share: the newest canonical play (the summary's
 * "last play" and the health section's "newest play" are one fact), the
 * models' as-of time and why it is what it is, and whether any play has a
 * genre.
 */
static void
facts(void)
{
	const char *p[1] = { tz };

	if (have("raw.plays"))
		last_play = value("select to_char(max(played_at) at time zone $1,"
		    " 'YYYY-MM-DD HH24:MI') from raw.plays where dup_of is null", 1, p);
	if (last_play != NULL && *last_play == '\0') {
		free(last_play);
		last_play = NULL;
	}
	if (have("{{ ref('stg_spotify__params') }}")) {
		char *sql = sq("select to_char(as_of at time zone $1, 'YYYY-MM-DD HH24:MI'),"
		    " to_char((as_of at time zone $1)::date, 'YYYY-MM-DD'), as_of_rule"
		    " from {{ ref('stg_spotify__params') }} limit 1");
		PGresult *r = sp_pg_query(db, sql, 1, p);

		if (r == NULL)
			unreadable();
		if (PQntuples(r) == 1) {
			const char *rule = PQgetvalue(r, 0, 2);

			asof_s = sp_xstrdup(PQgetvalue(r, 0, 0));
			asof_day = sp_xstrdup(PQgetvalue(r, 0, 1));
			asof_why = strcmp(rule, "given") == 0 ? "the date asked for (SP_AS_OF)" :
			    strcmp(rule, "last play") == 0 ? "the last play, as the plays end more than "
			    "28 days before the models were built" : "when the models were built";
		}
		PQclear(r);
		free(sql);
	}
	if (have("{{ ref('int_spotify__genre_listens') }}")) {
		char *sql = sq("select not exists (select 1 from {{ ref('int_spotify__genre_listens') }})"
		    " and exists (select 1 from {{ ref('stg_spotify__plays') }})");
		char *v = value(sql, 0, NULL);

		genres_empty = v != NULL && strcmp(v, "t") == 0;
		free(v);
		free(sql);
	}
}

/* The run to report: the one named, else the newest with recommendations. */
static char *
find_run(const char *opt_run, const char **note_out)
{
	char *run;

	if (opt_run != NULL) {
		struct stat sb;

		if (stat(opt_run, &sb) != 0 || !S_ISDIR(sb.st_mode))
			sp_die(SP_EXIT_DATA, "%s: not a run directory", opt_run);
		run = sp_xstrdup(opt_run);
		if (!run_has(run)) {
			/* A fresh run directory (pipeline.sh report makes one): report the newest run. */
			char *up = sp_conf_join(run, ".."), *parent = realpath(up, NULL);
			char *alt = newest_run(parent != NULL ? parent : up);

			free(up);
			free(parent);
			if (alt != NULL) {
				free(run);
				run = alt;
				*note_out = "the run named has no recommendations; showing the newest run that has";
			}
		}
	} else {
		char *home = sp_home(), *runs = sp_conf_join(home, "runs");

		run = newest_run(runs);
		free(home);
		free(runs);
	}
	return run;
}

/*
 * The time zone (tz, tz_from): the option, the setting, else the machine's,
 * as date(1) finds it; checked against PostgreSQL's names.  Then today.
 * *keep: a string to free at the end.
 */
static void
set_clock(const char *opt_tz, const char *opt_now, char **keep)
{
	char *v;

	tz_from = "--tz";
	if (opt_tz == NULL && (*keep = sp_conf_get("tz")) != NULL) {
		opt_tz = *keep;
		tz_from = "SP_TZ";
	}
	if (opt_tz == NULL && (*keep = machine_tz(&tz_from)) != NULL)
		opt_tz = *keep;
	if (opt_tz == NULL || *opt_tz == '\0') {
		opt_tz = "UTC";
		tz_from = "the default";
	}
	tz = opt_tz;
	{
		const char *p[1] = { tz };

		v = value("select count(*) from pg_timezone_names where name = $1"
		    " or upper(name) = upper($1)", 1, p);
		if (v == NULL)
			exit(SP_EXIT_UPSTREAM);
		if (strcmp(v, "0") == 0 && strcmp(tz, "UTC") != 0)
			sp_die(SP_EXIT_USAGE, "--tz '%s': unknown time zone (an IANA name such as Europe/Paris)", tz);
		free(v);
	}
	if (opt_now == NULL) {
		const char *p[1] = { tz };

		v = value("select to_char((now() at time zone $1)::date, 'YYYY-MM-DD')", 1, p);
		if (v == NULL || sp_date_parse_day(v, &today) != 0)
			exit(SP_EXIT_UPSTREAM);
		free(v);
		now_t = time(NULL);
	} else {
		now_t = (time_t)today * 86400;
	}
	sp_date_format(today, today_s, sizeof today_s);
}

/* The page's head, title line and navigation. */
static void
page_head(const char *run, const char *run_note)
{
	sp_buf_adds(&out, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	    "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
	    "style-src 'unsafe-inline'; img-src data:\">\n"
	    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	    "<link rel=\"icon\" href=\"data:,\">\n<title>sp listening report ");
	esc(today_s);
	sp_buf_printf(&out, "</title>\n<style>\n%s</style>\n</head>\n<body>\n<main>\n", css);
	sp_buf_adds(&out, "<h1>Listening report</h1>\n<p class=\"meta\">For <span data-fact=\"date\">");
	esc(today_s);
	sp_buf_adds(&out, "</span>, time zone <span data-fact=\"tz\">");
	esc(tz);
	sp_buf_adds(&out, "</span> (from <span data-fact=\"tz-from\">");
	esc(tz_from);
	sp_buf_adds(&out, "</span>); run: ");
	if (run) {
		sp_buf_adds(&out, "<code>");
		esc(run);
		sp_buf_adds(&out, "</code>");
	} else {
		sp_buf_adds(&out, "no recommendation run yet");
	}
	sp_buf_adds(&out, ".</p>\n<nav><a href=\"#weekly\">weekly</a><a href=\"#top\">top</a>"
	    "<a href=\"#clock\">when</a><a href=\"#skips\">skips</a><a href=\"#recs\">recommendations</a>"
	    "<a href=\"#map\">map</a><a href=\"#health\">health</a></nav>\n");
	if (run_note)
		note("%s", run_note);
}

/*
 * sp-report reads the listening from the SQL models (schema analytics:
 * stg_spotify__plays, int_spotify__plays, the artist and genre listens,
 * int_spotify__tracks), the raw tables (raw.plays, raw.load_ledger,
 * raw.rejects) for the data's health, the stage store for objects not yet
 * loaded, the tokens file for the refresh token's expiry, and a run
 * directory's recs.ndjson and embedded.spm.  It writes one HTML file
 * (stdout or -o FILE, replaced atomically) with inline CSS and SVG and no
 * script, font or network reference.  Missing data gives a note in the
 * report, never an error; data that could not be read is never taken for
 * missing.  Exit status: 0 ok; 1 a run file unreadable or malformed, or
 * the output not written (the report, if written, notes what is
 * missing), or the role may not read the schemas (no report then); 2
 * usage (a bad option, date or time zone); 3 PostgreSQL failed (a rerun
 * may fix it).
 */
int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "now", required_argument, NULL, 'n' },
		{ "output", required_argument, NULL, 'o' },
		{ "run", required_argument, NULL, 'r' },
		{ "schema", required_argument, NULL, 'S' },
		{ "store", required_argument, NULL, 's' },
		{ "tz", required_argument, NULL, 'z' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	const char *opt_now = NULL, *opt_out = NULL, *opt_run = NULL, *opt_schema = "analytics";
	const char *opt_store = NULL, *opt_tz = NULL;
	struct sp_strtab recommended = { 0 };
	char *run = NULL, *conf_tz = NULL;
	const char *run_note = NULL;
	int c;

	sp_init(argv[0]);
	while ((c = getopt_long(argc, argv, "hn:o:r:S:s:z:", longopts, NULL)) != -1) {
		switch (c) {
		case 'h': usage(stdout, 0);
		case 'n': opt_now = optarg; break;
		case 'o': opt_out = optarg; break;
		case 'r': opt_run = optarg; break;
		case 'S': opt_schema = optarg; break;
		case 's': opt_store = optarg; break;
		case 'z': opt_tz = optarg; break;
		case 'V': sp_version();
		default: usage(stderr, SP_EXIT_USAGE);
		}
	}
	if (optind != argc) {
		usage(stderr, SP_EXIT_USAGE);
	}
	if (opt_now != NULL && sp_date_parse_day(opt_now, &today) != 0)
		sp_die(SP_EXIT_USAGE, "--now '%s': not a date (YYYY-MM-DD)", opt_now);
	if (*opt_schema == '\0')
		sp_die(SP_EXIT_USAGE, "--schema: empty schema name");

	run = find_run(opt_run, &run_note);
	db = sp_pg_connect(NULL);
	if ((c = sp_project_open(&project, NULL, opt_schema, NULL, 0)) != 0)
		exit(c);

	set_clock(opt_tz, opt_now, &conf_tz);
	facts();

	page_head(run, run_note);
	summary();
	weekly();
	tops();
	when();
	skips();
	recommendations(run, &recommended);
	embedding(run, &recommended);
	health(opt_store);
	sp_buf_adds(&out, "<p class=\"meta\">Made by sp-report. No scripts, fonts or network: "
	    "everything is in this file.</p>\n</main>\n</body>\n</html>\n");

	if (opt_out != NULL && strcmp(opt_out, "-") != 0) {
		if (sp_conf_write_atomic(opt_out, out.data, out.len, 0644) != 0)
			sp_die(SP_EXIT_DATA, "%s: %s", opt_out, strerror(errno));
	} else if (fwrite(out.data, 1, out.len, stdout) != out.len) {
		sp_die(SP_EXIT_DATA, "<stdout>: %s", strerror(errno));
	}
	sp_buf_free(&out);
	sp_strtab_free(&recommended);
	sp_project_free(&project);
	PQfinish(db);
	free(run);
	free(conf_tz);
	free(last_play);
	free(asof_s);
	free(asof_day);
	return status;
}
