/* sp-publish.c: publishes recommendations as the listener's Spotify playlist, and as JSPF, M3U and CSV files. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "auth.h"
#include "buf.h"
#include "config.h"
#include "dates.h"
#include "diag.h"
#include "paths.h"
#include "http.h"
#include "ndjson.h"

/* Spotify's cap on the URIs of one PUT or POST of playlist items. */
#define CHUNK 100
/* Reasons named per track ("because you played A, B and C"). */
#define BECAUSE_MAX 3

static const char *opt_date, *opt_id, *opt_method = "cosine", *opt_out = "playlist";
static const char *opt_name = "sp: new releases for you", *opt_state, *opt_tracks, *opt_user;
static int opt_allow_empty, opt_dry_run, opt_offline, opt_public, opt_verbose;

static struct sp_http *H;

static void __attribute__((noreturn))
usage(FILE *fp, int status)
{
	fputs("usage: sp-publish [-v] [--dry-run] [--name NAME] [--out PREFIX] [--tracks FILE] [OPTIONS] [FILE]\n"
	    "Publishes recommendation NDJSON (FILE or stdin) as the listener's playlist:\n"
	    "finds it by stored id or by name (or creates it), replaces its items,\n"
	    "reads them back; always writes PREFIX.jspf, PREFIX.m3u and PREFIX.csv.\n"
	    "      --allow-empty  publish an empty list when there are no recommendations\n"
	    "                     (default: keep the playlist as it is and exit 1)\n"
	    "  -d, --dry-run      show the change (added, removed, kept); write nothing to Spotify\n"
	    "      --date DATE    the date in the description (default today, UTC)\n"
	    "  -i, --id ID        publish to this playlist (default: stored id, else by name)\n"
	    "  -m, --method NAME  the method named in the description (default cosine)\n"
	    "  -n, --name NAME    the playlist's name (default 'sp: new releases for you')\n"
	    "      --offline      write the files only; do not call Spotify\n"
	    "  -o, --out PREFIX   the files' prefix (default 'playlist')\n"
	    "      --public       create the playlist public (default private)\n"
	    "      --state FILE   the stored playlist ids (default <state dir>/publish.json)\n"
	    "  -t, --tracks FILE  NDJSON track names (sp-features rows or Spotify tracks)\n"
	    "  -u, --user USER    the recommendations of USER (default: the first user)\n"
	    "  -v, --verbose      say what is done on stderr\n"
	    "  -h, --help         this help\n"
	    "      --version      the version\n", fp);
	exit(status);
}

static void
note(const char *fmt, ...)
{
	va_list ap;

	if (!opt_verbose)
		return;
	va_start(ap, fmt);
	sp_vwarn(fmt, ap);
	va_end(ap);
}

/* ------------------------------------------------------------ small jv helpers */

/* The string member key of o (borrowed) or NULL; valid while o lives. */
static const char *
str_of(jv o, const char *key)
{
	jv v;
	const char *s;

	if (jv_get_kind(o) != JV_KIND_OBJECT)
		return NULL;
	v = jv_object_get(jv_copy(o), jv_string(key));
	if (jv_get_kind(v) != JV_KIND_STRING) {
		jv_free(v);
		return NULL;
	}
	s = jv_string_value(v);
	jv_free(v);	/* o still holds a reference to the string */
	return s;
}

/* Names joined with ", " from an array of strings or of objects with a
 * "name", or a string; jv_null when there are none.  Borrows v. */
static jv
names_of(jv v)
{
	struct sp_buf b = {0};
	jv out;
	int i, n;

	if (jv_get_kind(v) == JV_KIND_STRING)
		return jv_copy(v);
	if (jv_get_kind(v) != JV_KIND_ARRAY)
		return jv_null();
	n = jv_array_length(jv_copy(v));
	for (i = 0; i < n; i++) {
		jv x = jv_array_get(jv_copy(v), i);
		const char *s = jv_get_kind(x) == JV_KIND_STRING ? jv_string_value(x) : str_of(x, "name");

		if (s != NULL && *s != '\0') {
			if (b.len > 0)
				sp_buf_adds(&b, ", ");
			sp_buf_adds(&b, s);
		}
		jv_free(x);
	}
	out = b.len > 0 ? jv_string(b.data) : jv_null();
	sp_buf_free(&b);
	return out;
}

/* The first name of names_of(v); borrows v. */
static jv
first_name(jv v)
{
	jv x, out;
	const char *s;

	if (jv_get_kind(v) != JV_KIND_ARRAY || jv_array_length(jv_copy(v)) == 0)
		return names_of(v);
	x = jv_array_get(jv_copy(v), 0);
	s = jv_get_kind(x) == JV_KIND_STRING ? jv_string_value(x) : str_of(x, "name");
	out = s != NULL && *s != '\0' ? jv_string(s) : jv_null();
	jv_free(x);
	return out;
}

/*
 * meta_of: a track's display fields {"title","artists","artist","album",
 * "duration_ms"} from an sp-features row (track_name, artist_names,
 * album_name) or a Spotify track object (name, artists, album.name).
 * Borrows o; returns jv_null when o names no title.
 */
static jv
meta_of(jv o)
{
	const char *title = str_of(o, "track_name"), *album = str_of(o, "album_name");
	jv m, artists, d, al;

	if (title == NULL)
		title = str_of(o, "name");
	if (title == NULL)
		return jv_null();
	artists = sp_jv_get(o, "artist_names");
	if (jv_get_kind(artists) == JV_KIND_NULL) {
		jv_free(artists);
		artists = sp_jv_get(o, "artists");
	}
	al = sp_jv_get(o, "album");
	if (album == NULL)
		album = jv_get_kind(al) == JV_KIND_STRING ? jv_string_value(al) : str_of(al, "name");
	m = jv_object();
	m = jv_object_set(m, jv_string("title"), jv_string(title));
	m = jv_object_set(m, jv_string("artists"), names_of(artists));
	m = jv_object_set(m, jv_string("artist"), first_name(artists));
	m = jv_object_set(m, jv_string("album"), album != NULL ? jv_string(album) : jv_null());
	jv_free(artists);
	jv_free(al);
	d = sp_jv_get(o, "duration_ms");
	if (jv_get_kind(d) != JV_KIND_NUMBER) {
		jv_free(d);
		d = jv_null();
	}
	return jv_object_set(m, jv_string("duration_ms"), d);
}

/* The id of a track object or features row (borrowed o), or NULL. */
static const char *
id_of(jv o)
{
	const char *s = str_of(o, "track_id");

	return s != NULL ? s : str_of(o, "id");
}

/* ------------------------------------------------------------ the recommendations */

/* The state of one run: the recommendations, what is known of each track. */
static jv recs;		/* array of {"id","rank","score","because":[ids]} */
static jv meta;		/* object: track id -> meta_of() */
static jv known;	/* object: track id -> whether GET /tracks/{id} found it */
static jv refused;	/* object: track id -> Spotify's message refusing it */

static void
meta_put(const char *id, jv m)
{
	jv old;

	if (jv_get_kind(m) != JV_KIND_OBJECT) {
		jv_free(m);
		return;
	}
	old = jv_object_get(jv_copy(meta), jv_string(id));
	if (jv_get_kind(old) == JV_KIND_OBJECT) {
		jv_free(old);
		jv_free(m);
		return;
	}
	jv_free(old);
	meta = jv_object_set(meta, jv_string(id), m);
}

static int
meta_has(const char *id)
{
	return jv_object_has(jv_copy(meta), jv_string(id));
}

/* A display field of track id, or NULL. */
static const char *
meta_str(const char *id, const char *field)
{
	jv m = jv_object_get(jv_copy(meta), jv_string(id));
	const char *s = str_of(m, field);

	jv_free(m);	/* meta keeps the object alive */
	return s;
}

static int
valid_id(const char *s)
{
	size_t n = strlen(s), i;

	if (n == 0 || n > 64)
		return 0;
	for (i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= 'A' && s[i] <= 'Z') || s[i] == '_' || s[i] == '-'))
			return 0;
	return 1;
}

/*
 * read_recs: the recommendations of one user (--user, else the first
 * user met; lines without "user" belong to everyone), in input order,
 * each track once.  Candidate labels given by sp-cosine --labels feed the
 * track names.
 */
static void
read_recs(const char *path)
{
	struct sp_lines r;
	char *user = opt_user != NULL ? sp_xstrdup(opt_user) : NULL;
	jv o, seen = jv_object();

	if (sp_lines_open(&r, path) != 0)
		exit(SP_EXIT_DATA);
	recs = jv_array();
	while (sp_ndjson_next(&r, &o, 1)) {
		const char *id = str_of(o, "track_id"), *u = str_of(o, "user");
		jv rank = sp_jv_get(o, "rank"), score = sp_jv_get(o, "score");
		jv because = sp_jv_get(o, "because"), ids = jv_array(), rec, labels;
		int i, n;

		if (id == NULL || !valid_id(id))
			sp_die_at(SP_EXIT_DATA, r.name, r.lineno, "'track_id': not a Spotify track id");
		if (jv_get_kind(score) != JV_KIND_NUMBER)
			sp_die_at(SP_EXIT_DATA, r.name, r.lineno, "'score': not a number");
		if (jv_get_kind(because) != JV_KIND_ARRAY && jv_get_kind(because) != JV_KIND_NULL)
			sp_die_at(SP_EXIT_DATA, r.name, r.lineno, "'because': not an array");
		if (u != NULL && user == NULL)
			user = sp_xstrdup(u);
		if (u != NULL && strcmp(u, user) != 0)
			goto next;
		if (jv_object_has(jv_copy(seen), jv_string(id)))
			goto next;
		seen = jv_object_set(seen, jv_string(id), jv_true());
		n = jv_get_kind(because) == JV_KIND_ARRAY ? jv_array_length(jv_copy(because)) : 0;
		for (i = 0; i < n; i++) {
			jv b = jv_array_get(jv_copy(because), i);
			const char *bid = jv_get_kind(b) == JV_KIND_STRING ? jv_string_value(b) : str_of(b, "track_id");

			if (bid == NULL || !valid_id(bid))
				sp_die_at(SP_EXIT_DATA, r.name, r.lineno, "'because': item %d has no track id", i + 1);
			ids = jv_array_append(ids, jv_string(bid));
			jv_free(b);
		}
		labels = sp_jv_get(o, "labels");
		meta_put(id, meta_of(labels));
		jv_free(labels);
		rec = jv_object();
		rec = jv_object_set(rec, jv_string("id"), jv_string(id));
		rec = jv_object_set(rec, jv_string("rank"), jv_get_kind(rank) == JV_KIND_NUMBER ?
		    jv_copy(rank) : jv_number(jv_array_length(jv_copy(recs)) + 1));
		rec = jv_object_set(rec, jv_string("score"), jv_copy(score));
		rec = jv_object_set(rec, jv_string("because"), ids);
		recs = jv_array_append(recs, rec);
		ids = jv_invalid();
next:
		jv_free(ids);
		jv_free(rank);
		jv_free(score);
		jv_free(because);
		jv_free(o);
	}
	sp_lines_close(&r);
	jv_free(seen);
	free(user);
}

/* The ids whose names are wanted: every recommendation and its reasons. */
static jv
wanted_ids(void)
{
	jv want = jv_object();
	int i, j, n = jv_array_length(jv_copy(recs));

	for (i = 0; i < n; i++) {
		jv rec = jv_array_get(jv_copy(recs), i), b = sp_jv_get(rec, "because");
		int m = jv_array_length(jv_copy(b));

		want = jv_object_set(want, jv_string(str_of(rec, "id")), jv_true());
		for (j = 0; j < m && j < BECAUSE_MAX; j++)
			want = jv_object_set(want, jv_array_get(jv_copy(b), j), jv_true());
		jv_free(b);
		jv_free(rec);
	}
	return want;
}

/* read_tracks: names from --tracks, keeping only the tracks wanted, so a
 * whole catalogue streams through in constant memory. */
static void
read_tracks(const char *path, jv want)
{
	struct sp_lines r;
	jv o;

	if (sp_lines_open(&r, path) != 0)
		exit(SP_EXIT_DATA);
	while (sp_ndjson_next(&r, &o, 1)) {
		const char *id = id_of(o);

		if (id != NULL && jv_object_has(jv_copy(want), jv_string(id)))
			meta_put(id, meta_of(o));
		jv_free(o);
	}
	sp_lines_close(&r);
}

/* ------------------------------------------------------------ the API */

/* One call; SP_HTTP_OK or SP_HTTP_REFUSED (then *out is the error body).
 * A failure (retries spent, rate limit over the cap, refused refresh)
 * ends the tool with exit 3. */
static int
api(const char *method, const char *url, jv body, jv *out)
{
	int rc = sp_http_api(H, method, url, body, out);

	if (rc == SP_HTTP_FAILED)
		sp_http_die(H);
	return rc;
}

/* api() that must succeed. */
static jv
api_ok(const char *method, const char *url, jv body)
{
	jv out;

	if (api(method, url, body, &out) != SP_HTTP_OK) {
		jv_free(out);
		sp_http_die(H);
	}
	return out;
}

/* fetch_names: GET /tracks/{id} for the wanted tracks still unnamed. */
static void
fetch_names(jv want)
{
	struct sp_buf u = {0};
	jv keys = jv_keys(jv_copy(want));
	int i, n = jv_array_length(jv_copy(keys));

	for (i = 0; i < n; i++) {
		jv k = jv_array_get(jv_copy(keys), i), t;
		const char *id = jv_string_value(k);

		if (!meta_has(id)) {
			sp_buf_reset(&u);
			sp_buf_printf(&u, "/tracks/%s", id);
			if (api("GET", u.data, jv_invalid(), &t) == SP_HTTP_OK) {
				meta_put(id, meta_of(t));
				known = jv_object_set(known, jv_string(id), jv_true());
			} else {
				sp_warn("track '%s': %s", id, sp_http_error(H));
				if (sp_http_status(H) == 404 || sp_http_status(H) == 400)
					known = jv_object_set(known, jv_string(id), jv_false());
			}
			jv_free(t);
		}
		jv_free(k);
	}
	jv_free(keys);
	sp_buf_free(&u);
}

/* A playlist item's track (borrowed item): "item", else "track" (before
 * the 2026 rename); a new reference, jv_null for a removed track. */
static jv
item_track(jv it)
{
	jv t = sp_jv_get(it, "item");

	if (jv_get_kind(t) != JV_KIND_OBJECT) {
		jv_free(t);
		t = sp_jv_get(it, "track");
	}
	return t;
}

/* read_items: the playlist's track URIs in order (paging by next); the
 * names seen are kept for the listing of removed tracks. */
static jv
read_items(const char *pid)
{
	struct sp_buf u = {0};
	jv uris = jv_array();
	long limit = 50, pages = 0;
	char *next;

	sp_buf_printf(&u, "/playlists/%s/items?limit=%ld", pid, limit);
	next = sp_buf_detach(&u, NULL);
	while (next != NULL && pages++ < 10000) {
		jv page, items;
		int i, n;

		if (api("GET", next, jv_invalid(), &page) != SP_HTTP_OK) {
			/* Some accounts take at most 50 items a page, others 100. */
			if (sp_http_status(H) == 400 && limit > 1 && pages == 1) {
				jv_free(page);
				free(next);
				limit /= 2;
				sp_buf_printf(&u, "/playlists/%s/items?limit=%ld", pid, limit);
				next = sp_buf_detach(&u, NULL);
				pages = 0;
				continue;
			}
			sp_http_die(H);
		}
		items = sp_jv_get(page, "items");
		if (jv_get_kind(items) != JV_KIND_ARRAY)
			sp_die(SP_EXIT_UPSTREAM, "GET %s: unexpected answer: no 'items' array", next);
		n = jv_array_length(jv_copy(items));
		for (i = 0; i < n; i++) {
			jv it = jv_array_get(jv_copy(items), i), t = item_track(it);
			const char *uri = str_of(t, "uri"), *id = str_of(t, "id");
			char buf[96];

			if (uri == NULL && id != NULL) {
				snprintf(buf, sizeof buf, "spotify:track:%s", id);
				uri = buf;
			}
			/* A removed track has no URI we can put back; a local file
			 * has one (spotify:local:...) that no write accepts: the
			 * items are replaced without it, its name kept for the list. */
			uris = jv_array_append(uris, jv_string(uri != NULL ? uri : "?"));
			if (id != NULL)
				meta_put(id, meta_of(t));
			else if (uri != NULL && strncmp(uri, "spotify:local:", 14) == 0)
				meta_put(uri, meta_of(t));
			jv_free(t);
			jv_free(it);
		}
		jv_free(items);
		free(next);
		next = sp_http_next(page);
		jv_free(page);
	}
	free(next);
	return uris;
}

/*
 * track_gone: whether Spotify no longer knows track id: GET /tracks/{id}
 * answers 404 or 400, asked once a run.
 */
static int
track_gone(const char *id)
{
	struct sp_buf u = {0};
	jv k = jv_object_get(jv_copy(known), jv_string(id)), t;
	int gone;

	if (jv_get_kind(k) == JV_KIND_TRUE || jv_get_kind(k) == JV_KIND_FALSE) {
		gone = jv_get_kind(k) == JV_KIND_FALSE;
		jv_free(k);
		return gone;
	}
	jv_free(k);
	sp_buf_printf(&u, "/tracks/%s", id);
	gone = api("GET", u.data, jv_invalid(), &t) != SP_HTTP_OK &&
	    (sp_http_status(H) == 404 || sp_http_status(H) == 400);
	jv_free(t);
	sp_buf_free(&u);
	known = jv_object_set(known, jv_string(id), gone ? jv_false() : jv_true());
	return gone;
}

/*
 * refused_at: the index in uris (borrowed, spotify:track: URIs) of the
 * track that a write of uris[from, to) answered 400 with message msg
 * refuses: the one whose id msg names ("Invalid track uri:
 * spotify:track:ID"), else, for a message naming none ("Payload contains
 * a non-existing ID"), the first Spotify no longer knows (track_gone).
 * -1 when there is none: the refusal is not about a track.
 */
static int
refused_at(jv uris, int from, int to, const char *msg)
{
	int i, at = -1;

	for (i = from; i < to && at < 0; i++) {
		jv u = jv_array_get(jv_copy(uris), i);

		if (strstr(msg, jv_string_value(u) + 14) != NULL)
			at = i;
		jv_free(u);
	}
	for (i = from; i < to && at < 0; i++) {
		jv u = jv_array_get(jv_copy(uris), i);

		if (track_gone(jv_string_value(u) + 14))
			at = i;
		jv_free(u);
	}
	return at;
}

/*
 * write_items: PUT the first 100 URIs (an empty list clears), then POST
 * the rest in order, 100 a call.  Returns -1 when every call succeeded,
 * or the index in uris (borrowed) of a track Spotify refused (refused_at),
 * with its message in *why (a new string).  Any other failure ends the
 * tool with exit 3.
 */
static int
write_items(const char *pid, jv uris, char **why)
{
	struct sp_buf u = {0};
	int i, at = -1, n = jv_array_length(jv_copy(uris));

	sp_buf_printf(&u, "/playlists/%s/items", pid);
	for (i = 0; at < 0 && (i == 0 || i < n); i += CHUNK) {
		int end = i + CHUNK < n ? i + CHUNK : n;
		jv body = jv_object_set(jv_object(), jv_string("uris"), jv_array_slice(jv_copy(uris), i, end));
		jv out, e;
		char *err, *hint;
		const char *msg;

		if (i > 0)
			body = jv_object_set(body, jv_string("position"), jv_number(i));
		note("%s %d items at %d", i == 0 ? "PUT" : "POST", end - i, i);
		if (api(i == 0 ? "PUT" : "POST", u.data, body, &out) == SP_HTTP_OK) {
			jv_free(out);
			continue;
		}
		err = sp_xstrdup(sp_http_error(H));
		hint = sp_http_hint(H) != NULL ? sp_xstrdup(sp_http_hint(H)) : NULL;
		e = sp_jv_get(out, "error");
		msg = str_of(e, "message") != NULL ? str_of(e, "message") : err;
		if (sp_http_status(H) == 400 && end > i)
			at = refused_at(uris, i, end, msg);
		if (at < 0) {
			/* What the lookups of refused_at left is not the reason. */
			sp_http_set_error(H, hint, "%s", err);
			sp_http_die(H);
		}
		*why = sp_xstrdup(msg);
		free(err);
		free(hint);
		jv_free(e);
		jv_free(out);
	}
	sp_buf_free(&u);
	return at;
}

static void add_title(struct sp_buf *, const char *, int);

/* refuse: warns that Spotify refused uris[at] (borrowed) and keeps it in
 * refused. */
static void
refuse(jv uris, int at, const char *why)
{
	jv u = jv_array_get(jv_copy(uris), at);
	const char *id = jv_string_value(u) + 14;
	struct sp_buf b = {0};

	if (meta_str(id, "title") != NULL) {
		add_title(&b, id, 0);
		sp_warn("track '%s' (%s): refused by Spotify (%s); published without it", b.data, id, why);
	} else {
		sp_warn("track %s: refused by Spotify (%s); published without it", id, why);
	}
	refused = jv_object_set(refused, jv_string(id), jv_string(why));
	sp_buf_free(&b);
	jv_free(u);
}

/*
 * replace_items: writes uris (consumed) as the playlist's items; a track
 * Spotify refuses (gone from its catalogue since the recommendations
 * were made) is left out with a warning and the rest written again, at
 * most once a track.  Returns the URIs written: none when every track
 * was refused (the first write, a PUT, failed each time, so the playlist
 * is as it was); the rest unwritten when they are the items already
 * (cur, borrowed: a rerun after a refusal).
 */
static jv
replace_items(const char *pid, jv uris, jv cur)
{
	int tries, at, n = jv_array_length(jv_copy(uris));
	char *why;
	jv rest;

	for (tries = 0; tries <= n; tries++) {
		if (tries > 0 && (jv_array_length(jv_copy(uris)) == 0 || jv_equal(jv_copy(cur), jv_copy(uris))))
			break;
		why = NULL;
		if ((at = write_items(pid, uris, &why)) < 0)
			break;
		refuse(uris, at, why);
		free(why);
		rest = jv_array_slice(jv_copy(uris), at + 1, jv_array_length(jv_copy(uris)));
		uris = jv_array_concat(jv_array_slice(uris, 0, at), rest);
	}
	return uris;
}

/* The stored playlist ids: {"playlists": {NAME: ID}}. */
static char *
state_path(void)
{
	char *dir, *p;

	if (opt_state != NULL)
		return sp_xstrdup(opt_state);
	dir = sp_conf_state_dir();
	p = sp_conf_join(dir, "publish.json");
	free(dir);
	return p;
}

static jv
state_load(const char *path)
{
	size_t len;
	char *text = sp_read_file(path, 1 << 20, &len);
	jv st;

	if (text == NULL) {
		if (errno != ENOENT)
			sp_die(SP_EXIT_DATA, "%s: %s", path, strerror(errno));
		return jv_object();
	}
	st = sp_jv_parse(text, len);
	free(text);
	if (jv_get_kind(st) != JV_KIND_OBJECT) {
		jv_free(st);
		sp_die(SP_EXIT_DATA, "%s: not a publish state file (invalid JSON)", path);
	}
	return st;
}

static void
state_save(const char *path, jv st, const char *name, const char *pid)
{
	jv pls = sp_jv_get(st, "playlists"), dump;
	char *dir = sp_xstrdup(path), *slash = strrchr(dir, '/');
	struct sp_buf b = {0};

	if (jv_get_kind(pls) != JV_KIND_OBJECT) {
		jv_free(pls);
		pls = jv_object();
	}
	pls = jv_object_set(pls, jv_string(name), jv_string(pid));
	dump = jv_dump_string(jv_object_set(jv_copy(st), jv_string("playlists"), pls), 0);
	sp_buf_adds(&b, jv_string_value(dump));
	sp_buf_addc(&b, '\n');
	jv_free(dump);
	if (slash != NULL) {
		*slash = '\0';
		if (*dir != '\0' && sp_mkdirs(dir, 0700) != 0)
			sp_die(SP_EXIT_DATA, "%s: %s", dir, strerror(errno));
	}
	if (sp_conf_write_atomic(path, b.data, b.len, 0600) != 0)
		sp_die(SP_EXIT_DATA, "%s: %s", path, strerror(errno));
	sp_buf_free(&b);
	free(dir);
}

/* A playlist (borrowed) we may write to: owned by me, or collaborative. */
static int
writable(jv pl, const char *me)
{
	jv owner = sp_jv_get(pl, "owner"), collab = sp_jv_get(pl, "collaborative");
	const char *oid = str_of(owner, "id");
	int ok = (oid != NULL && strcmp(oid, me) == 0) || jv_get_kind(collab) == JV_KIND_TRUE;

	jv_free(owner);
	jv_free(collab);
	return ok;
}

/* get_playlist: GET /playlists/{id}; jv_null when it does not exist. */
static jv
get_playlist(const char *pid)
{
	struct sp_buf u = {0};
	jv pl;
	int rc;

	sp_buf_printf(&u, "/playlists/%s", pid);
	rc = api("GET", u.data, jv_invalid(), &pl);
	sp_buf_free(&u);
	if (rc == SP_HTTP_OK)
		return pl;
	jv_free(pl);
	if (sp_http_status(H) == 404 || sp_http_status(H) == 400)
		return jv_null();
	sp_http_die(H);
}

/* by_name: my playlist named opt_name from GET /me/playlists, or jv_null. */
static jv
by_name(const char *me)
{
	char *next = sp_xstrdup("/me/playlists?limit=50");
	jv found = jv_null();
	long pages = 0;

	while (next != NULL && pages++ < 10000) {
		jv page = api_ok("GET", next, jv_invalid()), items = sp_jv_get(page, "items");
		int i, n = jv_get_kind(items) == JV_KIND_ARRAY ? jv_array_length(jv_copy(items)) : 0;

		for (i = 0; i < n; i++) {
			jv pl = jv_array_get(jv_copy(items), i);
			const char *name = str_of(pl, "name");

			if (name != NULL && strcmp(name, opt_name) == 0 && writable(pl, me)) {
				if (jv_get_kind(found) == JV_KIND_NULL) {
					found = pl;
					continue;
				}
				sp_warn("more than one playlist named '%s'; using %s", opt_name, str_of(found, "id"));
			}
			jv_free(pl);
		}
		jv_free(items);
		free(next);
		next = sp_http_next(page);
		jv_free(page);
	}
	free(next);
	return found;
}

/* ------------------------------------------------------------ output */

/* "Title by Artists" of track id into b; only the first artist when
 * first is set (a list of reasons stays readable). */
static void
add_title(struct sp_buf *b, const char *id, int first)
{
	const char *t = meta_str(id, "title"), *a = meta_str(id, first ? "artist" : "artists");

	sp_buf_adds(b, t != NULL ? t : id);
	if (a != NULL) {
		sp_buf_adds(b, " by ");
		sp_buf_adds(b, a);
	}
}

/* The reason of recommendation rec (borrowed): "because you played X by A
 * and Y by B", or "because you played X and Y by A" when the tracks share
 * their (first) artist; a new string the caller frees. */
static char *
reason(jv rec)
{
	struct sp_buf b = {0};
	jv because = sp_jv_get(rec, "because");
	int i, n = jv_array_length(jv_copy(because)), same = 1;
	const char *artist = NULL;

	if (n > BECAUSE_MAX)
		n = BECAUSE_MAX;
	if (n == 0)
		sp_buf_adds(&b, "a new release close to what you play");
	for (i = 0; i < n; i++) {
		jv id = jv_array_get(jv_copy(because), i);
		const char *a = meta_str(jv_string_value(id), "artist");

		if (a == NULL || (artist != NULL && strcmp(a, artist) != 0))
			same = 0;
		artist = a;
		jv_free(id);
	}
	for (i = 0; i < n; i++) {
		jv id = jv_array_get(jv_copy(because), i);
		const char *t = meta_str(jv_string_value(id), "title");

		sp_buf_adds(&b, i == 0 ? "because you played " : i == n - 1 ? " and " : ", ");
		if (same && n > 1)
			sp_buf_adds(&b, t != NULL ? t : jv_string_value(id));
		else
			add_title(&b, jv_string_value(id), 1);
		jv_free(id);
	}
	if (same && n > 1) {
		sp_buf_adds(&b, " by ");
		sp_buf_adds(&b, artist);
	}
	jv_free(because);
	return sp_buf_detach(&b, NULL);
}

/*
 * One CSV cell (RFC 4180).  A cell a spreadsheet would run as a formula
 * (first character = + - @, tab or carriage return: a title
 * "=HYPERLINK(...)") is neutralised as OWASP advises: a single quote
 * before it, the cell quoted.
 */
static void
csv_field(struct sp_buf *b, const char *s)
{
	int formula;

	if (s == NULL)
		s = "";
	formula = *s != '\0' && strchr("=+-@\t\r", *s) != NULL;
	if (!formula && strpbrk(s, ",\"\r\n") == NULL) {
		sp_buf_adds(b, s);
		return;
	}
	sp_buf_addc(b, '"');
	if (formula)
		sp_buf_addc(b, '\'');
	for (; *s != '\0'; s++) {
		if (*s == '"')
			sp_buf_addc(b, '"');
		sp_buf_addc(b, *s);
	}
	sp_buf_addc(b, '"');
}

/* An M3U line holds no newline. */
static void
m3u_text(struct sp_buf *b, const char *s)
{
	for (; s != NULL && *s != '\0'; s++)
		sp_buf_addc(b, *s == '\n' || *s == '\r' ? ' ' : *s);
}

static void
write_file(const char *prefix, const char *ext, const struct sp_buf *b)
{
	struct sp_buf p = {0};

	sp_buf_printf(&p, "%s.%s", prefix, ext);
	if (strrchr(p.data, '/') != NULL) {
		char *dir = sp_xstrdup(p.data);

		*strrchr(dir, '/') = '\0';
		if (*dir != '\0' && sp_mkdirs(dir, 0755) != 0)
			sp_die(SP_EXIT_DATA, "%s: %s", dir, strerror(errno));
		free(dir);
	}
	if (sp_conf_write_atomic(p.data, b->data != NULL ? b->data : "", b->len, 0644) != 0)
		sp_die(SP_EXIT_DATA, "%s: %s", p.data, strerror(errno));
	note("wrote %s", p.data);
	sp_buf_free(&p);
}

/* write_files: PREFIX.jspf, PREFIX.m3u and PREFIX.csv of the playlist. */
static void
write_files(const char *desc, const char *date, const char *pid)
{
	struct sp_buf m3u = {0}, csv = {0}, js = {0};
	jv tracks = jv_array(), pl, dump;
	int i, n = jv_array_length(jv_copy(recs));

	sp_buf_adds(&m3u, "#EXTM3U\n#PLAYLIST:");
	m3u_text(&m3u, opt_name);
	sp_buf_adds(&m3u, "\n");
	sp_buf_adds(&csv, "rank,track_id,uri,title,artists,album,duration_ms,score,reason\n");
	for (i = 0; i < n; i++) {
		jv rec = jv_array_get(jv_copy(recs), i), t = jv_object(), d, m;
		const char *id = str_of(rec, "id"), *title = meta_str(id, "title");
		const char *artists = meta_str(id, "artists"), *album = meta_str(id, "album");
		char *why = reason(rec), uri[96], url[128], num[64];
		double dur = -1;

		snprintf(uri, sizeof uri, "spotify:track:%s", id);
		snprintf(url, sizeof url, "https://open.spotify.com/track/%s", id);
		d = jv_object_get(jv_copy(meta), jv_string(id));
		m = sp_jv_get(d, "duration_ms");
		jv_free(d);
		d = m;
		if (jv_get_kind(d) == JV_KIND_NUMBER)
			dur = jv_number_value(d);
		jv_free(d);

		t = jv_object_set(t, jv_string("location"), jv_array_append(jv_array(), jv_string(url)));
		t = jv_object_set(t, jv_string("identifier"), jv_array_append(jv_array(), jv_string(uri)));
		t = jv_object_set(t, jv_string("title"), jv_string(title != NULL ? title : id));
		if (artists != NULL)
			t = jv_object_set(t, jv_string("creator"), jv_string(artists));
		if (album != NULL)
			t = jv_object_set(t, jv_string("album"), jv_string(album));
		if (dur >= 0)
			t = jv_object_set(t, jv_string("duration"), jv_number(dur));
		t = jv_object_set(t, jv_string("annotation"), jv_string(why));
		tracks = jv_array_append(tracks, t);

		sp_buf_printf(&m3u, "#EXTINF:%ld,", dur >= 0 ? (long)(dur / 1000 + 0.5) : -1L);
		if (artists != NULL) {
			m3u_text(&m3u, artists);
			sp_buf_adds(&m3u, " - ");
		}
		m3u_text(&m3u, title != NULL ? title : id);
		sp_buf_adds(&m3u, "\n# ");
		m3u_text(&m3u, why);
		sp_buf_printf(&m3u, "\n%s\n", url);

		snprintf(num, sizeof num, "%ld", (long)jv_number_value(jv_object_get(jv_copy(rec), jv_string("rank"))));
		csv_field(&csv, num);
		sp_buf_addc(&csv, ',');
		csv_field(&csv, id);
		sp_buf_addc(&csv, ',');
		csv_field(&csv, uri);
		sp_buf_addc(&csv, ',');
		csv_field(&csv, title);
		sp_buf_addc(&csv, ',');
		csv_field(&csv, artists);
		sp_buf_addc(&csv, ',');
		csv_field(&csv, album);
		sp_buf_addc(&csv, ',');
		if (dur >= 0)
			sp_buf_printf(&csv, "%ld", (long)dur);
		sp_buf_addc(&csv, ',');
		sp_buf_printf(&csv, "%.6f", jv_number_value(jv_object_get(jv_copy(rec), jv_string("score"))));
		sp_buf_addc(&csv, ',');
		csv_field(&csv, why);
		sp_buf_addc(&csv, '\n');
		free(why);
		jv_free(rec);
	}
	pl = jv_object();
	pl = jv_object_set(pl, jv_string("title"), jv_string(opt_name));
	pl = jv_object_set(pl, jv_string("creator"), jv_string("sp"));
	pl = jv_object_set(pl, jv_string("annotation"), jv_string(desc));
	{
		char when[40];

		snprintf(when, sizeof when, "%sT00:00:00Z", date);
		pl = jv_object_set(pl, jv_string("date"), jv_string(when));
	}
	if (pid != NULL) {
		struct sp_buf u = {0};

		sp_buf_printf(&u, "https://open.spotify.com/playlist/%s", pid);
		pl = jv_object_set(pl, jv_string("identifier"), jv_string(u.data));
		sp_buf_free(&u);
	}
	pl = jv_object_set(pl, jv_string("track"), tracks);
	dump = jv_dump_string(jv_object_set(jv_object(), jv_string("playlist"), pl), JV_PRINT_INDENT_FLAGS(2));
	sp_buf_adds(&js, jv_string_value(dump));
	sp_buf_addc(&js, '\n');
	jv_free(dump);
	write_file(opt_out, "jspf", &js);
	write_file(opt_out, "m3u", &m3u);
	write_file(opt_out, "csv", &csv);
	sp_buf_free(&js);
	sp_buf_free(&m3u);
	sp_buf_free(&csv);
}

/* list: the playlist on stdout, one track a line with its reason; '+'
 * marks a track added, ' ' one kept; then the removed ones with '-', and
 * those Spotify refused with '!'. */
static void
list(jv cur, jv want)
{
	int i, k = 0, n = jv_array_length(jv_copy(recs)), m = jv_array_length(jv_copy(cur));
	jv curset = jv_object(), wantset = jv_object();
	struct sp_buf b = {0};

	for (i = 0; i < m; i++)
		curset = jv_object_set(curset, jv_array_get(jv_copy(cur), i), jv_true());
	for (i = 0; i < jv_array_length(jv_copy(want)); i++)
		wantset = jv_object_set(wantset, jv_array_get(jv_copy(want), i), jv_true());
	for (i = 0; i < n; i++) {
		jv rec = jv_array_get(jv_copy(recs), i);
		const char *id = str_of(rec, "id");
		char uri[96], *why = reason(rec);

		snprintf(uri, sizeof uri, "spotify:track:%s", id);
		sp_buf_reset(&b);
		add_title(&b, id, 0);
		if (!jv_object_has(jv_copy(refused), jv_string(id)))
			printf("%3d %c %s\n      %s\n", ++k, jv_object_has(jv_copy(curset), jv_string(uri)) ? ' ' : '+',
			    b.data, why);
		free(why);
		jv_free(rec);
	}
	for (i = 0; i < m; i++) {
		jv u = jv_array_get(jv_copy(cur), i);
		const char *s = jv_string_value(u);

		if (!jv_object_has(jv_copy(wantset), jv_copy(u))) {
			sp_buf_reset(&b);
			add_title(&b, strncmp(s, "spotify:track:", 14) == 0 ? s + 14 : s, 0);
			printf("    - %s\n", b.data);
		}
		jv_free(u);
	}
	for (i = 0; i < n; i++) {
		jv rec = jv_array_get(jv_copy(recs), i);
		const char *id = str_of(rec, "id");

		if (jv_object_has(jv_copy(refused), jv_string(id))) {
			sp_buf_reset(&b);
			add_title(&b, id, 0);
			if (meta_str(id, "title") != NULL)
				sp_buf_printf(&b, " (%s)", id);
			printf("    ! %s: refused by Spotify\n", b.data);
		}
		jv_free(rec);
	}
	sp_buf_free(&b);
	jv_free(curset);
	jv_free(wantset);
}

/* Counts of the change from cur to want (URI arrays, borrowed). */
static void
diff_counts(jv cur, jv want, int *added, int *removed, int *kept)
{
	jv curset = jv_object(), wantset = jv_object();
	int i, n = jv_array_length(jv_copy(want)), m = jv_array_length(jv_copy(cur));

	*added = *removed = *kept = 0;
	for (i = 0; i < m; i++)
		curset = jv_object_set(curset, jv_array_get(jv_copy(cur), i), jv_true());
	for (i = 0; i < n; i++)
		wantset = jv_object_set(wantset, jv_array_get(jv_copy(want), i), jv_true());
	for (i = 0; i < n; i++) {
		if (jv_object_has(jv_copy(curset), jv_array_get(jv_copy(want), i)))
			(*kept)++;
		else
			(*added)++;
	}
	for (i = 0; i < m; i++)
		if (!jv_object_has(jv_copy(wantset), jv_array_get(jv_copy(cur), i)))
			(*removed)++;
	jv_free(curset);
	jv_free(wantset);
}

/* The description: date, method and counts of the tracks not refused.
 * It depends only on the recommendations (and on what Spotify refuses,
 * the same again), so a rerun with the same input leaves it unchanged. */
static char *
description(const char *date)
{
	struct sp_buf b = {0};
	jv reasons = jv_object();
	int i, nr, n = jv_array_length(jv_copy(recs));

	for (i = 0; i < jv_array_length(jv_copy(recs)); i++) {
		jv rec = jv_array_get(jv_copy(recs), i), bc = sp_jv_get(rec, "because");
		int j, m = jv_array_length(jv_copy(bc));

		if (jv_object_has(jv_copy(refused), jv_string(str_of(rec, "id"))))
			n--;
		else
			for (j = 0; j < m; j++)
				reasons = jv_object_set(reasons, jv_array_get(jv_copy(bc), j), jv_true());
		jv_free(bc);
		jv_free(rec);
	}
	nr = jv_object_length(jv_copy(reasons));
	sp_buf_printf(&b, "New releases for you, %s: %d %s picked by %s for %d %s you played. Made by sp.",
	    date, n, sp_plural(n, "track", "tracks"), opt_method, nr, sp_plural(nr, "track", "tracks"));
	jv_free(reasons);
	return sp_buf_detach(&b, NULL);
}

/* ------------------------------------------------------------ main */

/* The playlist to update, as found by --id, else by the id stored for
 * --name, else by name among the user's playlists; JV null when there is
 * none yet.  Dies when the playlist is neither the user's nor
 * collaborative. */
static jv
find_playlist(jv st, const char *me)
{
	jv pl = jv_null();

	if (opt_id != NULL) {
		pl = get_playlist(opt_id);
		if (jv_get_kind(pl) == JV_KIND_NULL)
			sp_die(SP_EXIT_DATA, "playlist '%s' not found", opt_id);
	} else {
		jv pls = sp_jv_get(st, "playlists");
		const char *sid = str_of(pls, opt_name);

		if (sid != NULL) {
			note("stored playlist id %s", sid);
			pl = get_playlist(sid);
			if (jv_get_kind(pl) == JV_KIND_NULL)
				sp_warn("the stored playlist %s is gone; looking for '%s' by name", sid, opt_name);
		}
		jv_free(pls);
		if (jv_get_kind(pl) == JV_KIND_NULL)
			pl = by_name(me);
	}
	if (jv_get_kind(pl) == JV_KIND_OBJECT && !writable(pl, me))
		sp_die(SP_EXIT_DATA, "playlist '%s' is not yours and not collaborative", str_of(pl, "id"));
	return pl;
}

/* Sets the playlist's description to DESC unless it already is. */
static void
set_description(const char *pid, jv pl, const char *desc)
{
	const char *d = str_of(pl, "description");
	struct sp_buf u = {0};
	jv out;

	if (d != NULL && strcmp(d, desc) == 0)
		return;
	sp_buf_printf(&u, "/playlists/%s", pid);
	if (api("PUT", u.data, jv_object_set(jv_object(), jv_string("description"), jv_string(desc)),
	    &out) != SP_HTTP_OK)
		sp_warn("could not set the description: %s", sp_http_error(H));
	jv_free(out);
	sp_buf_free(&u);
}

/* Reads the items back; a retried POST may have added a chunk twice:
 * replace once more, then give up.  Returns the URIs (consumed) as
 * written at last. */
static jv
verify_items(const char *pid, jv uris)
{
	int i;

	for (i = 0;; i++) {
		jv got = read_items(pid);
		int same = jv_equal(jv_copy(got), jv_copy(uris));

		if (same) {
			jv_free(got);
			return uris;
		}
		if (i == 1)
			sp_die(SP_EXIT_UPSTREAM, "playlist %s: the items read back differ from those written", pid);
		sp_warn("playlist %s: the items read back differ from those written; writing them again", pid);
		uris = replace_items(pid, uris, got);
		jv_free(got);
	}
}

/* The playlist URIs of the recommendations, in rank order. */
static jv
rec_uris(void)
{
	jv uris = jv_array();
	int i, n = jv_array_length(jv_copy(recs));

	for (i = 0; i < n; i++) {
		jv rec = jv_array_get(jv_copy(recs), i);
		char u[96];

		snprintf(u, sizeof u, "spotify:track:%s", str_of(rec, "id"));
		uris = jv_array_append(uris, jv_string(u));
		jv_free(rec);
	}
	return uris;
}

/*
 * Publishes URIS (consumed) to the user's playlist, creating it when
 * needed (or only says what it would do with --dry-run); the files are
 * written with DESC, the playlist's description says what was published.
 * Returns the exit status: SP_EXIT_DATA when Spotify refused a track.
 */
static int
publish(struct sp_auth *auth, jv want, jv uris, const char *desc, const char *date)
{
	char *spath, *pid = NULL, *me, *pdesc = NULL;
	jv u, pl, st, cur = jv_array();
	int n = jv_array_length(jv_copy(uris)), nref, added, removed, kept, created = 0, status = SP_EXIT_OK;

	/* The files first, so that whatever Spotify answers below (a failure
	 * ends the tool) the week's recommendations are on disk; they are
	 * written again at the end with the names fetched and the playlist. */
	write_files(desc, date, NULL);
	H = sp_http_new();
	sp_http_set_auth(H, auth);
	fetch_names(want);
	u = api_ok("GET", "/me", jv_invalid());
	if (str_of(u, "id") == NULL)
		sp_die(SP_EXIT_UPSTREAM, "GET /me: unexpected answer: no 'id'");
	me = sp_xstrdup(str_of(u, "id"));
	jv_free(u);

	spath = state_path();
	st = state_load(spath);
	pl = find_playlist(st, me);
	if (jv_get_kind(pl) == JV_KIND_OBJECT) {
		pid = sp_xstrdup(str_of(pl, "id"));
		note("playlist %s", pid);
		jv_free(cur);
		cur = read_items(pid);
	}

	if (opt_dry_run) {
		diff_counts(cur, uris, &added, &removed, &kept);
		write_files(desc, date, pid);
		printf("dry run: playlist '%s' (%s): %d %s; %d to add, %d to remove, %d kept\n",
		    opt_name, pid != NULL ? pid : "to be created", n, sp_plural(n, "track", "tracks"),
		    added, removed, kept);
		list(cur, uris);
		goto done;
	}

	if (pid == NULL) {
		jv body = jv_object();

		body = jv_object_set(body, jv_string("name"), jv_string(opt_name));
		body = jv_object_set(body, jv_string("description"), jv_string(desc));
		body = jv_object_set(body, jv_string("public"), opt_public ? jv_true() : jv_false());
		jv_free(pl);
		pl = api_ok("POST", "/me/playlists", body);
		if (str_of(pl, "id") == NULL)
			sp_die(SP_EXIT_UPSTREAM, "POST /me/playlists: unexpected answer: no 'id'");
		pid = sp_xstrdup(str_of(pl, "id"));
		created = 1;
		note("created playlist %s", pid);
	}
	/* Stored at once, so a failure below never leads to a second playlist. */
	state_save(spath, st, opt_name, pid);

	if (!jv_equal(jv_copy(cur), jv_copy(uris)))
		uris = replace_items(pid, uris, cur);
	else
		note("the items are already as wanted");
	write_files(desc, date, pid);
	nref = jv_object_length(jv_copy(refused));
	if (nref > 0)
		status = SP_EXIT_DATA;
	/* As for a week without recommendations, the playlist stays as it is. */
	if (n > 0 && jv_array_length(jv_copy(uris)) == 0) {
		sp_warn("Spotify refused every one of the %d %s; the playlist is kept as it is", n,
		    sp_plural(n, "track", "tracks"));
		printf("playlist '%s' (spotify:playlist:%s)%s: kept as it is; %d %s refused by Spotify\n",
		    opt_name, pid, created ? ", created" : "", nref, sp_plural(nref, "track", "tracks"));
		list(cur, uris);
		goto done;
	}
	pdesc = description(date);
	set_description(pid, pl, pdesc);
	uris = verify_items(pid, uris);
	n = jv_array_length(jv_copy(uris));
	diff_counts(cur, uris, &added, &removed, &kept);
	printf("playlist '%s' (spotify:playlist:%s)%s: %d %s; %d added, %d removed, %d kept",
	    opt_name, pid, created ? ", created" : "", n, sp_plural(n, "track", "tracks"), added,
	    removed, kept);
	if (nref > 0)
		printf("; %d refused by Spotify", nref);
	putchar('\n');
	list(cur, uris);
done:
	sp_http_free(H);
	H = NULL;
	jv_free(uris);
	jv_free(cur);
	jv_free(pl);
	jv_free(st);
	free(spath);
	free(pid);
	free(pdesc);
	free(me);
	return status;
}

/* Checks the options that getopt cannot; writes the playlist's date
 * (--date, else today) to DATE; exits with usage status on a bad one. */
static void
check_options(char *date, size_t size)
{
	int32_t d;

	if (*opt_name == '\0' || strlen(opt_name) > 100) {
		sp_warn("--name: 1 to 100 characters, got %zu", strlen(opt_name));
		exit(SP_EXIT_USAGE);
	}
	if (opt_id != NULL && !valid_id(opt_id)) {
		sp_warn("--id: not a Spotify playlist id: '%s'", opt_id);
		exit(SP_EXIT_USAGE);
	}
	d = sp_date_today();
	if (opt_date != NULL && sp_date_parse_day(opt_date, &d) != 0) {
		sp_warn("--date: not a date (YYYY-MM-DD): '%s'", opt_date);
		exit(SP_EXIT_USAGE);
	}
	sp_date_format(d, date, size);
}

/*
 * sp-publish [FILE]: reads recommendation NDJSON ({"user","rank",
 * "track_id","score","because":[{"track_id","similarity"}]}, rank order)
 * and publishes the tracks, in that order, as the listener's playlist:
 * found by the id stored in <state dir>/publish.json, or by name among
 * GET /me/playlists, or created (POST /me/playlists); its items replaced
 * (PUT the first 100 URIs, POST the rest) unless already equal, a track
 * Spotify refuses left out, its description set, and the items read back
 * and compared.  Whenever there are recommendations, writes them all as
 * PREFIX.jspf, PREFIX.m3u and PREFIX.csv (each track with its reason),
 * whatever Spotify answers, and lists the playlist with its reasons on
 * stdout.
 * Exit status: 0 ok; 1 bad input, no recommendations (without --allow-empty),
 * tracks refused by Spotify, not logged in, local I/O; 2 usage;
 * 3 the API failed, or the playlist read back differs.
 */
int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "allow-empty", no_argument, NULL, 'E' },
		{ "date", required_argument, NULL, 'D' },
		{ "dry-run", no_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ "id", required_argument, NULL, 'i' },
		{ "method", required_argument, NULL, 'm' },
		{ "name", required_argument, NULL, 'n' },
		{ "offline", no_argument, NULL, 'O' },
		{ "out", required_argument, NULL, 'o' },
		{ "public", no_argument, NULL, 'P' },
		{ "state", required_argument, NULL, 'S' },
		{ "tracks", required_argument, NULL, 't' },
		{ "user", required_argument, NULL, 'u' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct sp_auth auth = {0};
	const char *in;
	char date[16], *desc;
	jv want, uris;
	int c, n, status = SP_EXIT_OK;

	sp_init(argv[0]);
	while ((c = getopt_long(argc, argv, "dhi:m:n:o:t:u:v", longopts, NULL)) != -1) {
		switch (c) {
		case 'D': opt_date = optarg; break;
		case 'E': opt_allow_empty = 1; break;
		case 'd': opt_dry_run = 1; break;
		case 'h': usage(stdout, SP_EXIT_OK);
		case 'i': opt_id = optarg; break;
		case 'm': opt_method = optarg; break;
		case 'n': opt_name = optarg; break;
		case 'O': opt_offline = 1; break;
		case 'o': opt_out = optarg; break;
		case 'P': opt_public = 1; break;
		case 'S': opt_state = optarg; break;
		case 't': opt_tracks = optarg; break;
		case 'u': opt_user = optarg; break;
		case 'v': opt_verbose = 1; break;
		case 'V': sp_version();
		default: usage(stderr, SP_EXIT_USAGE);
		}
	}
	if (argc - optind > 1)
		usage(stderr, SP_EXIT_USAGE);
	check_options(date, sizeof date);
	in = optind < argc ? argv[optind] : NULL;

	meta = jv_object();
	known = jv_object();
	refused = jv_object();
	read_recs(in);
	want = wanted_ids();
	if (opt_tracks != NULL)
		read_tracks(opt_tracks, want);
	n = jv_array_length(jv_copy(recs));
	/* A quiet week, or a step that wrote nothing, never empties last
	 * week's playlist unless asked to. */
	if (n == 0 && !opt_allow_empty) {
		sp_warn("%s: no recommendations; the playlist is kept as it is (--allow-empty empties it)",
		    in != NULL ? in : "stdin");
		jv_free(want);
		jv_free(recs);
		jv_free(meta);
		jv_free(known);
		jv_free(refused);
		return SP_EXIT_DATA;
	}
	uris = rec_uris();
	desc = description(date);

	if (opt_offline) {
		jv none = jv_array();

		write_files(desc, date, NULL);
		printf("playlist '%s' (offline): %d %s; files %s.jspf, %s.m3u, %s.csv\n",
		    opt_name, n, sp_plural(n, "track", "tracks"), opt_out, opt_out, opt_out);
		list(none, uris);
		jv_free(none);
		jv_free(uris);
	} else {
		if (sp_auth_load(&auth) != 0) {
			/* Not logged in: the files still hold the week. */
			write_files(desc, date, NULL);
			sp_auth_free(&auth);
			return SP_EXIT_DATA;
		}
		status = publish(&auth, want, uris, desc, date);
		sp_auth_free(&auth);
	}
	jv_free(want);
	jv_free(recs);
	jv_free(meta);
	jv_free(known);
	jv_free(refused);
	free(desc);
	return status;
}
