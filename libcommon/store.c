/* store.c: staged objects in a local directory or an S3 bucket (SigV4 by libcurl). */
#include <errno.h>
#include <fcntl.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "buf.h"
#include "diag.h"
#include "http.h"
#include "paths.h"
#include "sha256.h"
#include "store.h"

#define EMPTY_SHA256 "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

struct sp_store {
	char *url;		/* as given, for messages */
	char *dir;		/* local: the root directory */
	char *bucket, *prefix;	/* s3: prefix is "" or ends with '/' */
	char *endpoint, *region, *userpwd, *token;
	int status;		/* exit status fitting the last error */
	char location[512];	/* where the last 3xx answer pointed; "" if none */
	struct sp_retry retry;	/* the one retry policy (http.h) */
	/* The object being written (one at a time). */
	char *tmp_path;		/* local fallback when O_TMPFILE is refused */
	int tmp_unnamed;
};

const char *
sp_store_url(const struct sp_store *st)
{
	return st->url;
}

int
sp_store_status(const struct sp_store *st)
{
	return st->status;
}

static char *
env_or(const char *name, const char *def)
{
	const char *v = getenv(name);

	return v != NULL && *v != '\0' ? sp_xstrdup(v) : def ? sp_xstrdup(def) : NULL;
}

struct sp_store *
sp_store_open(const char *url)
{
	struct sp_store *st = sp_xcalloc(1, sizeof *st);
	struct sp_buf b = { 0 };

	if (url == NULL || *url == '\0')
		url = getenv("SP_STAGE_URL");
	if (url == NULL || *url == '\0') {
		char *home = sp_home();

		sp_buf_printf(&b, "%s/stage", home);
		free(home);
		st->dir = sp_buf_detach(&b, NULL);
		st->url = sp_xstrdup(st->dir);
		return st;
	}
	st->url = sp_xstrdup(url);
	/* Messages append "/name": no trailing slash here. */
	while (strlen(st->url) > 1 && st->url[strlen(st->url) - 1] == '/')
		st->url[strlen(st->url) - 1] = '\0';
	if (strncmp(url, "s3://", 5) == 0) {
		const char *p = url + 5, *slash = strchr(p, '/');
		char *id, *secret;

		st->bucket = slash ? strndup(p, (size_t)(slash - p)) : sp_xstrdup(p);
		if (st->bucket == NULL || st->bucket[0] == '\0')
			sp_die(SP_EXIT_USAGE, "%s: no bucket in the store URL", url);
		if (slash != NULL && slash[1] != '\0') {
			sp_buf_adds(&b, slash + 1);
			while (b.len > 0 && b.data[b.len - 1] == '/')
				b.data[--b.len] = '\0';
			if (b.len > 0)
				sp_buf_addc(&b, '/');
		}
		st->prefix = b.data ? sp_buf_detach(&b, NULL) : sp_xstrdup("");
		if ((st->region = env_or("AWS_REGION", NULL)) == NULL)
			st->region = env_or("AWS_DEFAULT_REGION", "us-east-1");
		if ((st->endpoint = env_or("SP_S3_ENDPOINT", NULL)) == NULL) {
			sp_buf_printf(&b, "https://s3.%s.amazonaws.com", st->region);
			st->endpoint = sp_buf_detach(&b, NULL);
		}
		while (strlen(st->endpoint) > 0 && st->endpoint[strlen(st->endpoint) - 1] == '/')
			st->endpoint[strlen(st->endpoint) - 1] = '\0';
		id = getenv("AWS_ACCESS_KEY_ID");
		secret = getenv("AWS_SECRET_ACCESS_KEY");
		if (id == NULL || *id == '\0' || secret == NULL || *secret == '\0') {
			sp_warn("%s: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY must be set", url);
			exit(SP_EXIT_USAGE);
		}
		sp_buf_printf(&b, "%s:%s", id, secret);
		st->userpwd = sp_buf_detach(&b, NULL);
		st->token = env_or("AWS_SESSION_TOKEN", NULL);
		sp_retry_init(&st->retry);
		if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
			sp_die(SP_EXIT_UPSTREAM, "cannot initialise libcurl");
		return st;
	}
	if (strncmp(url, "file://", 7) == 0)
		url += 7;
	else if (strstr(url, "://") != NULL)
		sp_die(SP_EXIT_USAGE, "%s: unsupported store URL (a directory, file://DIR or s3://BUCKET/PREFIX)", url);
	st->dir = sp_xstrdup(url);
	return st;
}

void
sp_store_close(struct sp_store *st)
{
	if (st == NULL)
		return;
	free(st->url);
	free(st->dir);
	free(st->bucket);
	free(st->prefix);
	free(st->endpoint);
	free(st->region);
	if (st->userpwd != NULL)
		memset(st->userpwd, 0, strlen(st->userpwd));
	free(st->userpwd);
	free(st->token);
	free(st->tmp_path);
	free(st);
}

/* ---- local directories ---- */

static char *
local_path(const struct sp_store *st, const char *name)
{
	struct sp_buf b = { 0 };

	sp_buf_printf(&b, "%s/%s", st->dir, name);
	return sp_buf_detach(&b, NULL);
}

static char *
dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *d = slash ? strndup(path, (size_t)(slash - path)) : sp_xstrdup(".");

	if (d == NULL)
		sp_die(SP_EXIT_DATA, "out of memory");
	if (d[0] == '\0') {
		free(d);
		d = sp_xstrdup("/");
	}
	return d;
}

static int
fsync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY), rc;

	if (fd < 0)
		return -1;
	rc = fsync(fd);
	close(fd);
	return rc;
}

/* ---- S3 ---- */

struct xfer {
	FILE *up, *down;
	struct sp_buf *body;
	size_t body_max;
};

static size_t
on_read(char *p, size_t size, size_t n, void *arg)
{
	struct xfer *x = arg;
	size_t r = fread(p, size, n, x->up);

	if (r == 0 && ferror(x->up))
		return CURL_READFUNC_ABORT;
	return r;
}

static size_t
on_write(char *p, size_t size, size_t n, void *arg)
{
	struct xfer *x = arg;

	if (x->down != NULL)
		return fwrite(p, size, n, x->down);
	if (x->body->len + size * n > x->body_max)
		return 0;
	sp_buf_add(x->body, p, size * n);
	return size * n;
}

/* Appends s percent-encoded (RFC 3986 unreserved kept; '/' kept if keep_slash). */
static void
add_escaped(struct sp_buf *b, const char *s, int keep_slash)
{
	static const char hex[] = "0123456789ABCDEF";

	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
		    c == '~' || (keep_slash && c == '/')) {
			sp_buf_addc(b, (char)c);
		} else {
			sp_buf_addc(b, '%');
			sp_buf_addc(b, hex[c >> 4]);
			sp_buf_addc(b, hex[c & 15]);
		}
	}
}

/* The text of <tag>...</tag> after *from in xml, XML entities decoded. */
static char *
xml_tag(const char *xml, const char *tag, const char **from)
{
	struct sp_buf open = { 0 }, close = { 0 }, out = { 0 };
	const char *a, *e;

	sp_buf_printf(&open, "<%s>", tag);
	sp_buf_printf(&close, "</%s>", tag);
	a = strstr(from ? *from : xml, open.data);
	e = a ? strstr(a, close.data) : NULL;
	if (a != NULL && e != NULL) {
		for (a += open.len; a < e; a++) {
			if (*a == '&') {
				static const char *const ent[][2] = {
					{ "&amp;", "&" }, { "&lt;", "<" }, { "&gt;", ">" },
					{ "&quot;", "\"" }, { "&apos;", "'" }
				};
				size_t i;

				for (i = 0; i < 5; i++)
					if (strncmp(a, ent[i][0], strlen(ent[i][0])) == 0)
						break;
				if (i < 5) {
					sp_buf_adds(&out, ent[i][1]);
					a += strlen(ent[i][0]) - 1;
					continue;
				}
			}
			sp_buf_addc(&out, *a);
		}
		if (from)
			*from = e + close.len;
		if (out.data == NULL)
			sp_buf_adds(&out, "");
	}
	sp_buf_free(&open);
	sp_buf_free(&close);
	return out.data;
}

/* The options of one attempt of an S3 request. */
static void
s3_setopt(struct sp_store *st, CURL *c, struct xfer *x, const char *url, const char *sig,
    struct curl_slist *hdr, char *err, const char *method, long up_size)
{
	st->location[0] = '\0';
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	/* Signed requests go to the configured endpoint only: a redirect
	 * is an answer to report, never followed with the credentials. */
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(c, CURLOPT_AWS_SIGV4, sig);
	curl_easy_setopt(c, CURLOPT_USERPWD, st->userpwd);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdr);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, err);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, 10000L);
	curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);
	curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, 60L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_write);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, x);
	if (strcmp(method, "HEAD") == 0) {
		curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
	} else if (strcmp(method, "PUT") == 0) {
		curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
		curl_easy_setopt(c, CURLOPT_READFUNCTION, on_read);
		curl_easy_setopt(c, CURLOPT_READDATA, x);
		curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, (curl_off_t)up_size);
	}
}

/*
 * One S3 request, retried on transport errors, 429 and 5xx as the retry
 * policy says (Retry-After honoured).  key is the full
 * key (prefix included) or NULL for the bucket; query is appended as is.
 * up (with up_size and its SHA-256) is the body of a PUT; down receives a
 * GET's body, else it goes to body.  Returns the HTTP status, or -1 after
 * a transport failure (message printed).
 */
static long
s3_request(struct sp_store *st, const char *method, const char *key,
    const char *query, FILE *up, long up_size, const char *up_sha,
    FILE *down, struct sp_buf *body)
{
	struct sp_buf url = { 0 }, sig = { 0 }, h1 = { 0 }, h2 = { 0 };
	struct curl_slist *hdr = NULL;
	struct xfer x = { up, down, body, 1u << 20 };
	char err[CURL_ERROR_SIZE];
	long status = -1;
	int attempt;
	CURL *c;

	sp_buf_printf(&url, "%s/", st->endpoint);
	add_escaped(&url, st->bucket, 0);
	if (key != NULL) {
		sp_buf_addc(&url, '/');
		add_escaped(&url, key, 1);
	}
	if (query != NULL)
		sp_buf_printf(&url, "?%s", query);
	sp_buf_printf(&sig, "aws:amz:%s:s3", st->region);
	/* libcurl 7.88 signs this header's value as the payload hash. */
	sp_buf_printf(&h1, "x-amz-content-sha256: %s", up ? up_sha : EMPTY_SHA256);
	hdr = curl_slist_append(hdr, h1.data);
	if (st->token != NULL) {
		sp_buf_printf(&h2, "x-amz-security-token: %s", st->token);
		hdr = curl_slist_append(hdr, h2.data);
	}
	sp_retry_begin(&st->retry);
	for (attempt = 1;; attempt++) {
		curl_off_t after = 0;
		CURLcode cc;

		if ((c = curl_easy_init()) == NULL)
			sp_die(SP_EXIT_UPSTREAM, "cannot initialise libcurl");
		if (up != NULL)
			rewind(up);
		if (down != NULL) {
			rewind(down);
			if (ftruncate(fileno(down), 0) != 0)
				sp_warn("cannot truncate a temporary file: %s", strerror(errno));
		}
		if (body != NULL)
			sp_buf_reset(body);
		err[0] = '\0';
		s3_setopt(st, c, &x, url.data, sig.data, hdr, err, method, up_size);
		cc = curl_easy_perform(c);
		status = -1;
		if (cc == CURLE_OK) {
			char *to = NULL;

			curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
			if (curl_easy_getinfo(c, CURLINFO_REDIRECT_URL, &to) == CURLE_OK && to != NULL)
				snprintf(st->location, sizeof st->location, "%s", to);
			if (curl_easy_getinfo(c, CURLINFO_RETRY_AFTER, &after) != CURLE_OK)
				after = 0;
		}
		curl_easy_cleanup(c);
		if (cc == CURLE_OK && status < 500 && status != 429)
			break;
		if (sp_retry_wait(&st->retry, attempt, after > 0 ? (long)after : -1) != SP_RETRY_AGAIN) {
			/* An HTTP answer is the caller's to report, with its body. */
			if (cc != CURLE_OK)
				sp_warn("%s: %s %s: %s (attempts: %d)", st->url, method, key ? key : st->bucket,
				    err[0] ? err : curl_easy_strerror(cc), attempt);
			break;
		}
	}
	curl_slist_free_all(hdr);
	sp_buf_free(&url);
	sp_buf_free(&sig);
	sp_buf_free(&h1);
	if (h2.data != NULL)
		memset(h2.data, 0, h2.len);
	sp_buf_free(&h2);
	return status;
}

/*
 * Prints "url: METHOD key: HTTP n Code: Message" from an S3 error answer,
 * or for a redirect "url: METHOD key: HTTP n: a redirect to X is not followed".
 */
static void
s3_error(struct sp_store *st, const char *method, const char *key, long status,
    const struct sp_buf *body)
{
	char *code = body && body->data ? xml_tag(body->data, "Code", NULL) : NULL;
	char *msg = body && body->data ? xml_tag(body->data, "Message", NULL) : NULL;

	if (status >= 300 && status < 400)
		sp_warn("%s: %s %s: HTTP %ld%s%s: a redirect%s%s is not followed (requests are signed "
		    "for SP_S3_ENDPOINT %s only)", st->url, method, key, status, code ? " " : "",
		    code ? code : "", st->location[0] ? " to " : "", st->location, st->endpoint);
	else
		sp_warn("%s: %s %s: HTTP %ld%s%s%s%s", st->url, method, key, status,
		    code ? " " : "", code ? code : "", msg ? ": " : "", msg ? msg : "");
	free(code);
	free(msg);
	st->status = SP_EXIT_UPSTREAM;
}

static char *
s3_key(const struct sp_store *st, const char *name)
{
	struct sp_buf b = { 0 };

	sp_buf_printf(&b, "%s%s", st->prefix, name);
	return sp_buf_detach(&b, NULL);
}

/* ---- the interface ---- */

int
sp_store_exists(struct sp_store *st, const char *name)
{
	if (st->bucket == NULL) {
		char *p = local_path(st, name);
		struct stat sb;
		int rc = stat(p, &sb);

		if (rc != 0 && errno != ENOENT) {
			sp_warn("%s: %s", p, strerror(errno));
			free(p);
			st->status = SP_EXIT_DATA;
			return -1;
		}
		free(p);
		return rc == 0;
	} else {
		char *key = s3_key(st, name);
		long s = s3_request(st, "HEAD", key, NULL, NULL, 0, NULL, NULL, NULL);

		if (s == 200 || s == 404) {
			free(key);
			return s == 200;
		}
		if (s > 0)
			s3_error(st, "HEAD", key, s, NULL);
		st->status = SP_EXIT_UPSTREAM;
		free(key);
		return -1;
	}
}

FILE *
sp_store_begin(struct sp_store *st, const char *name)
{
	FILE *fp;
	char *path, *dir;
	int fd;

	free(st->tmp_path);
	st->tmp_path = NULL;
	st->tmp_unnamed = 0;
	if (st->bucket != NULL) {
		if ((fp = tmpfile()) == NULL) {
			sp_warn("cannot create a temporary file: %s", strerror(errno));
			st->status = SP_EXIT_DATA;
		}
		return fp;
	}
	path = local_path(st, name);
	dir = dir_of(path);
	free(path);
	if (sp_mkdirs(dir, 0755) != 0) {
		sp_warn("%s: %s", dir, strerror(errno));
		free(dir);
		st->status = SP_EXIT_DATA;
		return NULL;
	}
	fd = open(dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, 0644);
	if (fd >= 0) {
		st->tmp_unnamed = 1;
	} else if (errno == EOPNOTSUPP || errno == EISDIR || errno == EINVAL) {
		struct sp_buf b = { 0 };

		sp_buf_printf(&b, "%s/.tmp-XXXXXX", dir);
		st->tmp_path = sp_buf_detach(&b, NULL);
		if ((fd = mkstemp(st->tmp_path)) >= 0)
			fchmod(fd, (mode_t)sp_umasked(0644));
	}
	if (fd < 0) {
		sp_warn("%s: cannot create a file: %s", dir, strerror(errno));
		free(dir);
		free(st->tmp_path);
		st->tmp_path = NULL;
		st->status = SP_EXIT_DATA;
		return NULL;
	}
	free(dir);
	if ((fp = fdopen(fd, "w")) == NULL) {
		sp_warn("fdopen: %s", strerror(errno));
		close(fd);
		st->status = SP_EXIT_DATA;
	}
	return fp;
}

void
sp_store_abort(struct sp_store *st, FILE *fp)
{
	if (fp != NULL)
		fclose(fp);
	if (st->tmp_path != NULL) {
		unlink(st->tmp_path);
		free(st->tmp_path);
		st->tmp_path = NULL;
	}
}

static int
commit_local(struct sp_store *st, FILE *fp, const char *name)
{
	char *path = local_path(st, name), *dir = dir_of(path);
	char proc[64];
	int rc = 0, existed = 0;

	if (fflush(fp) != 0 || fsync(fileno(fp)) != 0) {
		sp_warn("%s: %s", path, strerror(errno));
		rc = -1;
	} else if (sp_mkdirs(dir, 0755) != 0) {
		sp_warn("%s: %s", dir, strerror(errno));
		rc = -1;
	} else if (st->tmp_unnamed) {
		snprintf(proc, sizeof proc, "/proc/self/fd/%d", fileno(fp));
		if (linkat(AT_FDCWD, proc, AT_FDCWD, path, AT_SYMLINK_FOLLOW) != 0) {
			if (errno == EEXIST)
				existed = 1;
			else {
				sp_warn("%s: %s", path, strerror(errno));
				rc = -1;
			}
		}
	} else {
		if (link(st->tmp_path, path) != 0) {
			if (errno == EEXIST)
				existed = 1;
			else {
				sp_warn("%s: %s", path, strerror(errno));
				rc = -1;
			}
		}
		unlink(st->tmp_path);
	}
	if (fclose(fp) != 0 && rc == 0) {
		sp_warn("%s: %s", path, strerror(errno));
		rc = -1;
	}
	if (rc == 0 && !existed && fsync_dir(dir) != 0) {
		sp_warn("%s: fsync: %s", dir, strerror(errno));
		rc = -1;
	}
	free(st->tmp_path);
	st->tmp_path = NULL;
	free(path);
	free(dir);
	if (rc != 0)
		st->status = SP_EXIT_DATA;
	return rc != 0 ? -1 : existed;
}

static int
commit_s3(struct sp_store *st, FILE *fp, const char *name)
{
	struct sp_sha256 h;
	unsigned char d[32], tmp[65536];
	char hex[65];
	struct sp_buf body = { 0 };
	char *key = s3_key(st, name);
	long size = 0, s;
	size_t n;

	if (fflush(fp) != 0) {
		sp_warn("temporary file: %s", strerror(errno));
		fclose(fp);
		free(key);
		st->status = SP_EXIT_DATA;
		return -1;
	}
	rewind(fp);
	sp_sha256_init(&h);
	while ((n = fread(tmp, 1, sizeof tmp, fp)) > 0) {
		sp_sha256_update(&h, tmp, n);
		size += (long)n;
	}
	sp_sha256_final(&h, d);
	sp_sha256_hex(d, hex);
	s = s3_request(st, "PUT", key, NULL, fp, size, hex, NULL, &body);
	fclose(fp);
	if (s != 200) {
		if (s > 0)
			s3_error(st, "PUT", key, s, &body);
		st->status = SP_EXIT_UPSTREAM;
		sp_buf_free(&body);
		free(key);
		return -1;
	}
	sp_buf_free(&body);
	free(key);
	return 0;
}

int
sp_store_commit(struct sp_store *st, FILE *fp, const char *name)
{
	return st->bucket ? commit_s3(st, fp, name) : commit_local(st, fp, name);
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
push(char ***names, size_t *n, size_t *cap, char *s)
{
	if (*n == *cap)
		*names = sp_xreallocarray(*names, *cap = *cap ? *cap * 2 : 64, sizeof **names);
	(*names)[(*n)++] = s;
}

/* Walks dir (the store-relative rel) recursively, adding regular files. */
static int
walk(const char *root, const char *rel, char ***names, size_t *n, size_t *cap, int depth)
{
	struct sp_buf p = { 0 };
	struct dirent *de;
	DIR *d;
	int rc = 0;

	sp_buf_printf(&p, "%s/%s", root, rel);
	if ((d = opendir(p.data)) == NULL) {
		rc = errno == ENOENT ? 0 : -1;
		if (rc != 0)
			sp_warn("%s: %s", p.data, strerror(errno));
		sp_buf_free(&p);
		return rc;
	}
	while (rc == 0 && (de = readdir(d)) != NULL) {
		struct sp_buf r = { 0 };
		struct stat sb;

		if (de->d_name[0] == '.')
			continue;
		sp_buf_printf(&r, "%s%s%s", rel, *rel && rel[strlen(rel) - 1] != '/' ? "/" : "",
		    de->d_name);
		sp_buf_reset(&p);
		sp_buf_printf(&p, "%s/%s", root, r.data);
		if (stat(p.data, &sb) != 0) {
			sp_warn("%s: %s", p.data, strerror(errno));
			rc = -1;
		} else if (S_ISDIR(sb.st_mode) && depth < 8) {
			rc = walk(root, r.data, names, n, cap, depth + 1);
		} else if (S_ISREG(sb.st_mode)) {
			push(names, n, cap, sp_buf_detach(&r, NULL));
		}
		sp_buf_free(&r);
	}
	closedir(d);
	sp_buf_free(&p);
	return rc;
}

int
sp_store_list(struct sp_store *st, const char *prefix, char ***names, size_t *n)
{
	size_t cap = 0;
	int rc = 0;

	*names = NULL;
	*n = 0;
	if (st->bucket == NULL) {
		rc = walk(st->dir, prefix, names, n, &cap, 0);
		if (rc != 0)
			st->status = SP_EXIT_DATA;
	} else {
		struct sp_buf q = { 0 }, body = { 0 };
		char *token = NULL, *key = s3_key(st, prefix);
		int pages;

		for (pages = 0; pages < 100000; pages++) {
			const char *at;
			char *k, *trunc;
			long s;

			sp_buf_reset(&q);
			sp_buf_adds(&q, "list-type=2&prefix=");
			add_escaped(&q, key, 0);
			if (token != NULL) {
				sp_buf_adds(&q, "&continuation-token=");
				add_escaped(&q, token, 0);
			}
			s = s3_request(st, "GET", NULL, q.data, NULL, 0, NULL, NULL, &body);
			if (s != 200) {
				if (s > 0)
					s3_error(st, "GET", "?list-type=2", s, &body);
				st->status = SP_EXIT_UPSTREAM;
				rc = -1;
				break;
			}
			at = body.data ? body.data : "";
			while ((k = xml_tag(at, "Key", &at)) != NULL) {
				const char *last = strrchr(k, '/');

				if (strncmp(k, st->prefix, strlen(st->prefix)) == 0 &&
				    (last ? last[1] : k[0]) != '.')
					push(names, n, &cap, sp_xstrdup(k + strlen(st->prefix)));
				free(k);
			}
			trunc = body.data ? xml_tag(body.data, "IsTruncated", NULL) : NULL;
			free(token);
			token = body.data ? xml_tag(body.data, "NextContinuationToken", NULL) : NULL;
			if (trunc == NULL || strcmp(trunc, "true") != 0 || token == NULL) {
				free(trunc);
				break;
			}
			free(trunc);
		}
		free(token);
		free(key);
		sp_buf_free(&q);
		sp_buf_free(&body);
	}
	if (rc != 0) {
		sp_store_free_list(*names, *n);
		*names = NULL;
		*n = 0;
		return -1;
	}
	if (*n > 0)
		qsort(*names, *n, sizeof **names, cmp_str);
	return 0;
}

void
sp_store_free_list(char **names, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

FILE *
sp_store_read(struct sp_store *st, const char *name)
{
	FILE *fp;

	if (st->bucket == NULL) {
		char *p = local_path(st, name);

		if ((fp = fopen(p, "r")) == NULL) {
			sp_warn("%s: %s", p, strerror(errno));
			st->status = SP_EXIT_DATA;
		}
		free(p);
		return fp;
	} else {
		char *key = s3_key(st, name);
		struct sp_buf body = { 0 };
		long s;

		if ((fp = tmpfile()) == NULL) {
			sp_warn("cannot create a temporary file: %s", strerror(errno));
			st->status = SP_EXIT_DATA;
			free(key);
			return NULL;
		}
		s = s3_request(st, "GET", key, NULL, NULL, 0, NULL, fp, &body);
		if (s != 200) {
			if (s > 0) {
				/* The error body went to the file: read it back for the message. */
				char tmp[4096];
				size_t n;

				rewind(fp);
				n = fread(tmp, 1, sizeof tmp - 1, fp);
				sp_buf_reset(&body);
				sp_buf_add(&body, tmp, n);
				s3_error(st, "GET", key, s, &body);
			}
			st->status = SP_EXIT_UPSTREAM;
			fclose(fp);
			fp = NULL;
		} else if (fflush(fp) != 0) {
			sp_warn("temporary file: %s", strerror(errno));
			st->status = SP_EXIT_DATA;
			fclose(fp);
			fp = NULL;
		} else {
			rewind(fp);
		}
		sp_buf_free(&body);
		free(key);
		return fp;
	}
}
