/* http.c: libcurl with timeouts, retries with backoff and jitter, Retry-After, token refresh. */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
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
	long timeout_ms, connect_ms, backoff_ms, retry_after_max;
	int attempts;
	long budget;		/* API requests allowed; 0 = no limit */
	long requests;		/* API requests made */
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
	unsigned int seed;
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
	h->backoff_ms = env_ms("SP_HTTP_BACKOFF_MS", 500, 1);
	h->retry_after_max = env_ms("SP_RETRY_AFTER_MAX", 120, 1);
	h->attempts = (int)env_ms("SP_HTTP_ATTEMPTS", 5, 1);
	if (h->attempts < 1)
		h->attempts = 1;
	if (h->attempts > 100)
		h->attempts = 100;
	h->budget = env_ms("SP_REQUEST_BUDGET", 1500, 1);
	if (getrandom(&h->seed, sizeof h->seed, 0) != (ssize_t)sizeof h->seed)
		h->seed = (unsigned int)time(NULL) ^ (unsigned int)getpid();
	h->retry_after = -1;
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

/* Full jitter: uniform in [0, min(cap, base * 2^(attempt-1))]. */
static void
backoff(struct sp_http *h, int attempt)
{
	long top = h->backoff_ms;
	int i;

	for (i = 1; i < attempt && top < BACKOFF_CAP_MS; i++)
		top *= 2;
	if (top > BACKOFF_CAP_MS)
		top = BACKOFF_CAP_MS;
	if (top > 0)
		sleep_ms((long)((double)rand_r(&h->seed) / RAND_MAX * (double)top));
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
	for (attempt = 1;; attempt++) {
		if (with_token && h->budget > 0 && h->requests >= h->budget) {
			h->budget_spent = 1;
			sp_http_set_error(h, "the next run goes on from here; SP_REQUEST_BUDGET raises the budget",
			    "%s %s: the request budget of %ld is spent", method, what, h->budget);
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
			if (retryable(rc) && attempt < h->attempts) {
				backoff(h, attempt);
				continue;
			}
			sp_http_set_error(h, NULL, "%s %s: %s%s", method, what, curl_easy_strerror(rc),
			    attempt > 1 ? (snprintf(msg, sizeof msg, " after %d attempts", attempt), msg) : "");
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
			if (h->retry_after > h->retry_after_max) {
				sp_http_set_error(h, "rerun later; SP_RETRY_AFTER_MAX raises the cap",
				    "%s %s: HTTP 429: Retry-After of %ld s is over the cap of %ld s",
				    method, what, h->retry_after, h->retry_after_max);
				return SP_HTTP_FAILED;
			}
			if (attempt >= h->attempts) {
				sp_http_set_error(h, "rerun later", "%s %s: HTTP 429: still rate limited after %d attempts",
				    method, what, attempt);
				return SP_HTTP_FAILED;
			}
			if (h->retry_after >= 0)
				sleep_ms(h->retry_after * 1000);
			else
				backoff(h, attempt);
			continue;
		}
		if (h->status >= 500) {
			if (attempt < h->attempts) {
				backoff(h, attempt);
				continue;
			}
			sp_http_set_error(h, NULL, "%s %s: HTTP %ld after %d attempts", method, what,
			    h->status, attempt);
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
