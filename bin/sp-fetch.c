/* sp-fetch.c: fetches plays, liked tracks, playlist items, tracks, artists, albums and new releases as NDJSON. */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "auth.h"
#include "buf.h"
#include "config.h"
#include "diag.h"
#include "paths.h"
#include "http.h"
#include "jqprog.h"
#include "ndjson.h"
#include "opt.h"
#include "strtab.h"

static struct sp_http *H;
static const char *opt_cache, *opt_cursor, *opt_now;
static long opt_days = 7, opt_limit = 50, opt_max_pages = 1000;
static int opt_new_only;

static void __attribute__((noreturn))
usage(FILE *fp, int status)
{
	fputs("usage: sp-fetch [options] recently-played\n"
	    "       sp-fetch [options] saved\n"
	    "       sp-fetch [options] playlist ID\n"
	    "       sp-fetch [options] tracks|artists|albums <records\n"
	    "       sp-fetch [options] releases <artist-records\n"
	    "options:\n"
	    "  --cache DIR      tracks, artists, albums: the cache (default: <cache dir>/KIND)\n"
	    "  --cursor FILE    recently-played: the cursor file\n"
	    "                   (default: <state dir>/recently-played.cursor)\n"
	    "  --days N         releases: keep releases of the last N days (default 7)\n"
	    "  --limit N        playlist: the first page size (default 50)\n"
	    "  --max-pages N    follow at most N pages of one listing (default 1000)\n"
	    "  --new-only       tracks, artists, albums: skip ids already in the cache\n"
	    "  --now TIME       releases: the end of the window (YYYY-MM-DD[THH:MM:SSZ])\n"
	    "  -h, --help       this help\n"
	    "  --version        the version\n", fp);
	exit(status);
}

/* ------------------------------------------------------------ output */

static void
now_iso(char out[32])
{
	time_t t = time(NULL);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* A record: kind, source, fetched_at, [playlist_id, position], data. */
static jv
record(const char *kind, const char *source, jv data, const char *playlist_id, long position)
{
	char at[32];
	jv r = jv_object();

	now_iso(at);
	r = jv_object_set(r, jv_string("kind"), jv_string(kind));
	r = jv_object_set(r, jv_string("source"), jv_string(source));
	r = jv_object_set(r, jv_string("fetched_at"), jv_string(at));
	if (playlist_id != NULL) {
		r = jv_object_set(r, jv_string("playlist_id"), jv_string(playlist_id));
		r = jv_object_set(r, jv_string("position"), jv_number((double)position));
	}
	return jv_object_set(r, jv_string("data"), data);
}

static void
write_failed(void)
{
	if (errno == EPIPE)
		exit(SP_EXIT_OK);
	sp_die(SP_EXIT_DATA, "write error on stdout: %s", strerror(errno ? errno : EIO));
}

static void
emit(jv rec)
{
	if (sp_jv_write(stdout, rec) != 0)
		write_failed();
}

/* Flushes stdout; a failure is fatal (exit 1) and leaves state untouched. */
static void
flush_out(void)
{
	errno = 0;
	if (fflush(stdout) != 0 || ferror(stdout))
		write_failed();
}

/* ------------------------------------------------------------ requests */

/* GET url: SP_HTTP_OK or SP_HTTP_REFUSED; gives up (exit 3) otherwise. */
static int
get(const char *url, jv *out)
{
	int rc = sp_http_api(H, "GET", url, jv_invalid(), out);

	if (rc == SP_HTTP_FAILED)
		sp_http_die(H);
	return rc;
}

/* The array member key of o (borrowed), or dies with exit 3. */
static jv
want_array(jv o, const char *key, const char *url)
{
	jv a = sp_jv_get(o, key);

	if (jv_get_kind(a) != JV_KIND_ARRAY) {
		jv_free(a);
		sp_die(SP_EXIT_UPSTREAM, "GET %s: unexpected answer: no '%s' array", url, key);
	}
	return a;
}

/* ------------------------------------------------------------ id sets */

struct idset {
	char **ids;
	size_t n, cap;
	size_t *slot;		/* hash slots: index + 1, 0 = empty */
	size_t nslot;
};

static int
idset_add(struct idset *s, const char *id)
{
	size_t i, k;

	if (s->n * 2 >= s->nslot) {
		size_t ns = s->nslot ? s->nslot * 2 : 64;
		free(s->slot);
		s->slot = sp_xcalloc(ns, sizeof *s->slot);
		s->nslot = ns;
		for (k = 0; k < s->n; k++) {
			for (i = sp_str_hash(s->ids[k], strlen(s->ids[k])) & (ns - 1); s->slot[i]; i = (i + 1) & (ns - 1))
				;
			s->slot[i] = k + 1;
		}
	}
	for (i = sp_str_hash(id, strlen(id)) & (s->nslot - 1); s->slot[i]; i = (i + 1) & (s->nslot - 1))
		if (strcmp(s->ids[s->slot[i] - 1], id) == 0)
			return 0;
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 64;
		s->ids = sp_xreallocarray(s->ids, s->cap, sizeof *s->ids);
	}
	s->ids[s->n++] = sp_xstrdup(id);
	s->slot[i] = s->n;
	return 1;
}

static void
idset_free(struct idset *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		free(s->ids[i]);
	free(s->ids);
	free(s->slot);
	memset(s, 0, sizeof *s);
}

static int
valid_id(const char *s)
{
	size_t n = 0;

	for (; s[n] != '\0'; n++)
		if (!isalnum((unsigned char)s[n]))
			return 0;
	return n > 0 && n <= 64;
}

/*
 * Reads stdin: NDJSON records of any kind (or lines with a bare id or a
 * "spotify:TYPE:ID" URI) and adds the ids of type found by ids.jq to s.
 */
static void
read_ids(const char *type, struct idset *s)
{
	struct sp_lines r;
	struct sp_jq *q;
	char *line, *p;
	size_t len, i;
	jv v, ids;

	q = sp_jq_load("ids", jv_object_set(jv_object(), jv_string("type"), jv_string(type)));
	sp_lines_init(&r, stdin, "<stdin>");
	while ((line = sp_lines_next(&r, &len)) != NULL) {
		while (isspace((unsigned char)*line))
			line++;
		for (p = line + strlen(line); p > line && isspace((unsigned char)p[-1]);)
			*--p = '\0';
		if (*line == '\0')
			continue;
		if (*line == '{' || *line == '[' || *line == '"') {
			v = sp_jv_parse(line, strlen(line));
			if (!jv_is_valid(v)) {
				jv m = jv_invalid_get_msg(v);
				sp_die_at(SP_EXIT_DATA, r.name, r.lineno, "invalid JSON: %s",
				    jv_get_kind(m) == JV_KIND_STRING ? jv_string_value(m) : "?");
			}
		} else {
			v = jv_string(line);
		}
		ids = sp_jq_all(q, v);
		if (!jv_is_valid(ids)) {
			jv m = jv_invalid_get_msg(ids);
			sp_die_at(SP_EXIT_DATA, r.name, r.lineno, "ids.jq: %s",
			    jv_get_kind(m) == JV_KIND_STRING ? jv_string_value(m) : "error");
		}
		for (i = 0; i < (size_t)jv_array_length(jv_copy(ids)); i++) {
			jv id = jv_array_get(jv_copy(ids), (int)i);
			if (jv_get_kind(id) != JV_KIND_STRING || !valid_id(jv_string_value(id))) {
				jv d = jv_dump_string(id, 0);
				sp_die_at(SP_EXIT_DATA, r.name, r.lineno, "not a Spotify %s id: %s", type,
				    jv_string_value(d));
			}
			idset_add(s, jv_string_value(id));
			jv_free(id);
		}
		jv_free(ids);
	}
	sp_lines_close(&r);
	sp_jq_free(q);
}

/* ------------------------------------------------------------ recently-played */

static char *
cursor_path(void)
{
	char *dir, *p;

	if (opt_cursor != NULL)
		return sp_xstrdup(opt_cursor);
	dir = sp_conf_state_dir();
	p = sp_conf_join(dir, "recently-played.cursor");
	free(dir);
	return p;
}

/* The cursor (ms since the epoch) in path, or -1 when there is none. */
static long long
read_cursor(const char *path)
{
	char *text, *end;
	long long v;

	if ((text = sp_read_file(path, 4096, NULL)) == NULL) {
		if (errno == ENOENT)
			return -1;
		sp_die(SP_EXIT_DATA, "%s: %s", path, strerror(errno));
	}
	errno = 0;
	v = strtoll(text, &end, 10);
	while (isspace((unsigned char)*end))
		end++;
	if (errno != 0 || end == text || *end != '\0' || v < 0)
		sp_die(SP_EXIT_DATA, "%s: not a cursor (milliseconds since 1970)", path);
	free(text);
	return v;
}

/* "2026-11-27T12:00:00.123Z" -> ms since the epoch, or -1. */
static long long
iso_ms(const char *s)
{
	struct tm tm = {0};
	int ms = 0, n = 0;
	char frac[16] = "";

	if (sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
	    &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &n) != 6)
		return -1;
	s += n;
	if (*s == '.') {
		s++;
		for (n = 0; isdigit((unsigned char)s[n]) && n < 15; n++)
			frac[n] = s[n];
		frac[n] = '\0';
		s += n;
		while (strlen(frac) < 3)
			strcat(frac, "0");
		frac[3] = '\0';
		ms = atoi(frac);
	}
	if (strcmp(s, "Z") != 0 && strcmp(s, "+00:00") != 0)
		return -1;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	return (long long)timegm(&tm) * 1000 + ms;
}

static void
fetch_recently_played(void)
{
	char *path = cursor_path(), url[256], buf[32], *dir, *slash;
	long long cur = read_cursor(path), newest = -1, t;
	jv page, items, it, pa;
	int i, n;

	if (cur >= 0)
		snprintf(url, sizeof url, "/me/player/recently-played?limit=50&after=%lld", cur);
	else
		snprintf(url, sizeof url, "/me/player/recently-played?limit=50");
	if (get(url, &page) != SP_HTTP_OK)
		sp_http_die(H);
	items = want_array(page, "items", url);
	n = jv_array_length(jv_copy(items));
	if (n >= 50) {
		sp_warn("recently-played returned a full page of %d plays: plays may have been missed", n);
		sp_hint("Spotify keeps only the last 50 plays: run 'sp-fetch recently-played' at least hourly");
	}
	/* Oldest first, so that the output reads in time order. */
	for (i = n - 1; i >= 0; i--) {
		it = jv_array_get(jv_copy(items), i);
		pa = sp_jv_get(it, "played_at");
		if (jv_get_kind(pa) != JV_KIND_STRING || (t = iso_ms(jv_string_value(pa))) < 0) {
			jv_free(pa);
			jv_free(it);
			sp_die(SP_EXIT_UPSTREAM, "GET %s: item %d: no valid 'played_at'", url, i);
		}
		jv_free(pa);
		if (t > newest)
			newest = t;
		emit(record("play", "recently-played", it, NULL, 0));
	}
	jv_free(items);
	jv_free(page);
	/* The cursor moves only once every play is out of our hands. */
	flush_out();
	if (fsync(STDOUT_FILENO) != 0 && errno != EINVAL && errno != EROFS && errno != EBADF)
		sp_die(SP_EXIT_DATA, "stdout: fsync: %s", strerror(errno));
	if (newest > cur) {
		dir = sp_xstrdup(path);
		if ((slash = strrchr(dir, '/')) != NULL && slash != dir) {
			*slash = '\0';
			if (sp_mkdirs(dir, 0755) != 0)
				sp_die(SP_EXIT_DATA, "%s: %s", dir, strerror(errno));
		}
		free(dir);
		n = snprintf(buf, sizeof buf, "%lld\n", newest);
		if (sp_conf_write_atomic(path, buf, (size_t)n, 0644) != 0)
			sp_die(SP_EXIT_DATA, "%s: %s", path, strerror(errno));
	}
	free(path);
}

/* ------------------------------------------------------------ saved, playlist */

/*
 * Writes a record per element of the page's "items" (a playlist's carry
 * its id and position, from offset on) and flushes them.  Returns how many.
 */
static int
emit_items(jv page, const char *url, const char *kind, const char *source,
    const char *playlist_id, long offset)
{
	jv items = want_array(page, "items", url);
	int i, n = jv_array_length(jv_copy(items));

	for (i = 0; i < n; i++)
		emit(record(kind, source, jv_array_get(jv_copy(items), i), playlist_id, offset + i));
	flush_out();
	jv_free(items);
	return n;
}

static void
fetch_saved(void)
{
	char *url = sp_xstrdup("/me/tracks?limit=50"), *next;
	long pages;
	jv page;

	for (pages = 0; url != NULL; pages++) {
		if (pages == opt_max_pages) {
			sp_warn("saved: stopped after %ld pages (--max-pages)", pages);
			break;
		}
		if (get(url, &page) != SP_HTTP_OK)
			sp_http_die(H);
		emit_items(page, url, "saved_track", "saved", NULL, 0);
		next = sp_http_next(page);
		jv_free(page);
		free(url);
		url = next;
	}
	free(url);
}

/* The id of "ID", "spotify:playlist:ID" or "https://open.spotify.com/playlist/ID?si=..". */
static char *
playlist_id(const char *arg)
{
	const char *p = arg, *s;
	char *id;
	size_t n;

	if (strncmp(p, "spotify:playlist:", 17) == 0)
		p += 17;
	else if ((s = strstr(p, "/playlist/")) != NULL)
		p = s + 10;
	n = strcspn(p, "?#/");
	id = memcpy(sp_xcalloc(1, n + 1), p, n);
	if (!valid_id(id)) {
		sp_warn("not a playlist id: '%s'", arg);
		usage(stderr, SP_EXIT_USAGE);
	}
	return id;
}

static void
fetch_playlist(const char *arg)
{
	char *id = playlist_id(arg), *url, *next;
	struct sp_buf u = {0};
	long limit = opt_limit, offset = 0, pages;
	jv page;
	int rc;

	sp_buf_printf(&u, "/playlists/%s/items?limit=%ld&offset=0", id, limit);
	url = sp_buf_detach(&u, NULL);
	for (pages = 0; url != NULL;) {
		if (pages == opt_max_pages) {
			sp_warn("playlist '%s': stopped after %ld pages (--max-pages)", id, pages);
			break;
		}
		rc = get(url, &page);
		if (rc == SP_HTTP_REFUSED) {
			long st = sp_http_status(H);
			jv_free(page);
			/* Some accounts take 100, others 50: halve on "Invalid limit". */
			if (st == 400 && strstr(sp_http_error(H), "Invalid limit") != NULL && limit > 1) {
				limit /= 2;
				free(url);
				sp_buf_printf(&u, "/playlists/%s/items?limit=%ld&offset=%ld", id, limit, offset);
				url = sp_buf_detach(&u, NULL);
				continue;
			}
			if (st == 403)
				sp_hint("items are only readable for playlists you own or collaborate on");
			free(url);
			free(id);
			sp_http_die(H);
		}
		offset += emit_items(page, url, "playlist_item", "playlist", id, offset);
		next = sp_http_next(page);
		jv_free(page);
		free(url);
		url = next;
		pages++;
	}
	free(url);
	free(id);
}

/* ------------------------------------------------------------ tracks, artists, albums */

struct entity {
	const char *kind;	/* "tracks", "artists" or "albums": the path and the batch key */
	const char *type;	/* "track", "artist" or "album": ids.jq's type, the record kind */
	int batch_max;		/* ids a batch call takes */
	char *cache;
	int cache_warned;
};

static char *
cache_file(struct entity *e, const char *id)
{
	struct sp_buf b = {0};

	sp_buf_printf(&b, "%s/%s.json", e->cache, id);
	return sp_buf_detach(&b, NULL);
}

/* Emits the cached record of id; returns 0 when there is none (or it is bad). */
static int
emit_cached(struct entity *e, const char *id)
{
	char *path = cache_file(e, id), *text;
	size_t len;
	jv v;

	text = sp_read_file(path, 64u << 20, &len);
	free(path);
	if (text == NULL)
		return 0;
	v = sp_jv_parse(text, len);
	free(text);
	if (jv_get_kind(v) != JV_KIND_OBJECT) {
		jv_free(v);
		return 0;
	}
	if (opt_new_only)
		jv_free(v);
	else
		emit(v);
	return 1;
}

/* Emits a freshly fetched object and stores its record in the cache. */
static void
emit_fetched(struct entity *e, const char *id, jv data)
{
	jv rec = record(e->type, e->kind, data, NULL, 0), s;
	struct sp_buf b = {0};
	char *path;

	s = jv_dump_string(jv_copy(rec), 0);
	emit(rec);
	sp_buf_printf(&b, "%s\n", jv_string_value(s));
	jv_free(s);
	path = cache_file(e, id);
	if ((sp_mkdirs(e->cache, 0755) != 0 ||
	    sp_conf_write_atomic(path, b.data, b.len, 0644) != 0) && !e->cache_warned) {
		sp_warn("%s: %s", e->cache, strerror(errno));
		e->cache_warned = 1;
	}
	free(path);
	sp_buf_free(&b);
}

static void
fetch_entities(const char *kind)
{
	/* Batch sizes of the (2024) batch endpoints, where they still answer. */
	struct entity e = { kind, strcmp(kind, "tracks") == 0 ? "track" :
	    strcmp(kind, "artists") == 0 ? "artist" : "album",
	    strcmp(kind, "albums") == 0 ? 20 : 50, NULL, 0 };
	struct idset ids = {0};
	char **pending, *dir;
	size_t np = 0, i, j, k;
	struct sp_buf u = {0};
	jv out, arr, el;
	int batch = 1, rc;

	if (opt_cache != NULL) {
		e.cache = sp_xstrdup(opt_cache);
	} else {
		dir = sp_conf_cache_dir();
		e.cache = sp_conf_join(dir, kind);
		free(dir);
	}
	read_ids(e.type, &ids);
	pending = sp_xcalloc(ids.n, sizeof *pending);
	for (i = 0; i < ids.n; i++)
		if (!emit_cached(&e, ids.ids[i]))
			pending[np++] = ids.ids[i];
	flush_out();
	/* The batch endpoint first; Development-Mode apps get 403 (or 404). */
	for (i = 0; i < np && batch; i += k) {
		k = np - i < (size_t)e.batch_max ? np - i : (size_t)e.batch_max;
		sp_buf_reset(&u);
		sp_buf_printf(&u, "/%s?ids=", kind);
		for (j = 0; j < k; j++)
			sp_buf_printf(&u, "%s%s", j ? "," : "", pending[i + j]);
		rc = get(u.data, &out);
		if (rc == SP_HTTP_REFUSED) {
			jv_free(out);
			batch = 0;
			k = 0;
			break;
		}
		arr = want_array(out, kind, u.data);
		for (j = 0; j < k; j++) {
			el = jv_array_get(jv_copy(arr), (int)j);
			if (jv_get_kind(el) == JV_KIND_OBJECT) {
				emit_fetched(&e, pending[i + j], el);
			} else {
				jv_free(el);
				sp_warn("%s '%s': not found", e.type, pending[i + j]);
			}
		}
		jv_free(arr);
		jv_free(out);
		flush_out();
	}
	for (; i < np; i++) {
		sp_buf_reset(&u);
		sp_buf_printf(&u, "/%s/%s", kind, pending[i]);
		rc = get(u.data, &out);
		if (rc == SP_HTTP_REFUSED) {
			jv_free(out);
			sp_warn("%s '%s': %s", e.type, pending[i], sp_http_error(H));
			continue;
		}
		emit_fetched(&e, pending[i], out);
		flush_out();
	}
	sp_buf_free(&u);
	free(pending);
	free(e.cache);
	idset_free(&ids);
}

/* ------------------------------------------------------------ releases */

/* --now as seconds since the epoch. */
static time_t
parse_now(const char *s)
{
	struct tm tm = {0};
	long long ms;

	if (s == NULL)
		return time(NULL);
	if (strlen(s) == 10 && sscanf(s, "%4d-%2d-%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday) == 3) {
		tm.tm_year -= 1900;
		tm.tm_mon -= 1;
		return timegm(&tm);
	}
	if ((ms = iso_ms(s)) < 0) {
		sp_warn("--now: not a UTC time (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ): '%s'", s);
		usage(stderr, SP_EXIT_USAGE);
	}
	return (time_t)(ms / 1000);
}

struct albums {
	struct idset ids;
	const char **source;	/* per id: "releases" or "search" */
	size_t cap;
};

static void
keep_album(struct albums *a, struct sp_jq *win, jv album, const char *source)
{
	jv kept = sp_jq_all(win, jv_copy(album)), id;

	if (!jv_is_valid(kept)) {
		jv m = jv_invalid_get_msg(kept);
		sp_die(SP_EXIT_DATA, "release-window.jq: %s",
		    jv_get_kind(m) == JV_KIND_STRING ? jv_string_value(m) : "error");
	}
	id = sp_jv_get(album, "id");
	if (jv_array_length(kept) > 0 && jv_get_kind(id) == JV_KIND_STRING &&
	    valid_id(jv_string_value(id)) && idset_add(&a->ids, jv_string_value(id))) {
		if (a->ids.n > a->cap) {
			a->cap = a->ids.cap;
			a->source = sp_xreallocarray(a->source, a->cap, sizeof *a->source);
		}
		a->source[a->ids.n - 1] = source;
	}
	jv_free(id);
	jv_free(album);
}

/* Follows a listing from url; key names the paging object in each answer
 * (NULL: the answer is one).  Keeps the albums inside the window. */
static void
sweep(struct albums *a, struct sp_jq *win, char *url, const char *key, const char *source)
{
	long pages;
	char *next;
	jv out, page, items;
	int i, n;

	for (pages = 0; url != NULL; pages++) {
		if (pages == opt_max_pages) {
			sp_warn("%s: stopped after %ld pages (--max-pages)", url, pages);
			break;
		}
		if (get(url, &out) == SP_HTTP_REFUSED) {
			jv_free(out);
			sp_warn("%s", sp_http_error(H));
			break;
		}
		page = key != NULL ? sp_jv_get(out, key) : jv_copy(out);
		items = want_array(page, "items", url);
		n = jv_array_length(jv_copy(items));
		for (i = 0; i < n; i++)
			keep_album(a, win, jv_array_get(jv_copy(items), i), source);
		next = sp_http_next(page);
		jv_free(items);
		jv_free(page);
		jv_free(out);
		free(url);
		url = next;
	}
	free(url);
}

static void
emit_album(struct sp_jq *attach, const char *id, const char *source)
{
	struct sp_buf u = {0};
	char *url, *next;
	jv album, page, items, t, out;
	long pages;
	int i, n, j, m;

	sp_buf_printf(&u, "/albums/%s", id);
	if (get(u.data, &album) == SP_HTTP_REFUSED) {
		jv_free(album);
		sp_warn("album '%s': %s", id, sp_http_error(H));
		sp_buf_free(&u);
		return;
	}
	sp_buf_free(&u);
	emit(record("album", source, jv_copy(album), NULL, 0));
	page = sp_jv_get(album, "tracks");
	url = NULL;
	for (pages = 0;; pages++) {
		items = want_array(page, "items", id);
		n = jv_array_length(jv_copy(items));
		for (i = 0; i < n; i++) {
			t = jv_object_set(jv_object(), jv_string("album"), jv_copy(album));
			t = jv_object_set(t, jv_string("track"), jv_array_get(jv_copy(items), i));
			out = sp_jq_all(attach, t);
			if (!jv_is_valid(out)) {
				jv msg = jv_invalid_get_msg(out);
				sp_die(SP_EXIT_DATA, "track-with-album.jq: %s",
				    jv_get_kind(msg) == JV_KIND_STRING ? jv_string_value(msg) : "error");
			}
			m = jv_array_length(jv_copy(out));
			for (j = 0; j < m; j++)
				emit(record("track", source, jv_array_get(jv_copy(out), j), NULL, 0));
			jv_free(out);
		}
		jv_free(items);
		next = sp_http_next(page);
		jv_free(page);
		free(url);
		url = next;
		if (url == NULL)
			break;
		if (pages + 1 == opt_max_pages) {
			sp_warn("album '%s': stopped after %ld pages of tracks (--max-pages)", id, pages + 1);
			break;
		}
		if (get(url, &page) == SP_HTTP_REFUSED) {
			jv_free(page);
			sp_warn("album '%s': %s", id, sp_http_error(H));
			break;
		}
	}
	free(url);
	jv_free(album);
	flush_out();
}

static void
fetch_releases(void)
{
	time_t now = parse_now(opt_now), since_t = now - (time_t)opt_days * 86400;
	char since[16], until[16];
	struct albums a = {0};
	struct idset artists = {0};
	struct sp_buf u = {0};
	struct sp_jq *win, *attach;
	struct tm tm;
	size_t i;

	gmtime_r(&since_t, &tm);
	strftime(since, sizeof since, "%Y-%m-%d", &tm);
	gmtime_r(&now, &tm);
	strftime(until, sizeof until, "%Y-%m-%d", &tm);
	win = sp_jq_load("release-window", jv_object_set(jv_object_set(jv_object(),
	    jv_string("since"), jv_string(since)), jv_string("until"), jv_string(until)));
	attach = sp_jq_load("track-with-album", jv_object());
	read_ids("artist", &artists);
	for (i = 0; i < artists.n; i++) {
		sp_buf_reset(&u);
		sp_buf_printf(&u, "/artists/%s/albums?include_groups=album,single&limit=10", artists.ids[i]);
		sweep(&a, win, sp_buf_detach(&u, NULL), NULL, "releases");
	}
	sweep(&a, win, sp_xstrdup("/search?q=tag%3Anew&type=album&limit=10"), "albums", "search");
	for (i = 0; i < a.ids.n; i++)
		emit_album(attach, a.ids.ids[i], a.source[i]);
	sp_buf_free(&u);
	free(a.source);
	idset_free(&a.ids);
	idset_free(&artists);
	sp_jq_free(win);
	sp_jq_free(attach);
}

/* ------------------------------------------------------------ main */

/*
 * sp-fetch RESOURCE: calls the Spotify Web API (SP_API_BASE) with the
 * tokens of 'sp-auth login' and writes NDJSON records
 * {"kind","source","fetched_at","data"} to stdout, data being the raw
 * Spotify object: plays (recently-played, after the cursor in the state
 * dir, which advances only once the output is flushed), saved tracks,
 * playlist items (with playlist_id and position), artists and albums named
 * by the records on stdin (each fetched once, cached), and new releases of
 * the artists on stdin plus search tag:new, with their tracks.
 * Exit status: 0 ok; 1 bad input or local I/O (not logged in, a write
 * error); 2 usage; 3 the API failed (what was fetched before is written).
 */
int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "cache", required_argument, NULL, 'C' },
		{ "cursor", required_argument, NULL, 'c' },
		{ "days", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ "limit", required_argument, NULL, 'l' },
		{ "max-pages", required_argument, NULL, 'm' },
		{ "new-only", no_argument, NULL, 'n' },
		{ "now", required_argument, NULL, 'N' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct sp_auth auth;
	const char *res;
	int c, nargs;

	sp_init(argv[0]);
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 'C': opt_cache = optarg; break;
		case 'c': opt_cursor = optarg; break;
		case 'd': opt_days = sp_opt_long("--days", optarg, 0, 3650, usage); break;
		case 'h': usage(stdout, SP_EXIT_OK);
		case 'l': opt_limit = sp_opt_long("--limit", optarg, 1, 100, usage); break;
		case 'm': opt_max_pages = sp_opt_long("--max-pages", optarg, 1, 1000000, usage); break;
		case 'n': opt_new_only = 1; break;
		case 'N': opt_now = optarg; break;
		case 'V': sp_version();
		default: usage(stderr, SP_EXIT_USAGE);
		}
	}
	if (optind >= argc) {
		usage(stderr, SP_EXIT_USAGE);
	}
	res = argv[optind];
	nargs = argc - optind - 1;
	if (strcmp(res, "playlist") == 0 ? nargs != 1 :
	    (strcmp(res, "recently-played") != 0 && strcmp(res, "saved") != 0 &&
	    strcmp(res, "tracks") != 0 && strcmp(res, "artists") != 0 && strcmp(res, "albums") != 0 &&
	    strcmp(res, "releases") != 0) || nargs != 0) {
		usage(stderr, SP_EXIT_USAGE);
	}
	if (opt_now != NULL)
		(void)parse_now(opt_now);
	if (sp_auth_load(&auth) != 0)
		return SP_EXIT_DATA;
	H = sp_http_new();
	sp_http_set_auth(H, &auth);
	if (strcmp(res, "recently-played") == 0)
		fetch_recently_played();
	else if (strcmp(res, "saved") == 0)
		fetch_saved();
	else if (strcmp(res, "playlist") == 0)
		fetch_playlist(argv[optind + 1]);
	else if (strcmp(res, "releases") == 0)
		fetch_releases();
	else
		fetch_entities(res);
	sp_http_free(H);
	sp_auth_free(&auth);
	return SP_EXIT_OK;
}
