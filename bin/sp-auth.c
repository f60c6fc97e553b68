/* sp-auth.c: logs in to Spotify (Authorization Code with PKCE) and reports on the stored tokens. */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <netinet/in.h>
#include <poll.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "auth.h"
#include "buf.h"
#include "config.h"
#include "diag.h"
#include "http.h"
#include "ndjson.h"
#include "opt.h"

extern char **environ;

#define SCOPES "user-read-recently-played user-library-read playlist-read-private " \
	"playlist-modify-private playlist-modify-public"
/* Under this many days left on the refresh token, status warns. */
#define WARN_DAYS 14
/* status's exit statuses beyond the common ones, for scripts
 * (pipeline.sh status): the refresh token still works but expires within
 * WARN_DAYS days; it has expired, so only a new login helps. */
#define EXIT_EXPIRING 4
#define EXIT_EXPIRED 5

static long opt_port = 8888, opt_timeout = 300;
static int opt_no_browser, opt_offline;
static const char *opt_scope = SCOPES;

static void __attribute__((noreturn))
usage(FILE *fp, int status)
{
	fputs("usage: sp-auth [options] login\n"
	    "       sp-auth status\n"
	    "       sp-auth token\n"
	    "       sp-auth logout\n"
	    "options:\n"
	    "  --no-browser     print the authorize URL only; do not start a browser\n"
	    "  --offline        status: only what the tokens file says; do not ask Spotify\n"
	    "  --port N         login: the loopback port of the redirect (default 8888; 0: any)\n"
	    "  --scope S        login: the scopes to ask for (default: what sp needs)\n"
	    "  --timeout SEC    login: how long to wait for the redirect (default 300)\n"
	    "  -h, --help       this help\n"
	    "  --version        the version\n", fp);
	exit(status);
}

/* ------------------------------------------------------------ login */

/* Decodes %XX and '+' of a query value in place. */
static void
url_decode(char *s)
{
	char *o = s;
	unsigned int c;

	for (; *s; s++) {
		if (*s == '%' && s[1] && s[2] && sscanf(s + 1, "%2x", &c) == 1) {
			*o++ = (char)c;
			s += 2;
		} else {
			*o++ = *s == '+' ? ' ' : *s;
		}
	}
	*o = '\0';
}

/* The value of key in query "a=1&b=2" as a new string, or NULL. */
static char *
query_get(const char *query, const char *key)
{
	size_t kl = strlen(key), n;
	const char *p = query;
	char *v;

	while (p != NULL && *p) {
		if (strncmp(p, key, kl) == 0 && p[kl] == '=') {
			p += kl + 1;
			n = strcspn(p, "&");
			v = memcpy(sp_xcalloc(1, n + 1), p, n);
			url_decode(v);
			return v;
		}
		p = strchr(p, '&');
		if (p != NULL)
			p++;
	}
	return NULL;
}

static void
reply(int fd, const char *status, const char *text)
{
	struct sp_buf b = {0};
	ssize_t w;
	size_t off = 0;

	sp_buf_printf(&b, "HTTP/1.1 %s\r\nContent-Type: text/html; charset=utf-8\r\n"
	    "Content-Length: %zu\r\nConnection: close\r\n\r\n%s", status, strlen(text), text);
	while (off < b.len && (w = write(fd, b.data + off, b.len - off)) > 0)
		off += (size_t)w;
	sp_buf_free(&b);
}

/* Reads the request head from fd within ms; the request line in line. */
static int
read_request(int fd, char *buf, size_t cap, int ms)
{
	struct pollfd p = { fd, POLLIN, 0 };
	size_t len = 0;
	ssize_t r;

	while (len < cap - 1) {
		if (poll(&p, 1, ms) <= 0)
			return -1;
		r = read(fd, buf + len, cap - 1 - len);
		if (r <= 0)
			return -1;
		len += (size_t)r;
		buf[len] = '\0';
		if (strstr(buf, "\r\n\r\n") != NULL || strstr(buf, "\n\n") != NULL)
			return 0;
	}
	return 0;
}

static void
open_browser(const char *url)
{
	const char *b = getenv("BROWSER");
	char *argv[3];
	pid_t pid;

	argv[0] = (char *)(b != NULL && *b ? b : "xdg-open");
	argv[1] = (char *)url;
	argv[2] = NULL;
	/* A missing browser is fine: the URL is printed for copying. */
	if (posix_spawnp(&pid, argv[0], NULL, NULL, argv, environ) == 0)
		(void)pid;
}

/*
 * Waits for GET /callback?code=..&state=.. on the listening socket ls.
 * Returns the code (a new string), or exits: 3 on a timeout, a denial or a
 * mismatched state.
 */
static char *
wait_callback(int ls, const char *state)
{
	time_t end = time(NULL) + opt_timeout;
	char req[8192], *path, *q, *code, *st, *err;
	struct pollfd p = { ls, POLLIN, 0 };
	int fd, left;

	for (;;) {
		left = (int)(end - time(NULL));
		if (left <= 0 || poll(&p, 1, left * 1000) <= 0)
			sp_die(SP_EXIT_UPSTREAM, "login: no redirect within %ld s", opt_timeout);
		if ((fd = accept(ls, NULL, NULL)) < 0)
			continue;
		if (read_request(fd, req, sizeof req, 5000) != 0 || strncmp(req, "GET ", 4) != 0) {
			close(fd);
			continue;
		}
		path = req + 4;
		path[strcspn(path, " \r\n")] = '\0';
		if (strncmp(path, "/callback", 9) != 0 || (path[9] != '?' && path[9] != '\0')) {
			reply(fd, "404 Not Found", "not found\n");
			close(fd);
			continue;
		}
		q = path[9] == '?' ? path + 10 : path + 9;
		code = query_get(q, "code");
		st = query_get(q, "state");
		err = query_get(q, "error");
		if (st == NULL || strcmp(st, state) != 0) {
			reply(fd, "400 Bad Request", "<p>sp: the state does not match; try again.</p>\n");
			close(fd);
			sp_die(SP_EXIT_UPSTREAM, "login: the redirect's state does not match (a stale or forged redirect)");
		}
		if (err != NULL || code == NULL) {
			reply(fd, "200 OK", "<p>sp: authorization was not granted.</p>\n");
			close(fd);
			sp_die(SP_EXIT_UPSTREAM, "login: authorization was not granted (%s)",
			    err != NULL ? err : "no code");
		}
		reply(fd, "200 OK", "<p>sp: logged in. You can close this tab.</p>\n");
		close(fd);
		free(st);
		return code;
	}
}

static int
cmd_login(void)
{
	char verifier[44], challenge[44], state[32], *client, *code, *e1, *e2, *e3, *e4;
	struct sockaddr_in sa;
	socklen_t sl = sizeof sa;
	struct sp_buf url = {0}, redirect = {0}, form = {0};
	struct sp_auth a;
	struct sp_http *h;
	int ls, one = 1;
	jv out, me, id;

	if ((client = sp_conf_get("client_id")) == NULL) {
		sp_warn("no client id");
		sp_hint("set SP_CLIENT_ID, or client_id = ... in $XDG_CONFIG_HOME/sp/config");
		return SP_EXIT_DATA;
	}
	h = sp_http_new();
	if ((ls = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0)
		sp_die(SP_EXIT_DATA, "socket: %s", strerror(errno));
	setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_port = htons((unsigned short)opt_port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(ls, (struct sockaddr *)&sa, sizeof sa) != 0 || listen(ls, 4) != 0)
		sp_die(SP_EXIT_DATA, "127.0.0.1:%ld: %s", opt_port, strerror(errno));
	getsockname(ls, (struct sockaddr *)&sa, &sl);
	/* Spotify accepts loopback IP literals, not "localhost". */
	sp_buf_printf(&redirect, "http://127.0.0.1:%d/callback", ntohs(sa.sin_port));
	sp_auth_pkce(verifier, challenge);
	sp_auth_random(state, 16);
	e1 = sp_http_escape(client);
	e2 = sp_http_escape(redirect.data);
	e3 = sp_http_escape(opt_scope);
	sp_buf_printf(&url, "%s/authorize?client_id=%s&response_type=code&redirect_uri=%s"
	    "&code_challenge_method=S256&code_challenge=%s&scope=%s&state=%s",
	    sp_http_accounts_base(h), e1, e2, challenge, e3, state);
	free(e3);
	printf("%s\n", url.data);
	if (fflush(stdout) != 0)
		sp_die(SP_EXIT_DATA, "write error on stdout: %s", strerror(errno));
	fprintf(stderr, "%s: open the URL above and approve; waiting up to %ld s for the redirect to %s\n",
	    sp_progname, opt_timeout, redirect.data);
	if (!opt_no_browser)
		open_browser(url.data);
	code = wait_callback(ls, state);
	close(ls);

	e3 = sp_http_escape(code);
	e4 = sp_http_escape(verifier);
	sp_buf_printf(&form, "grant_type=authorization_code&code=%s&redirect_uri=%s&client_id=%s&code_verifier=%s",
	    e3, e2, e1, e4);
	free(e1);
	free(e2);
	free(e3);
	free(e4);
	free(code);
	if (sp_http_form(h, "/api/token", form.data, &out) != SP_HTTP_OK) {
		jv_free(out);
		sp_http_set_error(h, "run 'sp-auth login' again", "login: the code exchange failed: %s",
		    sp_http_error(h));
		sp_http_die(h);
	}
	memset(&a, 0, sizeof a);
	a.path = sp_auth_path();
	a.client_id = client;
	if (sp_auth_take(&a, out) != 0)
		sp_die(SP_EXIT_UPSTREAM, "login: the token endpoint's answer has no access_token");
	jv_free(out);
	if (a.scope == NULL)
		a.scope = sp_xstrdup(opt_scope);
	a.consented_at = (long long)time(NULL);
	if (sp_auth_save(&a) != 0)
		return SP_EXIT_DATA;
	sp_http_set_auth(h, &a);
	if (sp_http_api(h, "GET", "/me", jv_invalid(), &me) != SP_HTTP_OK)
		sp_http_die(h);
	id = sp_jv_get(me, "id");
	fprintf(stderr, "%s: logged in as %s; tokens in %s\n", sp_progname,
	    jv_get_kind(id) == JV_KIND_STRING ? jv_string_value(id) : "?", a.path);
	jv_free(id);
	jv_free(me);
	sp_auth_free(&a);
	sp_http_free(h);
	sp_buf_free(&url);
	sp_buf_free(&redirect);
	memset(form.data, 0, form.len);
	sp_buf_free(&form);
	memset(verifier, 0, sizeof verifier);
	return SP_EXIT_OK;
}

/* ------------------------------------------------------------ status, token, logout */

/* status's "user:" line: GET /me (exits 3 when Spotify fails). */
static void
print_user(struct sp_auth *a)
{
	struct sp_http *h = sp_http_new();
	jv me, id, name;

	sp_http_set_auth(h, a);
	if (sp_http_api(h, "GET", "/me", jv_invalid(), &me) != SP_HTTP_OK) {
		jv_free(me);
		sp_http_die(h);
	}
	id = sp_jv_get(me, "id");
	name = sp_jv_get(me, "display_name");
	printf("user: %s", jv_get_kind(id) == JV_KIND_STRING ? jv_string_value(id) : "?");
	if (jv_get_kind(name) == JV_KIND_STRING)
		printf(" (%s)", jv_string_value(name));
	putchar('\n');
	jv_free(id);
	jv_free(name);
	jv_free(me);
	sp_http_free(h);
}

/*
 * The refresh token's expiry, on stdout and, when near or past, as a
 * warning naming what to do.  Returns status's exit status: 0 more than
 * WARN_DAYS days left, EXIT_EXPIRING fewer, EXIT_EXPIRED none.
 */
static int
print_expiry(time_t exp, time_t now)
{
	char day[32];
	struct tm tm;
	long days;

	gmtime_r(&exp, &tm);
	strftime(day, sizeof day, "%Y-%m-%d", &tm);
	if (exp <= now) {
		days = (long)((now - exp) / 86400);
		if (days == 0)
			printf("refresh token expired: %s (less than a day ago)\n", day);
		else
			printf("refresh token expired: %s (%ld %s ago)\n", day, days, sp_plural(days, "day", "days"));
		sp_warn("the refresh token expired on %s: run 'sp-auth login' again", day);
		return EXIT_EXPIRED;
	}
	days = (long)((exp - now) / 86400);
	if (days == 0)
		printf("refresh token expires: %s (less than a day left)\n", day);
	else
		printf("refresh token expires: %s (%ld %s left)\n", day, days, sp_plural(days, "day", "days"));
	if (days >= WARN_DAYS)
		return SP_EXIT_OK;
	if (days == 0)
		sp_warn("the refresh token expires in less than a day (%s)", day);
	else
		sp_warn("the refresh token expires in %ld %s (%s)", days, sp_plural(days, "day", "days"), day);
	sp_hint("run 'sp-auth login' again before then");
	return EXIT_EXPIRING;
}

static int
cmd_status(void)
{
	struct sp_auth a;
	time_t exp, now = time(NULL);
	int st;

	if (sp_auth_load(&a) != 0)
		return SP_EXIT_DATA;
	exp = sp_auth_refresh_expiry(&a);
	/* Past its expiry the refresh token is refused: GET /me would end in
	 * invalid_grant (exit 3) within the hour and hide what to do. */
	if (opt_offline)
		printf("user: (not asked: --offline)\n");
	else if (exp <= now)
		printf("user: (not asked: the refresh token has expired)\n");
	else
		print_user(&a);
	printf("scopes: %s\n", a.scope != NULL ? a.scope : "");
	st = print_expiry(exp, now);
	sp_auth_free(&a);
	return st;
}

static int
cmd_token(void)
{
	struct sp_auth a;
	struct sp_http *h;

	if (sp_auth_load(&a) != 0)
		return SP_EXIT_DATA;
	if (a.access_token == NULL || a.expires_at - 60 <= (long long)time(NULL)) {
		h = sp_http_new();
		if (sp_auth_refresh(&a, h) != 0)
			sp_http_die(h);
		sp_http_free(h);
	}
	printf("%s\n", a.access_token);
	sp_auth_free(&a);
	return SP_EXIT_OK;
}

static int
cmd_logout(void)
{
	char *path = sp_auth_path();

	if (unlink(path) != 0 && errno != ENOENT)
		sp_die(SP_EXIT_DATA, "%s: %s", path, strerror(errno));
	free(path);
	return SP_EXIT_OK;
}

/*
 * sp-auth COMMAND: login runs Authorization Code with PKCE against
 * SP_ACCOUNTS_BASE: prints the authorize URL on stdout, takes the redirect
 * on http://127.0.0.1:PORT/callback, exchanges the code and stores the
 * tokens in $XDG_CONFIG_HOME/sp/tokens.json (mode 0600, replaced
 * atomically).  status prints the user, the scopes and the refresh token's
 * expiry (6 months after consent), warning under 14 days and past it.
 * token prints a fresh access token for scripts.  logout removes the
 * tokens.
 * Exit status: 0 ok; 1 not logged in, no client id, local I/O; 2 usage;
 * 3 Spotify failed or refused (a timeout, a denial, invalid_grant);
 * status only: 4 the refresh token expires within 14 days, 5 it has
 * expired.
 */
int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "no-browser", no_argument, NULL, 'b' },
		{ "port", required_argument, NULL, 'p' },
		{ "offline", no_argument, NULL, 'o' },
		{ "scope", required_argument, NULL, 's' },
		{ "timeout", required_argument, NULL, 't' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	const char *cmd;
	int c;

	sp_init(argv[0]);
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 'b': opt_no_browser = 1; break;
		case 'h': usage(stdout, SP_EXIT_OK);
		case 'o': opt_offline = 1; break;
		case 'p': opt_port = sp_opt_long("--port", optarg, 0, 65535, usage); break;
		case 's': opt_scope = optarg; break;
		case 't': opt_timeout = sp_opt_long("--timeout", optarg, 1, 86400, usage); break;
		case 'V': sp_version();
		default: usage(stderr, SP_EXIT_USAGE);
		}
	}
	if (argc - optind != 1) {
		usage(stderr, SP_EXIT_USAGE);
	}
	cmd = argv[optind];
	if (strcmp(cmd, "login") == 0)
		return cmd_login();
	if (strcmp(cmd, "status") == 0)
		return cmd_status();
	if (strcmp(cmd, "token") == 0)
		return cmd_token();
	if (strcmp(cmd, "logout") == 0)
		return cmd_logout();
	usage(stderr, SP_EXIT_USAGE);
}
