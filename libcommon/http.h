/* http.h: the HTTP client of every tool: libcurl with retries, rate limits, token refresh. */
#ifndef SP_HTTP_H
#define SP_HTTP_H

#include <jv.h>

struct sp_auth;
struct sp_http;

/*
 * The retry policy, one for every HTTP client (the API client below and
 * the S3 store): how many attempts a request gets, the backoff between
 * them, the server's Retry-After honoured up to a cap, and a bound on
 * the time one request spends waiting in all.  sp_retry_init reads:
 *   SP_HTTP_ATTEMPTS     5     attempts for one request (1 to 100)
 *   SP_HTTP_BACKOFF_MS   500   base of the exponential backoff; the delay
 *                              before attempt n+1 is uniform in
 *                              [0, min(30 s, base * 2^(n-1))] (full jitter)
 *   SP_RETRY_AFTER_MAX   120   longest Retry-After (seconds) waited for;
 *                              a longer one stops the request
 *   SP_RETRY_WAIT_MAX    300   seconds one request may wait in all
 * A bad value is a usage error (exit 2) naming the variable.
 */
struct sp_retry {
	int attempts;
	long backoff_ms;
	long retry_after_max;	/* seconds */
	long wait_max_ms;
	long waited_ms;		/* by the current request (sp_retry_begin) */
	unsigned int seed;	/* the jitter's */
};

/* Why sp_retry_wait gives up. */
enum {
	SP_RETRY_AGAIN = 0,	/* waited: make the next attempt */
	SP_RETRY_ATTEMPTS,	/* the attempts are spent */
	SP_RETRY_CAP,		/* Retry-After is over SP_RETRY_AFTER_MAX */
	SP_RETRY_WAITED		/* the next wait would pass SP_RETRY_WAIT_MAX */
};

void sp_retry_init(struct sp_retry *r);
/* sp_retry_begin: a new request; its waits start from zero. */
void sp_retry_begin(struct sp_retry *r);
/*
 * sp_retry_wait: attempt (from 1) has failed in a way worth retrying;
 * retry_after is the server's Retry-After in seconds, or -1 for none
 * (then the backoff applies).  Sleeps and returns SP_RETRY_AGAIN, or
 * returns why not without sleeping.
 */
int sp_retry_wait(struct sp_retry *r, int attempt, long retry_after);

/*
 * Settings, read from the environment by sp_http_new:
 *   SP_API_BASE          https://api.spotify.com/v1
 *   SP_ACCOUNTS_BASE     https://accounts.spotify.com
 *   SP_HTTP_TIMEOUT      30    seconds for one attempt (decimals allowed)
 *   SP_HTTP_CONNECT_TIMEOUT 10 seconds to connect
 *   the retry policy (struct sp_retry above) for 5xx, timeouts, resets,
 *                              dropped connections and 429
 *   SP_REQUEST_BUDGET    1500  API requests one process may make (every
 *                              attempt counts; 0 = no limit); then each
 *                              request fails with sp_http_budget_spent()
 * TLS peer and host verification are always on.
 */
struct sp_http *sp_http_new(void);
/* sp_http_free: frees h and all it owns; an auth set on it stays the caller's. */
void sp_http_free(struct sp_http *h);

/* Requests through sp_http_api carry a's access token and refresh it when
 * it is about to expire or answers 401 (once a request).  a is borrowed. */
void sp_http_set_auth(struct sp_http *h, struct sp_auth *a);

/* The base URLs, without a final '/'; owned by h. */
const char *sp_http_api_base(const struct sp_http *h);
const char *sp_http_accounts_base(const struct sp_http *h);

/* The outcome of a request. */
enum {
	SP_HTTP_OK = 0,		/* 2xx; *out is the parsed body (jv_null if empty) */
	SP_HTTP_REFUSED = 1,	/* a 4xx the caller may handle (400, 403, 404...):
				 * sp_http_status(), sp_http_error(); *out is
				 * the parsed error body or jv_null */
	SP_HTTP_FAILED = -1	/* gave up (retries spent, rate limit over the
				 * cap, QUOTA_EXCEEDED, malformed JSON, refused
				 * refresh token): sp_http_error() and
				 * sp_http_hint() say why; *out is jv_invalid */
};

/*
 * sp_http_api: one API call.  url is absolute ("http..." e.g. a next link)
 * or a path appended to the API base ("/me/tracks?limit=50").  body is a
 * JSON value to send, or jv_invalid() for none; it is consumed.  The caller
 * owns *out.  Returns SP_HTTP_OK, SP_HTTP_REFUSED or SP_HTTP_FAILED.
 */
int sp_http_api(struct sp_http *h, const char *method, const char *url, jv body, jv *out);

/*
 * sp_http_form: POST form (application/x-www-form-urlencoded) to url
 * (absolute, or a path appended to the accounts base), without a token;
 * for the token endpoint.  Same outcomes as sp_http_api.
 */
int sp_http_form(struct sp_http *h, const char *url, const char *form, jv *out);

/* The HTTP status of the last answer (0 when there was none). */
long sp_http_status(const struct sp_http *h);
/* The last failure, one line without the program name: "GET /me: HTTP 503
 * after 5 attempts".  Owned by h; never holds a token. */
const char *sp_http_error(const struct sp_http *h);
/* A hint for the last failure ("run 'sp-auth login' again"), or NULL. */
const char *sp_http_hint(const struct sp_http *h);
/* Sets the failure message (and hint, or NULL) for the next sp_http_error. */
void sp_http_set_error(struct sp_http *h, const char *hint, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Prints the last failure (and its hint), notes it (sp_http_note_failure)
 * and exits 3; stdout is flushed by the exit, so what was written is kept. */
void sp_http_die(const struct sp_http *h) __attribute__((noreturn));
/* Writes the last failure as one line "TIME PROG: MESSAGE[; hint: HINT]"
 * to <state dir>/upstream-failure (what 'pipeline.sh status' shows);
 * sp_http_clear_failure removes it after a run that reached Spotify. */
void sp_http_note_failure(const struct sp_http *h);
void sp_http_clear_failure(void);

/* The request budget (SP_REQUEST_BUDGET): sets it (0 = no limit), the
 * requests made so far, whether a request was refused for want of it. */
void sp_http_set_budget(struct sp_http *h, long budget);
long sp_http_requests(const struct sp_http *h);
/*
 * sp_http_share_budget: the budget is the run's, not this process's: the
 * file at path (SP_RUN_BUDGET; NULL or "" leaves the budget alone) holds
 * "USED of BUDGET", the requests every process sharing it has made; each
 * request takes one under flock(path + ".lock") and rewrites it by a
 * rename.  A file that cannot be read, written or parsed ends the tool
 * (exit 1, the file named).
 */
void sp_http_share_budget(struct sp_http *h, const char *path);
int sp_http_budget_spent(const struct sp_http *h);
/* Whether the user was found not to be on the app's allowlist (a 403 with
 * Spotify's "not registered" message, on /me, or on every call so far);
 * such a request is SP_HTTP_FAILED, not SP_HTTP_REFUSED. */
int sp_http_not_registered(const struct sp_http *h);

/* sp_http_escape: s percent-encoded for a URL or form; the caller frees it. */
char *sp_http_escape(const char *s);

/* sp_http_next: the "next" link of a paging object page (borrowed) as a new
 * string the caller frees, or NULL at the last page. */
char *sp_http_next(jv page);

#endif
