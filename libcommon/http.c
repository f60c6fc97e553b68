/* http.c: libcurl with timeouts, retries with backoff and jitter, Retry-After, token refresh. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/file.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "auth.h"
#include "buf.h"
#include "config.h"
#include "diag.h"
#include "http.h"
#include "ndjson.h"
#include "paths.h"

/* An answer larger than this is an error, not an allocation. */
#define BODY_MAX (64u << 20)
/* The longest backoff delay, whatever the attempt. */
#define BACKOFF_CAP_MS 30000L
/* 403s in a row, with no call answered, that mean the user is not on the
 * app's allowlist rather than one endpoint refused. */
#define ALLOWLIST_403S 3
#define ALLOWLIST_HINT "add your Spotify account in the app's dashboard " \
	"(developer.spotify.com/dashboard, the app, Settings, Users and Access), then rerun"

struct sp_http {
	CURL *curl;
	char *api_base, *accounts_base;
	long timeout_ms, connect_ms;
	struct sp_retry retry;
	long budget;		/* API requests allowed; 0 = no limit */
	long requests;		/* API requests made */
	char *budget_path;	/* the run's shared count (SP_RUN_BUDGET), or NULL */
	int budget_lock;	/* budget_path + ".lock", open; -1 if none */
	int budget_spent;
	long answered;		/* API calls answered 2xx */
	int forbidden;		/* 403s since the last 2xx */
	int not_registered;
	struct sp_auth *auth;
	struct sp_buf body;
	long status;
	long retry_after;	/* seconds from the last answer; -1 if none */
	char location[512];	/* where a 3xx answer pointed; "" if none */
	int too_big;
	char err[1024];
	char hint[256];
};

static long
env_ms(const char *name, double def_s, double scale)
{
	const char *v = getenv(name);
	char *end;
	double d;

	if (v == NULL || *v == '\0')
		return (long)(def_s * scale);
	errno = 0;
	d = strtod(v, &end);
	if (errno != 0 || *end != '\0' || d < 0 || d > 1e7)
		sp_die(SP_EXIT_USAGE, "%s: not a number: '%s'", name, v);
	return (long)(d * scale);
}

static char *
base_from_env(const char *name, const char *def)
{
	const char *v = getenv(name);
	char *s = sp_xstrdup(v != NULL && *v != '\0' ? v : def);
	size_t n = strlen(s);

	while (n > 0 && s[n - 1] == '/')
		s[--n] = '\0';
	if (strncmp(s, "https://", 8) != 0 && strncmp(s, "http://", 7) != 0)
		sp_die(SP_EXIT_USAGE, "%s: not an http(s) URL: '%s'", name, s);
	return s;
}

struct sp_http *
sp_http_new(void)
{
	static int global_done;
	struct sp_http *h = sp_xcalloc(1, sizeof *h);

	if (!global_done) {
		if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
			sp_die(SP_EXIT_UPSTREAM, "libcurl: initialisation failed");
		global_done = 1;
	}
	if ((h->curl = curl_easy_init()) == NULL)
		sp_die(SP_EXIT_UPSTREAM, "libcurl: initialisation failed");
	h->api_base = base_from_env("SP_API_BASE", "https://api.spotify.com/v1");
	h->accounts_base = base_from_env("SP_ACCOUNTS_BASE", "https://accounts.spotify.com");
	h->timeout_ms = env_ms("SP_HTTP_TIMEOUT", 30, 1000);
	h->connect_ms = env_ms("SP_HTTP_CONNECT_TIMEOUT", 10, 1000);
	sp_retry_init(&h->retry);
	h->budget = env_ms("SP_REQUEST_BUDGET", 1500, 1);
	h->retry_after = -1;
	h->budget_lock = -1;
	return h;
}

void
sp_http_free(struct sp_http *h)
{
	if (h == NULL)
		return;
	curl_easy_cleanup(h->curl);
	free(h->api_base);
	free(h->accounts_base);
	free(h->budget_path);
	if (h->budget_lock >= 0)
		close(h->budget_lock);
	sp_buf_free(&h->body);
	free(h);
}

void
sp_http_set_auth(struct sp_http *h, struct sp_auth *a)
{
	h->auth = a;
}

const char *
sp_http_api_base(const struct sp_http *h)
{
	return h->api_base;
}

const char *
sp_http_accounts_base(const struct sp_http *h)
{
	return h->accounts_base;
}

long
sp_http_status(const struct sp_http *h)
{
	return h->status;
}

const char *
sp_http_error(const struct sp_http *h)
{
	return h->err;
}

const char *
sp_http_hint(const struct sp_http *h)
{
	return h->hint[0] != '\0' ? h->hint : NULL;
}

void
sp_http_set_error(struct sp_http *h, const char *hint, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(h->err, sizeof h->err, fmt, ap);
	va_end(ap);
	sp_redact(h->err, sizeof h->err);
	snprintf(h->hint, sizeof h->hint, "%s", hint != NULL ? hint : "");
}

void
sp_http_set_budget(struct sp_http *h, long budget)
{
	h->budget = budget;
}

void
sp_http_share_budget(struct sp_http *h, const char *path)
{
	struct sp_buf lock = {0};

	if (path == NULL || *path == '\0')
		return;
	free(h->budget_path);
	h->budget_path = sp_xstrdup(path);
	sp_buf_printf(&lock, "%s.lock", path);
	if (h->budget_lock >= 0)
		close(h->budget_lock);
	if ((h->budget_lock = open(lock.data, O_RDWR | O_CREAT | O_CLOEXEC, 0644)) < 0)
		sp_die(SP_EXIT_DATA, "%s: %s", lock.data, strerror(errno));
	sp_buf_free(&lock);
}

/* The requests used so far by the run: the first number of the file. */
static long
shared_used(const char *path)
{
	char *text, *end;
	long used;

	if ((text = sp_read_file(path, 4096, NULL)) == NULL) {
		if (errno == ENOENT)
			return 0;
		sp_die(SP_EXIT_DATA, "%s: %s", path, strerror(errno));
	}
	errno = 0;
	used = strtol(text, &end, 10);
	if (end == text || errno != 0 || used < 0 || (*end != '\0' && *end != ' ' && *end != '\n')) {
		text[strcspn(text, "\n")] = '\0';
		sp_die(SP_EXIT_DATA, "%s: not a count of requests: '%.40s'", path, text);
	}
	free(text);
	return used;
}

/*
 * Takes one request from the run's shared budget: under the lock, reads
 * the count, and when the budget allows writes it back one higher as
 * "USED of BUDGET" (a new file renamed over the old one, so a reader
 * never sees half of it).  Returns 1 when taken, 0 when spent.
 */
static int
take_shared(struct sp_http *h)
{
	struct sp_buf tmp = {0};
	char line[64];
	long used;
	int n, fd, taken;

	if (flock(h->budget_lock, LOCK_EX) != 0)
		sp_die(SP_EXIT_DATA, "%s.lock: %s", h->budget_path, strerror(errno));
	used = shared_used(h->budget_path);
	taken = h->budget == 0 || used < h->budget;
	if (taken) {
		n = snprintf(line, sizeof line, "%ld of %ld\n", used + 1, h->budget);
		sp_buf_printf(&tmp, "%s.tmp", h->budget_path);
		fd = open(tmp.data, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		if (fd < 0 || write(fd, line, (size_t)n) != n || close(fd) != 0 ||
		    rename(tmp.data, h->budget_path) != 0)
			sp_die(SP_EXIT_DATA, "%s: %s", h->budget_path, strerror(errno ? errno : EIO));
		sp_buf_free(&tmp);
	}
	(void)flock(h->budget_lock, LOCK_UN);
	return taken;
}

/* Whether one more API request is within the budget (and takes it). */
static int
within_budget(struct sp_http *h)
{
	if (h->budget_path != NULL)
		return take_shared(h);
	return h->budget == 0 || h->requests < h->budget;
}

long
sp_http_requests(const struct sp_http *h)
{
	return h->requests;
}

int
sp_http_budget_spent(const struct sp_http *h)
{
	return h->budget_spent;
}

int
sp_http_not_registered(const struct sp_http *h)
{
	return h->not_registered;
}

/* The state dir's upstream-failure file: its path, the caller frees it. */
static char *
failure_path(void)
{
	char *dir = sp_conf_state_dir(), *p = sp_conf_join(dir, "upstream-failure");

	free(dir);
	return p;
}

void
sp_http_note_failure(const struct sp_http *h)
{
	struct sp_buf b = {0};
	char at[32], *path, *slash;
	time_t t = time(NULL);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(at, sizeof at, "%Y-%m-%dT%H:%M:%SZ", &tm);
	sp_buf_printf(&b, "%s %s: %s%s%s\n", at, sp_progname, h->err,
	    h->hint[0] != '\0' ? "; hint: " : "", h->hint);
	path = failure_path();
	if ((slash = strrchr(path, '/')) != NULL) {
		*slash = '\0';
		(void)sp_mkdirs(path, 0755);
		*slash = '/';
	}
	/* Best effort: the failure is reported on stderr either way. */
	(void)sp_conf_write_atomic(path, b.data, b.len, 0644);
	free(path);
	sp_buf_free(&b);
}

void
sp_http_clear_failure(void)
{
	char *path = failure_path();

	(void)unlink(path);
	free(path);
}

void
sp_http_die(const struct sp_http *h)
{
	sp_warn("%s", h->err);
	if (h->hint[0] != '\0')
		sp_hint("%s", h->hint);
	sp_http_note_failure(h);
	exit(SP_EXIT_UPSTREAM);
}

char *
sp_http_escape(const char *s)
{
	struct sp_buf b = {0};
	const unsigned char *p;

	sp_buf_grow(&b, strlen(s) + 1);
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (isalnum(*p) || *p == '-' || *p == '.' || *p == '_' || *p == '~')
			sp_buf_addc(&b, (char)*p);
		else
			sp_buf_printf(&b, "%%%02X", *p);
	}
	return sp_buf_detach(&b, NULL);
}

char *
sp_http_next(jv page)
{
	jv n = sp_jv_get(page, "next");
	char *s = NULL;

	if (jv_get_kind(n) == JV_KIND_STRING && jv_string_length_bytes(jv_copy(n)) > 0)
		s = sp_xstrdup(jv_string_value(n));
	jv_free(n);
	return s;
}

static size_t
on_body(char *p, size_t size, size_t n, void *arg)
{
	struct sp_http *h = arg;

	if (h->body.len + n > BODY_MAX) {
		h->too_big = 1;
		return 0;
	}
	sp_buf_add(&h->body, p, n * size);
	return n * size;
}

static size_t
on_header(char *p, size_t size, size_t n, void *arg)
{
	struct sp_http *h = arg;
	size_t len = n * size;
	char v[64];

	if (len > 12 && strncasecmp(p, "Retry-After:", 12) == 0) {
		size_t k = len - 12 < sizeof v - 1 ? len - 12 : sizeof v - 1;
		char *end;
		long s;

		memcpy(v, p + 12, k);
		v[k] = '\0';
		errno = 0;
		s = strtol(v, &end, 10);
		while (isspace((unsigned char)*end))
			end++;
		/* An HTTP date or garbage counts as absent: back off instead. */
		h->retry_after = errno == 0 && *end == '\0' && s >= 0 ? s : -1;
	}
	return len;
}

/* The URL as shown in messages: relative to the API or accounts base. */
static const char *
shown(const struct sp_http *h, const char *url)
{
	size_t n = strlen(h->api_base), m = strlen(h->accounts_base);

	if (strncmp(url, h->api_base, n) == 0 && url[n] == '/')
		return url + n;
	if (strncmp(url, h->accounts_base, m) == 0 && url[m] == '/')
		return url + m;
	return url;
}

static void
sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

/* ---- the retry policy ---- */

void
sp_retry_init(struct sp_retry *r)
{
	memset(r, 0, sizeof *r);
	r->backoff_ms = env_ms("SP_HTTP_BACKOFF_MS", 500, 1);
	r->retry_after_max = env_ms("SP_RETRY_AFTER_MAX", 120, 1);
	r->wait_max_ms = env_ms("SP_RETRY_WAIT_MAX", 300, 1000);
	r->attempts = (int)env_ms("SP_HTTP_ATTEMPTS", 5, 1);
	if (r->attempts < 1)
		r->attempts = 1;
	if (r->attempts > 100)
		r->attempts = 100;
	if (getrandom(&r->seed, sizeof r->seed, 0) != (ssize_t)sizeof r->seed)
		r->seed = (unsigned int)time(NULL) ^ (unsigned int)getpid();
}

void
sp_retry_begin(struct sp_retry *r)
{
	r->waited_ms = 0;
}

int
sp_retry_wait(struct sp_retry *r, int attempt, long retry_after)
{
	long top = r->backoff_ms, ms;
	int i;

	if (retry_after > r->retry_after_max)
		return SP_RETRY_CAP;
	if (attempt >= r->attempts)
		return SP_RETRY_ATTEMPTS;
	if (retry_after >= 0) {
		ms = retry_after * 1000;
	} else {
		/* Full jitter: uniform in [0, min(cap, base * 2^(attempt-1))]. */
		for (i = 1; i < attempt && top < BACKOFF_CAP_MS; i++)
			top *= 2;
		if (top > BACKOFF_CAP_MS)
			top = BACKOFF_CAP_MS;
		ms = top > 0 ? (long)((double)rand_r(&r->seed) / RAND_MAX * (double)top) : 0;
	}
	if (r->waited_ms + ms > r->wait_max_ms)
		return SP_RETRY_WAITED;
	if (ms > 0)
		sleep_ms(ms);
	r->waited_ms += ms;
	return SP_RETRY_AGAIN;
}

static int
retryable(CURLcode rc)
{
	switch (rc) {
	case CURLE_OPERATION_TIMEDOUT:
	case CURLE_GOT_NOTHING:
	case CURLE_RECV_ERROR:
	case CURLE_SEND_ERROR:
	case CURLE_COULDNT_CONNECT:
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_PARTIAL_FILE:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
		return 1;
	default:
		return 0;
	}
}

/* One attempt: the answer's status in h->status and body in h->body. */
static CURLcode
perform(struct sp_http *h, const char *method, const char *url,
    const char *ctype, const char *data, const char *token)
{
	struct curl_slist *hdr = NULL;
	struct sp_buf line = {0};
	CURLcode rc;
	CURL *c = h->curl;

	curl_easy_reset(c);
	sp_buf_reset(&h->body);
	h->status = 0;
	h->retry_after = -1;
	h->too_big = 0;
	h->location[0] = '\0';
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	/* A redirect is never followed: it would carry the token elsewhere. */
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, h->timeout_ms);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, h->connect_ms);
	curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(c, CURLOPT_USERAGENT, "sp/" SP_VERSION);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, h);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, h);
	curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
	hdr = curl_slist_append(hdr, "Accept: application/json");
	if (token != NULL) {
		sp_buf_printf(&line, "Authorization: Bearer %s", token);
		hdr = curl_slist_append(hdr, line.data);
		/* The header line holds the token: wipe our copy. */
		memset(line.data, 0, line.len);
		sp_buf_free(&line);
	}
	if (data != NULL) {
		sp_buf_printf(&line, "Content-Type: %s", ctype);
		hdr = curl_slist_append(hdr, line.data);
		sp_buf_free(&line);
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, data);
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)strlen(data));
	} else if (strcmp(method, "GET") != 0) {
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, "");
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, 0L);
	}
	if (hdr == NULL)
		sp_die(SP_EXIT_DATA, "out of memory");
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdr);
	rc = curl_easy_perform(c);
	if (rc == CURLE_OK) {
		char *to = NULL;

		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &h->status);
		if (curl_easy_getinfo(c, CURLINFO_REDIRECT_URL, &to) == CURLE_OK && to != NULL)
			snprintf(h->location, sizeof h->location, "%s", to);
	}
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, NULL);
	curl_slist_free_all(hdr);
	return rc;
}

/* The message of an error body: error.message, error_description, or error. */
static void
error_text(jv body, char *out, size_t cap, char *reason, size_t rcap)
{
	jv e = sp_jv_get(body, "error"), m;

	out[0] = '\0';
	if (reason != NULL)
		reason[0] = '\0';
	if (jv_get_kind(e) == JV_KIND_OBJECT) {
		m = sp_jv_get(e, "message");
		if (jv_get_kind(m) == JV_KIND_STRING)
			snprintf(out, cap, "%s", jv_string_value(m));
		jv_free(m);
		m = sp_jv_get(e, "reason");
		if (reason != NULL && jv_get_kind(m) == JV_KIND_STRING)
			snprintf(reason, rcap, "%s", jv_string_value(m));
		jv_free(m);
	} else if (jv_get_kind(e) == JV_KIND_STRING) {
		m = sp_jv_get(body, "error_description");
		if (jv_get_kind(m) == JV_KIND_STRING)
			snprintf(out, cap, "%s: %s", jv_string_value(e), jv_string_value(m));
		else
			snprintf(out, cap, "%s", jv_string_value(e));
		jv_free(m);
	}
	jv_free(e);
}

/* The body as JSON: jv_null when empty, jv_invalid when not JSON. */
static jv
parse_body(struct sp_http *h)
{
	size_t i;

	for (i = 0; i < h->body.len && isspace((unsigned char)h->body.data[i]); i++)
		;
	if (i == h->body.len)
		return jv_null();
	return sp_jv_parse(h->body.data, h->body.len);
}

/*
 * Whether url has the scheme, host and port of base (default ports made
 * explicit): the access token goes to the configured API only, never to a
 * "next" link that points elsewhere.
 */
static int
same_origin(const char *url, const char *base)
{
	static const CURLUPart part[] = { CURLUPART_SCHEME, CURLUPART_HOST, CURLUPART_PORT };
	CURLU *a = curl_url(), *b = curl_url();
	char *x, *y;
	size_t i;
	int same = a != NULL && b != NULL &&
	    curl_url_set(a, CURLUPART_URL, url, 0) == CURLUE_OK &&
	    curl_url_set(b, CURLUPART_URL, base, 0) == CURLUE_OK;

	for (i = 0; same && i < sizeof part / sizeof part[0]; i++) {
		x = y = NULL;
		same = curl_url_get(a, part[i], &x, CURLU_DEFAULT_PORT) == CURLUE_OK &&
		    curl_url_get(b, part[i], &y, CURLU_DEFAULT_PORT) == CURLUE_OK &&
		    strcasecmp(x, y) == 0;
		curl_free(x);
		curl_free(y);
	}
	curl_url_cleanup(a);
	curl_url_cleanup(b);
	return same;
}

/*
 * Attempt failed in a way worth retrying: failure says how ("HTTP 503",
 * a libcurl message), NULL for a 429.  Waits as the retry policy says
 * and returns 1, or sets the error and returns 0.
 */
static int
again(struct sp_http *h, int attempt, const char *method, const char *what,
    const char *failure, long retry_after)
{
	switch (sp_retry_wait(&h->retry, attempt, retry_after)) {
	case SP_RETRY_AGAIN:
		return 1;
	case SP_RETRY_CAP:
		sp_http_set_error(h, "rerun later; SP_RETRY_AFTER_MAX raises the cap",
		    "%s %s: %s: Retry-After of %ld s is over the cap of %ld s", method, what,
		    failure != NULL ? failure : "HTTP 429", retry_after, h->retry.retry_after_max);
		break;
	case SP_RETRY_WAITED:
		sp_http_set_error(h, "rerun later; SP_RETRY_WAIT_MAX raises the bound",
		    "%s %s: %s: gave up after %d attempts and %ld s of waiting (the bound is %ld s)",
		    method, what, failure != NULL ? failure : "HTTP 429", attempt,
		    h->retry.waited_ms / 1000, h->retry.wait_max_ms / 1000);
		break;
	default:
		if (failure == NULL)
			sp_http_set_error(h, "rerun later", "%s %s: HTTP 429: still rate limited after %d attempts",
			    method, what, attempt);
		else if (attempt > 1)
			sp_http_set_error(h, NULL, "%s %s: %s after %d attempts", method, what, failure, attempt);
		else
			sp_http_set_error(h, NULL, "%s %s: %s", method, what, failure);
	}
	return 0;
}

static int
request(struct sp_http *h, const char *method, const char *url, const char *ctype,
    const char *data, int with_token, jv *out)
{
	char full[4096], msg[512], reason[64];
	int attempt, refreshed = 0;
	const char *what;
	CURLcode rc;
	jv body;

	*out = jv_invalid();
	if (strncmp(url, "http://", 7) == 0 || strncmp(url, "https://", 8) == 0)
		snprintf(full, sizeof full, "%s", url);
	else
		snprintf(full, sizeof full, "%s%s", with_token ? h->api_base : h->accounts_base, url);
	what = shown(h, full);
	if (with_token && !same_origin(full, h->api_base)) {
		sp_http_set_error(h, NULL, "%s %s: not on the API base %s: the access token is not sent there",
		    method, full, h->api_base);
		return SP_HTTP_FAILED;
	}
	if (with_token && h->auth != NULL && h->auth->expires_at - 60 <= (long long)time(NULL)) {
		if (sp_auth_refresh(h->auth, h) != 0)
			return SP_HTTP_FAILED;
		refreshed = 1;
	}
	sp_retry_begin(&h->retry);
	for (attempt = 1;; attempt++) {
		if (with_token && !within_budget(h)) {
			h->budget_spent = 1;
			sp_http_set_error(h, "the next run goes on from here; SP_REQUEST_BUDGET raises the budget",
			    "%s %s: the request budget of %ld%s is spent", method, what, h->budget,
			    h->budget_path != NULL ? " for the run" : "");
			return SP_HTTP_FAILED;
		}
		if (with_token)
			h->requests++;
		rc = perform(h, method, full, ctype, data,
		    with_token && h->auth != NULL ? h->auth->access_token : NULL);
		if (rc != CURLE_OK) {
			if (h->too_big) {
				sp_http_set_error(h, NULL, "%s %s: the answer is over %u bytes",
				    method, what, BODY_MAX);
				return SP_HTTP_FAILED;
			}
			if (!retryable(rc)) {
				sp_http_set_error(h, NULL, "%s %s: %s", method, what, curl_easy_strerror(rc));
				return SP_HTTP_FAILED;
			}
			if (again(h, attempt, method, what, curl_easy_strerror(rc), -1))
				continue;
			return SP_HTTP_FAILED;
		}
		if (h->status == 429) {
			body = parse_body(h);
			error_text(body, msg, sizeof msg, reason, sizeof reason);
			jv_free(body);
			if (strcmp(reason, "QUOTA_EXCEEDED") == 0) {
				sp_http_set_error(h, "the app's quota is spent: rerun later",
				    "%s %s: HTTP 429: quota exceeded (QUOTA_EXCEEDED)", method, what);
				return SP_HTTP_FAILED;
			}
			if (again(h, attempt, method, what, NULL, h->retry_after))
				continue;
			return SP_HTTP_FAILED;
		}
		if (h->status >= 500) {
			snprintf(msg, sizeof msg, "HTTP %ld", h->status);
			if (again(h, attempt, method, what, msg, h->retry_after))
				continue;
			return SP_HTTP_FAILED;
		}
		if (h->status == 401 && with_token && h->auth != NULL && !refreshed) {
			if (sp_auth_refresh(h->auth, h) != 0)
				return SP_HTTP_FAILED;
			refreshed = 1;
			attempt--;	/* the refresh is not a failed attempt */
			continue;
		}
		body = parse_body(h);
		if (with_token && h->status >= 200 && h->status < 300) {
			h->answered++;
			h->forbidden = 0;
		}
		if (h->status >= 200 && h->status < 300) {
			if (!jv_is_valid(body)) {
				jv m = jv_invalid_get_msg(body);
				sp_http_set_error(h, NULL, "%s %s: the answer is not valid JSON: %s", method, what,
				    jv_get_kind(m) == JV_KIND_STRING ? jv_string_value(m) : "parse error");
				jv_free(m);
				return SP_HTTP_FAILED;
			}
			*out = body;
			return SP_HTTP_OK;
		}
		if (!jv_is_valid(body)) {
			jv_free(body);
			body = jv_null();
		}
		error_text(body, msg, sizeof msg, NULL, 0);
		if (h->status == 401) {
			jv_free(body);
			sp_http_set_error(h, "run 'sp-auth login' again", "%s %s: HTTP 401%s%s", method, what,
			    msg[0] ? ": " : "", msg);
			return SP_HTTP_FAILED;
		}
		/*
		 * A user missing from a Development-Mode app's allowlist gets 403
		 * on every call: Spotify's message says so, /me (never refused
		 * otherwise) is refused, or several calls in a row are, with none
		 * answered.  Not an endpoint to skip: stop with the fix.
		 */
		if (h->status == 403 && with_token &&
		    (strstr(msg, "may not be registered") != NULL || strcmp(what, "/me") == 0 ||
		    (h->answered == 0 && ++h->forbidden >= ALLOWLIST_403S))) {
			jv_free(body);
			h->not_registered = 1;
			sp_http_set_error(h, ALLOWLIST_HINT,
			    "%s %s: HTTP 403: the user is not registered for this app (not on its allowlist)%s%s",
			    method, what, msg[0] ? ": " : "", msg);
			return SP_HTTP_FAILED;
		}
		if (h->status >= 300 && h->status < 400) {
			/* Whoever answers a redirect is not the API: an upstream failure. */
			jv_free(body);
			sp_http_set_error(h, NULL, "%s %s: HTTP %ld: a redirect%s%s is not followed",
			    method, what, h->status, h->location[0] ? " to " : "", h->location);
			return SP_HTTP_FAILED;
		}
		sp_http_set_error(h, NULL, "%s %s: HTTP %ld%s%s", method, what, h->status,
		    msg[0] ? ": " : "", msg);
		*out = body;
		if (h->status >= 400 && h->status < 500)
			return SP_HTTP_REFUSED;
		/* 1xx or another status curl did not resolve: nothing to handle. */
		jv_free(*out);
		*out = jv_invalid();
		return SP_HTTP_FAILED;
	}
}

int
sp_http_api(struct sp_http *h, const char *method, const char *url, jv body, jv *out)
{
	char *data = NULL;
	int rc;

	if (jv_is_valid(body)) {
		jv s = jv_dump_string(body, 0);
		data = sp_xstrdup(jv_string_value(s));
		jv_free(s);
	} else {
		jv_free(body);
	}
	rc = request(h, method, url, "application/json", data, 1, out);
	free(data);
	return rc;
}

int
sp_http_form(struct sp_http *h, const char *url, const char *form, jv *out)
{
	return request(h, "POST", url, "application/x-www-form-urlencoded", form, 0, out);
}
