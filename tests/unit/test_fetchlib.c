/* test_fetchlib.c: unit tests of libcommon's config, auth, http and jqprog modules. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "auth.h"
#include "config.h"
#include "diag.h"
#include "http.h"
#include "buf.h"
#include "jqprog.h"
#include "ndjson.h"
#include "paths.h"
#include "unit.h"

static char dir[] = "/tmp/sp-unit-fetchlib.XXXXXX";

static void
pkce_rfc7636(void)
{
	char c[44];

	/* The example of RFC 7636, appendix B. */
	sp_auth_s256("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk", 43, c);
	CHECK_STR(c, "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
	sp_auth_s256("", 0, c);
	CHECK_STR(c, "47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU");
}

static void
pkce_verifier(void)
{
	char v[44], c[44], again[44];

	sp_auth_pkce(v, c);
	CHECK(strlen(v) == 43);
	CHECK(strspn(v, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") == 43);
	sp_auth_s256(v, strlen(v), again);
	CHECK_STR(c, again);
	sp_auth_pkce(again, c);
	CHECK(strcmp(v, again) != 0);
}

static void
escape(void)
{
	char *s = sp_http_escape("a b/c:d=e&f~g");

	CHECK_STR(s, "a%20b%2Fc%3Ad%3De%26f~g");
	free(s);
}

static void
error_redacts_tokens(void)
{
	struct sp_http *h = sp_http_new();

	sp_http_set_error(h, NULL, "GET /x?access_token=SECRET1 Authorization: Bearer SECRET2 refresh_token=SECRET3");
	CHECK(strstr(sp_http_error(h), "SECRET") == NULL);
	CHECK_STR(sp_http_error(h), "GET /x?access_token=[redacted] Authorization: Bearer [redacted] refresh_token=[redacted]");
	CHECK(sp_http_hint(h) == NULL);
	sp_http_free(h);
}

static void
redact_token_json(void)
{
	char buf[256] = "{\"access_token\":\"abc\",\"refresh_token\":\"def\",\"scope\":\"x\"}";

	sp_redact(buf, sizeof buf);
	CHECK_STR(buf, "{\"access_token\":\"[redacted]\",\"refresh_token\":\"[redacted]\",\"scope\":\"x\"}");
}

static void
next_link(void)
{
	jv p = jv_parse("{\"next\":\"http://h/v1/me/tracks?offset=50\"}");
	char *n = sp_http_next(p);

	CHECK_STR(n, "http://h/v1/me/tracks?offset=50");
	free(n);
	jv_free(p);
	p = jv_parse("{\"next\":null}");
	CHECK(sp_http_next(p) == NULL);
	jv_free(p);
}

static void
base_urls(void)
{
	struct sp_http *h;

	setenv("SP_API_BASE", "http://127.0.0.1:9/v1/", 1);
	unsetenv("SP_ACCOUNTS_BASE");
	h = sp_http_new();
	CHECK_STR(sp_http_api_base(h), "http://127.0.0.1:9/v1");
	CHECK_STR(sp_http_accounts_base(h), "https://accounts.spotify.com");
	sp_http_free(h);
	unsetenv("SP_API_BASE");
}

/* A "next" link off the API base (another host, scheme or port) is an
 * error before any request: the access token is never sent there. */
static void
token_stays_home(void)
{
	static const char *const away[] = {
		"http://evil.example/v1/me/tracks?offset=50", "https://127.0.0.1:9/v1/x",
		"http://127.0.0.1:10/v1/x", "http://127.0.0.1.evil.example:9/v1/x", NULL
	};
	struct sp_http *h;
	char want[256];
	jv out;
	int i;

	setenv("SP_API_BASE", "http://127.0.0.1:9/v1", 1);
	h = sp_http_new();
	for (i = 0; away[i] != NULL; i++) {
		CHECK(sp_http_api(h, "GET", away[i], jv_invalid(), &out) != 0);
		jv_free(out);
		snprintf(want, sizeof want, "GET %s: not on the API base http://127.0.0.1:9/v1: "
		    "the access token is not sent there", away[i]);
		CHECK_STR(sp_http_error(h), want);
	}
	/* The same origin passes the check (and then finds nobody on port 9). */
	CHECK(sp_http_api(h, "GET", "http://127.0.0.1:9/v1/me?x=1", jv_invalid(), &out) != 0);
	jv_free(out);
	CHECK(strstr(sp_http_error(h), "not on the API base") == NULL);
	sp_http_free(h);
	unsetenv("SP_API_BASE");
}

static void
dirs(void)
{
	char *p;

	setenv("XDG_CONFIG_HOME", "/cfg", 1);
	setenv("HOME", "/home/u", 1);
	unsetenv("SP_HOME");
	unsetenv("XDG_STATE_HOME");
	p = sp_conf_config_dir();
	CHECK_STR(p, "/cfg/sp");
	free(p);
	p = sp_conf_state_dir();
	CHECK_STR(p, "/home/u/.local/state/sp");
	free(p);
	setenv("XDG_CACHE_HOME", "relative", 1);	/* ignored, as XDG says */
	p = sp_conf_cache_dir();
	CHECK_STR(p, "/home/u/.cache/sp");
	free(p);
	setenv("SP_HOME", "/srv/sp", 1);
	p = sp_conf_state_dir();
	CHECK_STR(p, "/srv/sp/state");
	free(p);
	unsetenv("SP_HOME");
}

static void
settings(void)
{
	char path[512], *v;
	FILE *fp;

	snprintf(path, sizeof path, "%s/sp", dir);
	CHECK(sp_mkdirs(path, 0700) == 0);
	snprintf(path, sizeof path, "%s/sp/config", dir);
	fp = fopen(path, "w");
	CHECK(fp != NULL);
	fputs("# comment\n client_id = abc123 \nother=1\n", fp);
	fclose(fp);
	setenv("XDG_CONFIG_HOME", dir, 1);
	unsetenv("SP_CLIENT_ID");
	v = sp_conf_get("client_id");
	CHECK_STR(v, "abc123");
	free(v);
	setenv("SP_CLIENT_ID", "fromenv", 1);
	v = sp_conf_get("client_id");
	CHECK_STR(v, "fromenv");
	free(v);
	unsetenv("SP_CLIENT_ID");
	CHECK(sp_conf_get("missing") == NULL);
}

static void
atomic_write_mode(void)
{
	char path[512], *text;
	struct stat st;

	snprintf(path, sizeof path, "%s/f", dir);
	CHECK(sp_conf_write_atomic(path, "one\n", 4, 0644) == 0);
	CHECK(sp_conf_write_atomic(path, "two\n", 4, 0600) == 0);
	CHECK(stat(path, &st) == 0);
	CHECK((st.st_mode & 0777) == 0600);
	text = sp_read_file(path, 100, NULL);
	CHECK_STR(text, "two\n");
	free(text);
	snprintf(path, sizeof path, "%s/no/such/dir/f", dir);
	CHECK(sp_conf_write_atomic(path, "x", 1, 0600) == -1);
}

static void
tokens_roundtrip(void)
{
	struct sp_auth a = {0}, b;
	jv tok;

	setenv("XDG_CONFIG_HOME", dir, 1);
	a.path = sp_auth_path();
	a.client_id = sp_xstrdup("cid");
	a.refresh_token = sp_xstrdup("old-refresh");
	tok = jv_parse("{\"access_token\":\"at1\",\"expires_in\":3600,\"scope\":\"s1 s2\"}");
	CHECK(sp_auth_take(&a, tok) == 0);
	jv_free(tok);
	CHECK_STR(a.refresh_token, "old-refresh");	/* none returned: kept */
	a.consented_at = 1767225600;	/* 2026-01-01 */
	CHECK(sp_auth_save(&a) == 0);
	CHECK(sp_auth_load(&b) == 0);
	CHECK_STR(b.access_token, "at1");
	CHECK_STR(b.refresh_token, "old-refresh");
	CHECK_STR(b.scope, "s1 s2");
	CHECK_STR(b.client_id, "cid");
	CHECK(b.consented_at == 1767225600);
	CHECK(sp_auth_refresh_expiry(&b) == 1782864000);	/* 2026-07-01 */
	tok = jv_parse("{\"access_token\":\"at2\",\"refresh_token\":\"new-refresh\"}");
	CHECK(sp_auth_take(&b, tok) == 0);
	jv_free(tok);
	CHECK_STR(b.refresh_token, "new-refresh");
	tok = jv_parse("{\"error\":\"x\"}");
	CHECK(sp_auth_take(&b, tok) == -1);
	jv_free(tok);
	sp_auth_free(&a);
	sp_auth_free(&b);
}

static void
jq_program(void)
{
	struct sp_jq *q = sp_jq_compile(".a[] | select(. > $min)",
	    jv_object_set(jv_object(), jv_string("min"), jv_number(1)));
	jv out;

	CHECK(q != NULL);
	out = sp_jq_all(q, jv_parse("{\"a\":[1,2,3]}"));
	CHECK(jv_is_valid(out));
	CHECK(jv_array_length(jv_copy(out)) == 2);
	jv_free(out);
	out = sp_jq_all(q, jv_parse("{\"a\":5}"));
	CHECK(!jv_is_valid(out));
	jv_free(out);
	sp_jq_free(q);
}

/* Runs pipelines/jq/release-window.jq on one album; returns whether it is kept. */
static int
kept(struct sp_jq *q, const char *album)
{
	jv out = sp_jq_all(q, jv_parse(album));
	int n = jv_is_valid(out) ? jv_array_length(jv_copy(out)) : -1;

	jv_free(out);
	return n;
}

static void
jq_release_window(void)
{
	struct sp_jq *q;
	char path[1024];

	snprintf(path, sizeof path, "%s/pipelines/jq", getenv("SP_ROOT") ? getenv("SP_ROOT") : "..");
	setenv("SP_JQ_DIR", path, 1);
	q = sp_jq_load("release-window", jv_object_set(jv_object_set(jv_object(),
	    jv_string("since"), jv_string("2026-11-20")), jv_string("until"), jv_string("2026-11-27")));
	CHECK(kept(q, "{\"release_date\":\"2026-11-20\",\"release_date_precision\":\"day\"}") == 1);
	CHECK(kept(q, "{\"release_date\":\"2026-11-27\",\"release_date_precision\":\"day\"}") == 1);
	CHECK(kept(q, "{\"release_date\":\"2026-11-19\",\"release_date_precision\":\"day\"}") == 0);
	CHECK(kept(q, "{\"release_date\":\"2026-11-28\"}") == 0);
	CHECK(kept(q, "{\"release_date\":\"2026-11-22\"}") == 1);
	CHECK(kept(q, "{\"release_date\":\"2026-11\",\"release_date_precision\":\"month\"}") == 1);
	CHECK(kept(q, "{\"release_date\":\"2026-10\",\"release_date_precision\":\"month\"}") == 0);
	CHECK(kept(q, "{\"release_date\":\"2026\",\"release_date_precision\":\"year\"}") == 0);
	CHECK(kept(q, "{\"name\":\"no date\"}") == 0);
	sp_jq_free(q);
}

int
main(void)
{
	char cmd[128];

	sp_init("test_fetchlib");
	if (mkdtemp(dir) == NULL)
		return 1;
	RUN(pkce_rfc7636);
	RUN(pkce_verifier);
	RUN(escape);
	RUN(error_redacts_tokens);
	RUN(redact_token_json);
	RUN(next_link);
	RUN(base_urls);
	RUN(token_stays_home);
	RUN(dirs);
	RUN(settings);
	RUN(atomic_write_mode);
	RUN(tokens_roundtrip);
	RUN(jq_program);
	RUN(jq_release_window);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		return 1;
	return unit_failed != 0;
}
