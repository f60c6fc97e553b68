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
#include "dates.h"
#include "diag.h"
#include "paths.h"
#include "http.h"
#include "jqprog.h"
#include "ndjson.h"
#include "opt.h"
#include "progress.h"
#include "strtab.h"

static struct sp_http *H;
static const char *opt_cache, *opt_cursor, *opt_now, *opt_sweep_state;
static long opt_days = 7, opt_limit = 50, opt_max_pages = 1000;
static long opt_search_pages = 10, opt_search_albums = 50, opt_budget = -1;
static int opt_new_only, opt_quiet;
/* How long steps show their progress (sp_progress_mode). */
static int progress_mode;
static long opt_max_searches = 200;
/* Set when the request budget stopped a fetch short: exit 0, with a note. */
static int budget_stop;

static void __attribute__((noreturn))
usage(FILE *fp, int status)
{
	fputs("usage: sp-fetch [options] recently-played\n"
	    "       sp-fetch [options] saved\n"
	    "       sp-fetch [options] playlist ID\n"
	    "       sp-fetch [options] tracks|artists|albums <records\n"
	    "       sp-fetch [options] releases <artist-records\n"
	    "       sp-fetch [options] search-tracks <name-pairs\n"
	    "options:\n"
	    "  --budget N       make at most N API requests (default: SP_REQUEST_BUDGET or 1500)\n"
	    "  --cache DIR      tracks, artists, albums: the cache (default: <cache dir>/KIND)\n"
	    "  --cursor FILE    recently-played: the cursor file\n"
	    "                   (default: <state dir>/recently-played.cursor)\n"
	    "  --days N         releases: keep releases of the last N days (default 7)\n"
	    "  --limit N        playlist: the first page size (default 50)\n"
	    "  --max-pages N    follow at most N pages of one listing (default 1000)\n"
	    "  --max-searches N search-tracks: at most N searches a run (default 200)\n"
	    "  --new-only       tracks, artists, albums: skip ids already in the cache\n"
	    "  --now TIME       releases: the end of the window (YYYY-MM-DD[THH:MM:SSZ])\n"
	    "  -q, --quiet      no progress line nor summary of the ids, artists or\n"
	    "                   pairs done (warnings and errors still)\n"
	    "  --search-albums N  releases: keep at most N albums of search tag:new (default 50)\n"
	    "  --search-pages N releases: read at most N pages of search tag:new (default 10)\n"
	    "  --sweep-state FILE  releases: where an unfinished sweep resumes\n"
	    "                   (default: <state dir>/releases.sweep)\n"
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

/*
 * GET url: SP_HTTP_OK or SP_HTTP_REFUSED; gives up (exit 3) otherwise,
 * except when the request budget is spent: then SP_HTTP_FAILED, for the
 * caller to stop where a next run can go on.
 */
static int
get(const char *url, jv *out)
{
	int rc = sp_http_api(H, "GET", url, jv_invalid(), out);

	if (rc == SP_HTTP_FAILED && !sp_http_budget_spent(H))
		sp_http_die(H);
	return rc;
}

/*
 * A fetch that cannot go on: exit 3, except when the request budget is
 * spent: then what was written is kept and the tool exits 0 with a note,
 * for the next run to fetch again what is missing.
 */
static void __attribute__((noreturn))
give_up(const char *what)
{
	if (sp_http_budget_spent(H)) {
		sp_warn("%s", sp_http_error(H));
		sp_warn("%s: stopped by the request budget; the next run fetches it", what);
		exit(SP_EXIT_OK);
	}
	sp_http_die(H);
}

/* GET url for a fetch that cannot stop part-way: any failure ends it. */
static int
get_or_die(const char *url, jv *out, const char *what)
{
	int rc = get(url, out);

	if (rc == SP_HTTP_FAILED)
		give_up(what);
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
	size_t *hits;		/* per id: how many times it was added */
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
		if (strcmp(s->ids[s->slot[i] - 1], id) == 0) {
			s->hits[s->slot[i] - 1]++;
			return 0;
		}
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 64;
		s->ids = sp_xreallocarray(s->ids, s->cap, sizeof *s->ids);
		s->hits = sp_xreallocarray(s->hits, s->cap, sizeof *s->hits);
	}
	s->hits[s->n] = 1;
	s->ids[s->n++] = sp_xstrdup(id);
	s->slot[i] = s->n;
	return 1;
}

/* Whether id is in s. */
static int
idset_has(const struct idset *s, const char *id)
{
	size_t i;

	if (s->nslot == 0)
		return 0;
	for (i = sp_str_hash(id, strlen(id)) & (s->nslot - 1); s->slot[i]; i = (i + 1) & (s->nslot - 1))
		if (strcmp(s->ids[s->slot[i] - 1], id) == 0)
			return 1;
	return 0;
}

static void
idset_free(struct idset *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		free(s->ids[i]);
	free(s->ids);
	free(s->hits);
	free(s->slot);
	memset(s, 0, sizeof *s);
}

/* A Spotify id: 22 base-62 characters. */
static int
valid_id(const char *s)
{
	size_t n = 0;

	for (; s[n] != '\0'; n++)
		if (!isalnum((unsigned char)s[n]))
			return 0;
	return n == 22;
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
			/* One bad id is reported and skipped: the others are still fetched. */
			if (jv_get_kind(id) != JV_KIND_STRING || !valid_id(jv_string_value(id))) {
				jv d = jv_dump_string(id, 0);
				sp_warn_at(r.name, r.lineno, "not a Spotify %s id, skipped: %s", type,
				    jv_string_value(d));
				jv_free(d);
				continue;
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

/* An RFC 3339 time ("2026-11-27T12:00:00.123Z") -> ms since the epoch, or -1. */
static long long
iso_ms(const char *s)
{
	int64_t us;

	if (sp_time_parse(s, strlen(s), &us) != 0 || us < 0)
		return -1;
	return (long long)(us / 1000);
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
		give_up("recently-played");
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
			give_up("saved");
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
		rc = get_or_die(url, &page, "playlist");
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
	size_t gone, gone_before;	/* not found now; not found in the last GONE_DAYS */
};

/*
 * An id Spotify answers 404 for (a track removed or relinked since the
 * export) is remembered in the cache (ID.gone) and not asked again for
 * GONE_DAYS: each run would spend a request of its budget on it.
 */
#define GONE_DAYS 30
#define GONE_NAMED 5	/* not-found ids named one by one, then counted */

static char *
cache_file_ext(struct entity *e, const char *id, const char *ext)
{
	struct sp_buf b = {0};

	sp_buf_printf(&b, "%s/%s.%s", e->cache, id, ext);
	return sp_buf_detach(&b, NULL);
}

static char *
cache_file(struct entity *e, const char *id)
{
	return cache_file_ext(e, id, "json");
}

/* Whether id was not found in the last GONE_DAYS. */
static int
gone_recently(struct entity *e, const char *id)
{
	char *path = cache_file_ext(e, id, "gone");
	struct stat st;
	int r = stat(path, &st) == 0 && time(NULL) - st.st_mtime < (time_t)GONE_DAYS * 86400;

	free(path);
	return r;
}

/* Says that id was not found (the first few by name), and remembers it. */
static void
gone(struct entity *e, const char *id, const char *why)
{
	char *path = cache_file_ext(e, id, "gone");

	if (e->gone++ < GONE_NAMED)
		sp_warn("%s '%s': %s", e->type, id, why);
	if ((sp_mkdirs(e->cache, 0755) != 0 || sp_conf_write_atomic(path, "", 0, 0644) != 0) &&
	    !e->cache_warned) {
		sp_warn("%s: %s", e->cache, strerror(errno));
		e->cache_warned = 1;
	}
	free(path);
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

/* Stores rec (borrowed) as id's record in the cache. */
static void
cache_put(struct entity *e, const char *id, jv rec)
{
	struct sp_buf b = {0};
	char *path;
	jv s;

	s = jv_dump_string(jv_copy(rec), 0);
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

/* Emits a freshly fetched object and stores its record in the cache. */
static void
emit_fetched(struct entity *e, const char *id, jv data)
{
	jv rec = record(e->type, e->kind, data, NULL, 0);

	cache_put(e, id, rec);
	emit(rec);
}

/* Says how many ids the request budget left for the next run. */
static void
budget_left(const char *what, size_t left, size_t total)
{
	budget_stop = 1;
	sp_warn("%s", sp_http_error(H));
	sp_warn("%s: %zu of %zu left for the next run", what, left, total);
}

static void
fetch_entities(const char *kind)
{
	/* Batch sizes of the (2024) batch endpoints, where they still answer. */
	struct entity e = { kind, strcmp(kind, "tracks") == 0 ? "track" :
	    strcmp(kind, "artists") == 0 ? "artist" : "album",
	    strcmp(kind, "albums") == 0 ? 20 : 50, NULL, 0, 0, 0 };
	struct idset ids = {0};
	char **pending, *dir;
	size_t np = 0, i, j, k, cached;
	struct sp_buf u = {0};
	struct sp_progress pg;
	char label[64];
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
	snprintf(label, sizeof label, "fetch %s", kind);
	sp_progress_start(&pg, progress_mode, label, ids.n, NULL);
	pending = sp_xcalloc(ids.n, sizeof *pending);
	for (i = 0; i < ids.n; i++) {
		if (emit_cached(&e, ids.ids[i]))
			continue;
		if (gone_recently(&e, ids.ids[i]))
			e.gone_before++;
		else
			pending[np++] = ids.ids[i];
	}
	flush_out();
	cached = ids.n - np;
	sp_progress_step(&pg, cached);
	/* The batch endpoint first; Development-Mode apps get 403 (or 404). */
	for (i = 0; i < np && batch; i += k) {
		k = np - i < (size_t)e.batch_max ? np - i : (size_t)e.batch_max;
		sp_buf_reset(&u);
		sp_buf_printf(&u, "/%s?ids=", kind);
		for (j = 0; j < k; j++)
			sp_buf_printf(&u, "%s%s", j ? "," : "", pending[i + j]);
		rc = get(u.data, &out);
		if (rc == SP_HTTP_FAILED) {
			budget_left(kind, np - i, ids.n);
			np = i;
			break;
		}
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
				gone(&e, pending[i + j], "not found");
			}
		}
		jv_free(arr);
		jv_free(out);
		flush_out();
		sp_progress_step(&pg, k);
	}
	for (; i < np; i++) {
		sp_buf_reset(&u);
		sp_buf_printf(&u, "/%s/%s", kind, pending[i]);
		rc = get(u.data, &out);
		if (rc == SP_HTTP_FAILED) {
			budget_left(kind, np - i, ids.n);
			break;
		}
		sp_progress_step(&pg, 1);
		if (rc == SP_HTTP_REFUSED) {
			jv_free(out);
			if (sp_http_status(H) == 404)
				gone(&e, pending[i], sp_http_error(H));
			else
				sp_warn("%s '%s': %s", e.type, pending[i], sp_http_error(H));
			continue;
		}
		emit_fetched(&e, pending[i], out);
		flush_out();
	}
	if (e.gone > GONE_NAMED)
		sp_warn("%s: %zu more not found", kind, e.gone - GONE_NAMED);
	if (e.gone > 0)
		sp_warn("%s: %zu not found on Spotify (removed or relinked since): not asked again "
		    "for %d days", kind, e.gone, GONE_DAYS);
	if (e.gone_before > 0)
		sp_progress_end(&pg, "%s: %zu of %zu done (%zu from the cache, %zu not found in "
		    "the last %d days and not asked)", kind, pg.done, ids.n, cached - e.gone_before,
		    e.gone_before, GONE_DAYS);
	else
		sp_progress_end(&pg, "%s: %zu of %zu done (%zu from the cache)", kind, pg.done,
		    ids.n, cached);
	sp_buf_free(&u);
	free(pending);
	free(e.cache);
	idset_free(&ids);
}

/* ------------------------------------------------------------ search-tracks */

/* Whether a and b are equal, ignoring ASCII case. */
static int
same_name(const char *a, const char *b)
{
	return a != NULL && b != NULL && strcasecmp(a, b) == 0;
}

/* s (borrowed, may be invalid) as a C string, or NULL. */
static const char *
jstr(jv s)
{
	return jv_get_kind(s) == JV_KIND_STRING ? jv_string_value(s) : NULL;
}

/*
 * The first track of items (borrowed) named track by an artist named
 * artist (both ignoring ASCII case), or jv_null(): a search answers near
 * matches too ("Song - Remastered", a cover), which are not the play's.
 */
static jv
matching_track(jv items, const char *track, const char *artist)
{
	int i, j, n = jv_get_kind(items) == JV_KIND_ARRAY ? jv_array_length(jv_copy(items)) : 0;

	for (i = 0; i < n; i++) {
		jv t = jv_array_get(jv_copy(items), i), name = sp_jv_get(t, "name");
		jv artists = sp_jv_get(t, "artists");
		int m = jv_get_kind(artists) == JV_KIND_ARRAY ? jv_array_length(jv_copy(artists)) : 0, hit = 0;

		if (jv_get_kind(t) == JV_KIND_OBJECT && same_name(jstr(name), track))
			for (j = 0; j < m && !hit; j++) {
				jv a = jv_array_get(jv_copy(artists), j), an = sp_jv_get(a, "name");

				hit = same_name(jstr(an), artist);
				jv_free(an);
				jv_free(a);
			}
		jv_free(name);
		jv_free(artists);
		if (hit)
			return t;
		jv_free(t);
	}
	return jv_null();
}

/* name without double quotes, which would end the field's phrase. */
static char *
unquoted(const char *name)
{
	char *s = sp_xstrdup(name), *p, *q;

	for (p = q = s; *p; p++)
		if (*p != '"')
			*q++ = *p;
	*q = '\0';
	return s;
}

/*
 * search-tracks: stdin holds name pairs {"track_name","artist_name"} (an
 * account-data play names its track no other way), one a line.  Each pair
 * is searched once (GET /search?q=track:"T" artist:"A"&type=track), at
 * most opt_max_searches of them, and written as a record
 * {"kind":"track_search","data":{"track_name","artist_name","track"}},
 * track being the first result of that track and artist name (ignoring
 * ASCII case) or null.  Which pairs were searched before is the caller's
 * to know (pipeline.sh asks raw.track_searches); the pairs left over the
 * budget are named on stderr.
 */
static void
fetch_search_tracks(void)
{
	struct sp_lines r;
	struct sp_buf u = {0};
	struct sp_progress pg;
	char *line;
	size_t len;
	long searched = 0, left = 0;

	sp_progress_start(&pg, progress_mode, "search tracks", SP_PROGRESS_UNKNOWN, "pairs");
	sp_lines_init(&r, stdin, "<stdin>");
	while ((line = sp_lines_next(&r, &len)) != NULL) {
		jv pair, tn, an, out, tracks, items, data, found;
		char *t, *a, *qs;

		while (len > 0 && isspace((unsigned char)line[len - 1]))
			line[--len] = '\0';
		if (len == 0)
			continue;
		pair = sp_jv_parse(line, len);
		tn = sp_jv_get(pair, "track_name");
		an = sp_jv_get(pair, "artist_name");
		if (jstr(tn) == NULL || jstr(an) == NULL || *jstr(tn) == '\0' || *jstr(an) == '\0')
			sp_die_at(SP_EXIT_DATA, r.name, r.lineno,
			    "not a name pair: want {\"track_name\": \"...\", \"artist_name\": \"...\"}");
		if (searched >= opt_max_searches) {
			left++;
			jv_free(tn);
			jv_free(an);
			jv_free(pair);
			continue;
		}
		t = unquoted(jstr(tn));
		a = unquoted(jstr(an));
		sp_buf_reset(&u);
		sp_buf_printf(&u, "track:\"%s\" artist:\"%s\"", t, a);
		qs = sp_http_escape(u.data);
		sp_buf_reset(&u);
		sp_buf_printf(&u, "/search?q=%s&type=track&limit=10", qs);
		free(qs);
		free(t);
		free(a);
		searched++;
		sp_progress_step(&pg, 1);
		if (get(u.data, &out) == SP_HTTP_REFUSED) {
			/* Not an answer about this pair: it stays unsearched. */
			sp_warn("search '%s' by '%s': %s", jstr(tn), jstr(an), sp_http_error(H));
			jv_free(out);
			jv_free(tn);
			jv_free(an);
			jv_free(pair);
			continue;
		}
		tracks = sp_jv_get(out, "tracks");
		items = sp_jv_get(tracks, "items");
		found = matching_track(items, jstr(tn), jstr(an));
		data = jv_object();
		data = jv_object_set(data, jv_string("track_name"), tn);
		data = jv_object_set(data, jv_string("artist_name"), an);
		data = jv_object_set(data, jv_string("track"), found);
		jv_free(items);
		jv_free(tracks);
		jv_free(out);
		jv_free(pair);
		emit(record("track_search", "search-tracks", data, NULL, 0));
		flush_out();
	}
	sp_lines_close(&r);
	sp_buf_free(&u);
	/* The pairs left over are a warning, which -q keeps, and the summary. */
	if (left > 0) {
		sp_warn("searched %ld name %s; %ld left for the next run (--max-searches %ld)",
		    searched, sp_plural(searched, "pair", "pairs"), left, opt_max_searches);
	} else {
		sp_progress_end(&pg, "searched %ld name %s", searched,
		    sp_plural(searched, "pair", "pairs"));
	}
}

/* ------------------------------------------------------------ releases */

/* --now as seconds since the epoch. */
static time_t
parse_now(const char *s)
{
	int32_t day;
	long long ms;

	if (s == NULL)
		return time(NULL);
	if (sp_date_parse_day(s, &day) == 0)
		return (time_t)day * 86400;
	if ((ms = iso_ms(s)) < 0) {
		sp_warn("--now: not a time (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ): '%s'", s);
		usage(stderr, SP_EXIT_USAGE);
	}
	return (time_t)(ms / 1000);
}

struct albums {
	struct idset ids;
	const char **source;	/* per id: "releases" or "search" */
	size_t cap;
};

/* Keeps album (consumed) when it is inside the window and new to a;
 * returns whether it was kept. */
static int
keep_album(struct albums *a, struct sp_jq *win, jv album, const char *source)
{
	jv kept = sp_jq_all(win, jv_copy(album)), id;
	int added = 0;

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
		added = 1;
	}
	jv_free(id);
	jv_free(album);
	return added;
}

/* Whether album (borrowed) was released before since ("YYYY-MM-DD"), at
 * its date's precision: "2026-11" is not before "2026-11-20". */
static int
released_before(jv album, const char *since)
{
	jv d = sp_jv_get(album, "release_date");
	int before = 0;

	if (jv_get_kind(d) == JV_KIND_STRING) {
		const char *s = jv_string_value(d);
		size_t n = strlen(s);

		before = n > 0 && n <= 10 && strncmp(s, since, n) < 0;
	}
	jv_free(d);
	return before;
}

/* Whether album's album_type is t. */
static int
album_type_is(jv album, const char *t)
{
	jv v = sp_jv_get(album, "album_type");
	int is = jv_get_kind(v) == JV_KIND_STRING && strcmp(jv_string_value(v), t) == 0;

	jv_free(v);
	return is;
}

static char *
artist_albums_url(const char *artist, const char *groups)
{
	struct sp_buf u = {0};

	sp_buf_printf(&u, "/artists/%s/albums?include_groups=%s&limit=10", artist, groups);
	return sp_buf_detach(&u, NULL);
}

/*
 * Pages one artist's albums and singles, keeping those in the window.  The
 * listing is grouped (albums, then singles), newest first in each group:
 * once a page ends older than the window the rest of its group is older
 * still, so an artist with hundreds of releases costs a request or two.
 * Returns 0, or -1 when the request budget is spent.
 */
static int
sweep_artist(struct albums *a, struct sp_jq *win, const char *artist, const char *since)
{
	char *url = artist_albums_url(artist, "album,single"), *next;
	int singles_only = 0, i, n, rc, old;
	long pages;
	jv page, items, last;

	for (pages = 0; url != NULL; pages++) {
		if (pages == opt_max_pages) {
			sp_warn("%s: stopped after %ld pages (--max-pages)", url, pages);
			break;
		}
		if ((rc = get(url, &page)) == SP_HTTP_FAILED) {
			free(url);
			return -1;
		}
		if (rc == SP_HTTP_REFUSED) {
			jv_free(page);
			sp_warn("%s", sp_http_error(H));
			break;
		}
		items = want_array(page, "items", url);
		n = jv_array_length(jv_copy(items));
		for (i = 0; i < n; i++)
			keep_album(a, win, jv_array_get(jv_copy(items), i), "releases");
		next = sp_http_next(page);
		last = n > 0 ? jv_array_get(jv_copy(items), n - 1) : jv_null();
		old = n > 0 && released_before(last, since);
		if (old && next != NULL) {
			free(next);
			next = NULL;
			/* Old albums: the singles may still hold new ones. */
			if (!singles_only && album_type_is(last, "album")) {
				next = artist_albums_url(artist, "single");
				singles_only = 1;
			}
		}
		jv_free(last);
		jv_free(items);
		jv_free(page);
		free(url);
		url = next;
	}
	free(url);
	return 0;
}

/* Writes album id and its tracks; returns 0, or -1 when the budget is spent. */
static int
emit_album(struct sp_jq *attach, const char *id, const char *source)
{
	struct sp_buf u = {0};
	char *url, *next;
	jv album, page, items, t, out;
	long pages;
	int i, n, j, m, rc;

	sp_buf_printf(&u, "/albums/%s", id);
	rc = get(u.data, &album);
	sp_buf_free(&u);
	if (rc == SP_HTTP_FAILED)
		return -1;
	if (rc == SP_HTTP_REFUSED) {
		jv_free(album);
		sp_warn("album '%s': %s", id, sp_http_error(H));
		return 0;
	}
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
		if ((rc = get(url, &page)) == SP_HTTP_FAILED) {
			free(url);
			jv_free(album);
			flush_out();
			return -1;
		}
		if (rc == SP_HTTP_REFUSED) {
			jv_free(page);
			sp_warn("album '%s': %s", id, sp_http_error(H));
			break;
		}
	}
	free(url);
	jv_free(album);
	flush_out();
	return 0;
}

/* Emits the albums kept since index from; -1 when the budget is spent. */
static int
emit_albums(struct albums *a, size_t from, struct sp_jq *attach)
{
	size_t i;

	for (i = from; i < a->ids.n; i++)
		if (emit_album(attach, a->ids.ids[i], a->source[i]) != 0)
			return -1;
	return 0;
}

/*
 * The sweep's progress: a file whose first line names the window
 * ("window SINCE UNTIL") and whose other lines are the artists done.  A run
 * that stops early (request budget, rate limit over the cap) leaves it, and
 * the next run with the same window skips those artists; a finished sweep
 * removes it.
 */
struct progress {
	char *path;
	FILE *fp;
	struct idset done;
};

static void
progress_open(struct progress *p, const char *since, const char *until)
{
	char *text, *line, *save, *dir, *slash, head[64];
	int same = 0;

	if (opt_sweep_state != NULL) {
		p->path = sp_xstrdup(opt_sweep_state);
	} else {
		dir = sp_conf_state_dir();
		p->path = sp_conf_join(dir, "releases.sweep");
		free(dir);
	}
	snprintf(head, sizeof head, "window %s %s", since, until);
	if ((text = sp_read_file(p->path, 64u << 20, NULL)) != NULL) {
		for (line = strtok_r(text, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save)) {
			if (!same && strcmp(line, head) != 0)
				break;
			if (same && valid_id(line))
				idset_add(&p->done, line);
			same = 1;
		}
		free(text);
	} else if (errno != ENOENT) {
		sp_die(SP_EXIT_DATA, "%s: %s", p->path, strerror(errno));
	}
	dir = sp_xstrdup(p->path);
	if ((slash = strrchr(dir, '/')) != NULL && slash != dir) {
		*slash = '\0';
		if (sp_mkdirs(dir, 0755) != 0)
			sp_die(SP_EXIT_DATA, "%s: %s", dir, strerror(errno));
	}
	free(dir);
	if ((p->fp = fopen(p->path, same ? "a" : "w")) == NULL)
		sp_die(SP_EXIT_DATA, "%s: %s", p->path, strerror(errno));
	if (!same)
		fprintf(p->fp, "%s\n", head);
	if (fflush(p->fp) != 0)
		sp_die(SP_EXIT_DATA, "%s: %s", p->path, strerror(errno));
}

/* Notes artist as done, once what was found for it is written. */
static void
progress_done(struct progress *p, const char *artist)
{
	if (fprintf(p->fp, "%s\n", artist) < 0 || fflush(p->fp) != 0)
		sp_die(SP_EXIT_DATA, "%s: %s", p->path, strerror(errno));
}

/* Closes the progress file; a finished sweep removes it. */
static void
progress_close(struct progress *p, int finished)
{
	if (fclose(p->fp) != 0)
		sp_die(SP_EXIT_DATA, "%s: %s", p->path, strerror(errno));
	if (finished && unlink(p->path) != 0 && errno != ENOENT)
		sp_die(SP_EXIT_DATA, "%s: %s", p->path, strerror(errno));
	free(p->path);
	idset_free(&p->done);
}

/* The artists' cache (sp-fetch artists'), for genres. */
static void
artist_cache(struct entity *e)
{
	char *dir;

	memset(e, 0, sizeof *e);
	e->kind = "artists";
	e->type = "artist";
	e->batch_max = 50;
	dir = sp_conf_cache_dir();
	e->cache = sp_conf_join(dir, "artists");
	free(dir);
}

/* The cached artist object of id (jv_invalid when not cached). */
static jv
cached_artist(struct entity *e, const char *id)
{
	char *path = cache_file(e, id), *text;
	size_t len;
	jv v, d;

	text = sp_read_file(path, 64u << 20, &len);
	free(path);
	if (text == NULL)
		return jv_invalid();
	v = sp_jv_parse(text, len);
	free(text);
	d = jv_get_kind(v) == JV_KIND_OBJECT ? sp_jv_get(v, "data") : jv_invalid();
	jv_free(v);
	if (jv_get_kind(d) != JV_KIND_OBJECT) {
		jv_free(d);
		return jv_invalid();
	}
	return d;
}

/* Adds the genres of artist object a (consumed) to g. */
static void
add_genres(struct idset *g, jv a)
{
	jv gs = sp_jv_get(a, "genres");
	int i, n;

	if (jv_get_kind(gs) == JV_KIND_ARRAY) {
		n = jv_array_length(jv_copy(gs));
		for (i = 0; i < n; i++) {
			jv x = jv_array_get(jv_copy(gs), i);
			if (jv_get_kind(x) == JV_KIND_STRING)
				idset_add(g, jv_string_value(x));
			jv_free(x);
		}
	}
	jv_free(gs);
	jv_free(a);
}

/*
 * Whether a search album (borrowed) connects to the listener: one of its
 * artists is one of theirs, or, when their artists have genres, one of its
 * artists (from the cache, else fetched and cached) shares a genre.
 * Returns 1, 0, or -1 when the budget is spent.
 */
static int
connects(jv album, const struct idset *mine, const struct idset *genres, struct entity *ac)
{
	jv arts = sp_jv_get(album, "artists"), ar, id, obj;
	struct idset g = {0};
	int i, n, hit = 0, rc;
	size_t k;
	char url[128];

	n = jv_get_kind(arts) == JV_KIND_ARRAY ? jv_array_length(jv_copy(arts)) : 0;
	for (i = 0; i < n && !hit; i++) {
		ar = jv_array_get(jv_copy(arts), i);
		id = sp_jv_get(ar, "id");
		jv_free(ar);
		if (jv_get_kind(id) == JV_KIND_STRING && valid_id(jv_string_value(id))) {
			if (idset_has(mine, jv_string_value(id))) {
				hit = 1;
			} else if (genres->n > 0) {
				obj = cached_artist(ac, jv_string_value(id));
				if (!jv_is_valid(obj)) {
					jv_free(obj);
					snprintf(url, sizeof url, "/artists/%s", jv_string_value(id));
					if ((rc = get(url, &obj)) == SP_HTTP_FAILED) {
						jv_free(id);
						jv_free(arts);
						idset_free(&g);
						return -1;
					}
					if (rc == SP_HTTP_OK) {
						jv rec = record("artist", "artists", jv_copy(obj), NULL, 0);
						cache_put(ac, jv_string_value(id), rec);
						jv_free(rec);
					}
				}
				add_genres(&g, obj);
				for (k = 0; k < g.n && !hit; k++)
					hit = idset_has(genres, g.ids[k]);
			}
		}
		jv_free(id);
	}
	jv_free(arts);
	idset_free(&g);
	return hit;
}

/*
 * search tag:new: at most --search-pages pages, at most --search-albums
 * albums kept, each inside the window and connected to the listener
 * (connects).  Returns 0, or -1 when the budget is spent.
 */
static int
sweep_search(struct albums *a, struct sp_jq *win, const struct idset *mine,
    const struct idset *genres, struct entity *ac)
{
	char *url = sp_xstrdup("/search?q=tag%3Anew&type=album&limit=10"), *next;
	long pages, kept = 0, seen = 0;
	jv out, page, items, al;
	int i, n, rc, c;

	for (pages = 0; url != NULL; pages++) {
		if (pages == opt_search_pages || kept >= opt_search_albums)
			break;
		if ((rc = get(url, &out)) == SP_HTTP_FAILED) {
			free(url);
			return -1;
		}
		if (rc == SP_HTTP_REFUSED) {
			jv_free(out);
			sp_warn("%s", sp_http_error(H));
			break;
		}
		page = sp_jv_get(out, "albums");
		items = want_array(page, "items", url);
		n = jv_array_length(jv_copy(items));
		for (i = 0; i < n && kept < opt_search_albums; i++) {
			al = jv_array_get(jv_copy(items), i);
			seen++;
			if ((c = connects(al, mine, genres, ac)) < 0) {
				jv_free(al);
				jv_free(items);
				jv_free(page);
				jv_free(out);
				free(url);
				return -1;
			}
			if (c)
				kept += keep_album(a, win, al, "search");
			else
				jv_free(al);
		}
		next = sp_http_next(page);
		jv_free(items);
		jv_free(page);
		jv_free(out);
		free(url);
		url = next;
	}
	free(url);
	sp_warn("search tag:new: %ld %s kept of %ld seen in %ld %s", kept,
	    sp_plural(kept, "album", "albums"), seen, pages, sp_plural(pages, "page", "pages"));
	return 0;
}

/* Orders idx[0, s->n) by s's hits, most first, keeping the input order
 * on ties (a bottom-up merge sort: stable). */
static void
by_affinity(const struct idset *s, size_t *idx)
{
	size_t i, j, k;

	for (i = 0; i < s->n; i++)
		idx[i] = i;
	for (k = 1; k < s->n; k *= 2) {
		size_t *tmp = sp_xcalloc(s->n, sizeof *tmp);
		for (i = 0; i < s->n; i += 2 * k) {
			size_t a = i, am = i + k < s->n ? i + k : s->n, b = am,
			    bm = i + 2 * k < s->n ? i + 2 * k : s->n, o = i;
			while (a < am || b < bm)
				tmp[o++] = b >= bm || (a < am && s->hits[idx[a]] >= s->hits[idx[b]]) ?
				    idx[a++] : idx[b++];
		}
		for (j = 0; j < s->n; j++)
			idx[j] = tmp[j];
		free(tmp);
	}
}

static void
fetch_releases(void)
{
	time_t now = parse_now(opt_now), since_t = now - (time_t)opt_days * 86400;
	char since[16], until[16];
	struct albums a = {0};
	struct idset artists = {0}, genres = {0};
	struct progress prog = {0};
	struct sp_progress pg;
	struct entity ac;
	struct sp_jq *win, *attach;
	struct tm tm;
	size_t i, from, *order, left = 0;
	int stop = 0;

	gmtime_r(&since_t, &tm);
	strftime(since, sizeof since, "%Y-%m-%d", &tm);
	gmtime_r(&now, &tm);
	strftime(until, sizeof until, "%Y-%m-%d", &tm);
	win = sp_jq_load("release-window", jv_object_set(jv_object_set(jv_object(),
	    jv_string("since"), jv_string(since)), jv_string("until"), jv_string(until)));
	attach = sp_jq_load("track-with-album", jv_object());
	read_ids("artist", &artists);
	/* The artists the listener plays most first: a sweep the budget cuts
	 * short has covered those who matter most. */
	order = sp_xcalloc(artists.n ? artists.n : 1, sizeof *order);
	by_affinity(&artists, order);
	progress_open(&prog, since, until);
	if (prog.done.n > 0)
		sp_warn("releases: going on with the sweep of %s..%s: %zu of %zu %s already done",
		    since, until, prog.done.n, artists.n,
		    sp_plural((long)artists.n, "artist", "artists"));
	sp_progress_start(&pg, progress_mode, "sweep artists", artists.n, NULL);
	for (i = 0; i < artists.n && !stop; i++) {
		const char *id = artists.ids[order[i]];

		if (idset_has(&prog.done, id)) {
			sp_progress_step(&pg, 1);
			continue;
		}
		from = a.ids.n;
		if (sweep_artist(&a, win, id, since) != 0 || emit_albums(&a, from, attach) != 0) {
			stop = 1;
			break;
		}
		progress_done(&prog, id);
		idset_add(&prog.done, id);
		sp_progress_step(&pg, 1);
	}
	sp_progress_end(&pg, "releases: %zu of %zu %s swept", pg.done, artists.n,
	    sp_plural((long)artists.n, "artist", "artists"));
	if (stop) {
		for (left = 0; i < artists.n; i++)
			left += !idset_has(&prog.done, artists.ids[order[i]]);
	} else {
		artist_cache(&ac);
		for (i = 0; i < artists.n; i++)
			add_genres(&genres, cached_artist(&ac, artists.ids[i]));
		from = a.ids.n;
		/* The search is a bonus: once the artists are done, the sweep is. */
		if (sweep_search(&a, win, &artists, &genres, &ac) != 0 || emit_albums(&a, from, attach) != 0)
			budget_left("search tag:new", 1, 1);
		free(ac.cache);
	}
	progress_close(&prog, !stop);
	if (stop) {
		budget_stop = 1;
		sp_warn("%s", sp_http_error(H));
		sp_warn("releases: %zu of %zu %s left; the next run goes on from there", left,
		    artists.n, sp_plural((long)artists.n, "artist", "artists"));
	}
	free(order);
	free(a.source);
	idset_free(&a.ids);
	idset_free(&artists);
	idset_free(&genres);
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
		{ "budget", required_argument, NULL, 'b' },
		{ "cache", required_argument, NULL, 'C' },
		{ "cursor", required_argument, NULL, 'c' },
		{ "days", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ "limit", required_argument, NULL, 'l' },
		{ "max-pages", required_argument, NULL, 'm' },
		{ "max-searches", required_argument, NULL, 'M' },
		{ "new-only", no_argument, NULL, 'n' },
		{ "now", required_argument, NULL, 'N' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "search-albums", required_argument, NULL, 'A' },
		{ "search-pages", required_argument, NULL, 'P' },
		{ "sweep-state", required_argument, NULL, 'S' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct sp_auth auth;
	const char *res;
	int c, nargs;

	sp_init(argv[0]);
	while ((c = getopt_long(argc, argv, "hq", longopts, NULL)) != -1) {
		switch (c) {
		case 'A': opt_search_albums = sp_opt_long("--search-albums", optarg, 0, 1000, usage); break;
		case 'b': opt_budget = sp_opt_long("--budget", optarg, 0, 100000000, usage); break;
		case 'C': opt_cache = optarg; break;
		case 'c': opt_cursor = optarg; break;
		case 'd': opt_days = sp_opt_long("--days", optarg, 0, 3650, usage); break;
		case 'h': usage(stdout, SP_EXIT_OK);
		case 'l': opt_limit = sp_opt_long("--limit", optarg, 1, 100, usage); break;
		case 'm': opt_max_pages = sp_opt_long("--max-pages", optarg, 1, 1000000, usage); break;
		case 'M': opt_max_searches = sp_opt_long("--max-searches", optarg, 0, 1000000, usage); break;
		case 'n': opt_new_only = 1; break;
		case 'N': opt_now = optarg; break;
		case 'P': opt_search_pages = sp_opt_long("--search-pages", optarg, 0, 100, usage); break;
		case 'q': opt_quiet = 1; break;
		case 'S': opt_sweep_state = optarg; break;
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
	    strcmp(res, "releases") != 0 && strcmp(res, "search-tracks") != 0) || nargs != 0) {
		usage(stderr, SP_EXIT_USAGE);
	}
	if (opt_now != NULL)
		(void)parse_now(opt_now);
	progress_mode = sp_progress_mode(opt_quiet);
	if (sp_auth_load(&auth) != 0)
		return SP_EXIT_DATA;
	H = sp_http_new();
	sp_http_set_auth(H, &auth);
	if (opt_budget >= 0)
		sp_http_set_budget(H, opt_budget);
	/* One budget for every fetch of a run (pipeline.sh sets it). */
	sp_http_share_budget(H, getenv("SP_RUN_BUDGET"));
	if (strcmp(res, "recently-played") == 0)
		fetch_recently_played();
	else if (strcmp(res, "saved") == 0)
		fetch_saved();
	else if (strcmp(res, "playlist") == 0)
		fetch_playlist(argv[optind + 1]);
	else if (strcmp(res, "releases") == 0)
		fetch_releases();
	else if (strcmp(res, "search-tracks") == 0)
		fetch_search_tracks();
	else
		fetch_entities(res);
	/* Spotify answered this run: an older failure is history. */
	if (sp_http_requests(H) > 0 && !budget_stop)
		sp_http_clear_failure();
	sp_http_free(H);
	sp_auth_free(&auth);
	return SP_EXIT_OK;
}
