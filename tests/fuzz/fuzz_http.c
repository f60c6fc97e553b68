/* fuzz_http.c: http.c's reading of an answer (status, headers, JSON body, error body) and the paging of sp-fetch. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "buf.h"
#include "http.h"
#include "ndjson.h"
#include "fuzz.h"

/*
 * A one-connection-at-a-time server on 127.0.0.1 answers every request
 * with the bytes in answer, then closes: the client is the real one
 * (libcurl through sp_http_api), so the harness needs nothing private.
 */
static int lfd = -1, port;
static struct sp_buf answer;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;

static void *
serve(void *arg)
{
	char req[8192];
	ssize_t n;
	size_t have, off;
	int c;

	for (;;) {
		if ((c = accept(lfd, NULL, NULL)) < 0)
			continue;
		/* The request: up to the blank line (a GET has no body). */
		for (have = 0; have < sizeof req - 1; have += (size_t)n) {
			if ((n = read(c, req + have, sizeof req - 1 - have)) <= 0)
				break;
			req[have + (size_t)n] = '\0';
			if (strstr(req, "\r\n\r\n") != NULL)
				break;
		}
		pthread_mutex_lock(&mu);
		for (off = 0; off < answer.len; off += (size_t)n)
			if ((n = write(c, answer.data + off, answer.len - off)) <= 0)
				break;
		pthread_mutex_unlock(&mu);
		shutdown(c, SHUT_WR);
		while (read(c, req, sizeof req) > 0)
			;
		close(c);
	}
	return arg;
}

static void
start(void)
{
	struct sockaddr_in a;
	socklen_t alen = sizeof a;
	pthread_t t;
	char base[64];

	memset(&a, 0, sizeof a);
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if ((lfd = socket(AF_INET, SOCK_STREAM, 0)) < 0 || bind(lfd, (void *)&a, sizeof a) != 0 ||
	    listen(lfd, 16) != 0 || getsockname(lfd, (void *)&a, &alen) != 0)
		abort();
	port = ntohs(a.sin_port);
	snprintf(base, sizeof base, "http://127.0.0.1:%d/v1", port);
	/* One attempt, no waits: every answer is read once. */
	setenv("SP_API_BASE", base, 1);
	setenv("SP_HTTP_ATTEMPTS", "1", 1);
	setenv("SP_HTTP_BACKOFF_MS", "0", 1);
	setenv("SP_RETRY_AFTER_MAX", "0", 1);
	setenv("SP_HTTP_TIMEOUT", "5", 1);
	if (pthread_create(&t, NULL, serve, NULL) != 0)
		abort();
	pthread_detach(t);
}

/*
 * The first byte picks the status; up to the first blank line come header
 * lines, then the body.  On a 2xx the body is a page as sp-fetch reads
 * it: its "items" and its "next" link.
 */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int status[] = { 200, 201, 204, 400, 401, 403, 404, 429,
	    500, 502, 503, 200, 200, 200, 200, 200 };
	static struct sp_http *h;
	const uint8_t *body, *end = data + size, *p;
	jv out, items;
	char *next;
	int rc, i, n;

	if (lfd < 0)
		start();
	if (h == NULL)
		h = sp_http_new();
	if (size < 1)
		return 0;
	for (body = data + 1; body < end; body++)
		if (*body == '\n' && body + 1 < end && body[1] == '\n')
			break;
	pthread_mutex_lock(&mu);
	sp_buf_reset(&answer);
	sp_buf_printf(&answer, "HTTP/1.1 %d Fuzz\r\nConnection: close\r\n", status[data[0] & 15]);
	for (p = data + 1; p < body; p++)
		if (*p == '\n')
			sp_buf_add(&answer, "\r\n", 2);
		else if (*p != '\r' && *p != '\0')
			sp_buf_addc(&answer, (char)*p);
	if (body > data + 1)
		sp_buf_add(&answer, "\r\n", 2);
	body = body < end ? body + 2 : end;
	if (body > end)
		body = end;
	sp_buf_printf(&answer, "Content-Length: %zu\r\n\r\n", (size_t)(end - body));
	sp_buf_add(&answer, body, (size_t)(end - body));
	pthread_mutex_unlock(&mu);

	rc = sp_http_api(h, "GET", "/me/tracks?limit=50", jv_invalid(), &out);
	if (rc == SP_HTTP_OK) {
		items = sp_jv_get(out, "items");
		if (jv_get_kind(items) == JV_KIND_ARRAY) {
			n = jv_array_length(jv_copy(items));
			for (i = 0; i < n; i++) {
				jv it = jv_array_get(jv_copy(items), i);

				jv_free(sp_jv_get(it, "played_at"));
				jv_free(it);
			}
		}
		jv_free(items);
		next = sp_http_next(out);
		free(next);
	} else if (rc == SP_HTTP_FAILED || rc == SP_HTTP_REFUSED) {
		if (sp_http_error(h) == NULL || sp_http_error(h)[0] == '\0')
			abort();	/* every failure says what */
	} else {
		abort();
	}
	jv_free(out);
	return 0;
}
