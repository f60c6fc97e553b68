/* auth.c: the tokens file, access token refresh, and the PKCE helpers (S256, base64url). */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>

#include "auth.h"
#include "buf.h"
#include "config.h"
#include "diag.h"
#include "paths.h"
#include "http.h"
#include "ndjson.h"
#include "sha256.h"

char *
sp_auth_path(void)
{
	char *dir = sp_conf_config_dir(), *p = sp_conf_join(dir, "tokens.json");

	free(dir);
	return p;
}

void
sp_auth_free(struct sp_auth *a)
{
	/* Wipe the secrets before giving the memory back. */
	if (a->access_token != NULL)
		memset(a->access_token, 0, strlen(a->access_token));
	if (a->refresh_token != NULL)
		memset(a->refresh_token, 0, strlen(a->refresh_token));
	free(a->path);
	free(a->access_token);
	free(a->refresh_token);
	free(a->scope);
	free(a->client_id);
	memset(a, 0, sizeof *a);
}

static void
set_str(char **dst, jv v)
{
	if (jv_get_kind(v) == JV_KIND_STRING) {
		free(*dst);
		*dst = sp_xstrdup(jv_string_value(v));
	}
	jv_free(v);
}

static long long
get_num(jv o, const char *key, long long def)
{
	jv v = sp_jv_get(o, key);
	long long n = def;

	if (jv_get_kind(v) == JV_KIND_NUMBER)
		n = (long long)jv_number_value(v);
	jv_free(v);
	return n;
}

int
sp_auth_load(struct sp_auth *a)
{
	char *text;
	size_t len;
	jv o;

	memset(a, 0, sizeof *a);
	a->path = sp_auth_path();
	text = sp_read_file(a->path, 1 << 20, &len);
	if (text == NULL) {
		if (errno == ENOENT) {
			sp_warn("not logged in: no %s", a->path);
			sp_hint("run 'sp-auth login'");
		} else {
			sp_warn("%s: %s", a->path, strerror(errno));
		}
		return -1;
	}
	o = sp_jv_parse(text, len);
	memset(text, 0, len);
	free(text);
	if (jv_get_kind(o) != JV_KIND_OBJECT) {
		jv_free(o);
		sp_warn("%s: not a tokens file (invalid JSON)", a->path);
		sp_hint("run 'sp-auth login' again");
		return -1;
	}
	set_str(&a->access_token, sp_jv_get(o, "access_token"));
	set_str(&a->refresh_token, sp_jv_get(o, "refresh_token"));
	set_str(&a->scope, sp_jv_get(o, "scope"));
	set_str(&a->client_id, sp_jv_get(o, "client_id"));
	a->expires_at = get_num(o, "expires_at", 0);
	a->consented_at = get_num(o, "consented_at", 0);
	jv_free(o);
	if (a->refresh_token == NULL && a->access_token == NULL) {
		sp_warn("%s: no tokens in the file", a->path);
		sp_hint("run 'sp-auth login' again");
		return -1;
	}
	if (a->client_id == NULL)
		a->client_id = sp_conf_get("client_id");
	return 0;
}

int
sp_auth_save(const struct sp_auth *a)
{
	struct sp_buf b = {0};
	char *dir, *slash;
	int rc = 0;

	dir = sp_xstrdup(a->path);
	if ((slash = strrchr(dir, '/')) != NULL && slash != dir) {
		*slash = '\0';
		if (sp_mkdirs(dir, 0700) != 0) {
			sp_warn("%s: %s", dir, strerror(errno));
			free(dir);
			return -1;
		}
	}
	free(dir);
	sp_buf_adds(&b, "{\"access_token\":");
	sp_buf_json_str(&b, a->access_token ? a->access_token : "", a->access_token ? strlen(a->access_token) : 0);
	if (a->refresh_token != NULL) {
		sp_buf_adds(&b, ",\"refresh_token\":");
		sp_buf_json_str(&b, a->refresh_token, strlen(a->refresh_token));
	}
	sp_buf_adds(&b, ",\"token_type\":\"Bearer\",\"scope\":");
	sp_buf_json_str(&b, a->scope ? a->scope : "", a->scope ? strlen(a->scope) : 0);
	sp_buf_printf(&b, ",\"expires_at\":%lld,\"consented_at\":%lld", a->expires_at, a->consented_at);
	if (a->client_id != NULL) {
		sp_buf_adds(&b, ",\"client_id\":");
		sp_buf_json_str(&b, a->client_id, strlen(a->client_id));
	}
	sp_buf_adds(&b, "}\n");
	if (sp_conf_write_atomic(a->path, b.data, b.len, 0600) != 0) {
		sp_warn("%s: %s", a->path, strerror(errno));
		rc = -1;
	}
	memset(b.data, 0, b.len);
	sp_buf_free(&b);
	return rc;
}

int
sp_auth_take(struct sp_auth *a, jv tok)
{
	jv at = sp_jv_get(tok, "access_token");
	long long ttl = get_num(tok, "expires_in", 3600);

	if (jv_get_kind(at) != JV_KIND_STRING || jv_string_length_bytes(jv_copy(at)) == 0) {
		jv_free(at);
		return -1;
	}
	if (a->access_token != NULL)
		memset(a->access_token, 0, strlen(a->access_token));
	set_str(&a->access_token, at);
	/* A refresh may omit the refresh token: then the old one stays. */
	set_str(&a->refresh_token, sp_jv_get(tok, "refresh_token"));
	set_str(&a->scope, sp_jv_get(tok, "scope"));
	a->expires_at = (long long)time(NULL) + ttl;
	return 0;
}

int
sp_auth_refresh(struct sp_auth *a, struct sp_http *h)
{
	struct sp_buf form = {0};
	char *rt, *cid;
	jv out, err;
	int rc;

	if (a->refresh_token == NULL) {
		sp_http_set_error(h, "run 'sp-auth login' again", "the access token expired and there is no refresh token");
		return -1;
	}
	if (a->client_id == NULL && (a->client_id = sp_conf_get("client_id")) == NULL) {
		sp_http_set_error(h, "set SP_CLIENT_ID or client_id in the config file",
		    "no client id to refresh the access token with");
		return -1;
	}
	rt = sp_http_escape(a->refresh_token);
	cid = sp_http_escape(a->client_id);
	sp_buf_printf(&form, "grant_type=refresh_token&refresh_token=%s&client_id=%s", rt, cid);
	memset(rt, 0, strlen(rt));
	free(rt);
	free(cid);
	rc = sp_http_form(h, "/api/token", form.data, &out);
	memset(form.data, 0, form.len);
	sp_buf_free(&form);
	if (rc == SP_HTTP_FAILED)
		return -1;
	if (rc == SP_HTTP_REFUSED) {
		err = sp_jv_get(out, "error");
		if (jv_get_kind(err) == JV_KIND_STRING && strcmp(jv_string_value(err), "invalid_grant") == 0)
			sp_http_set_error(h, "run 'sp-auth login' again",
			    "the refresh token was refused (invalid_grant)");
		else
			sp_http_set_error(h, NULL, "token refresh failed: %s", sp_http_error(h));
		jv_free(err);
		jv_free(out);
		return -1;
	}
	if (sp_auth_take(a, out) != 0) {
		jv_free(out);
		sp_http_set_error(h, NULL, "token refresh failed: no access_token in the answer");
		return -1;
	}
	jv_free(out);
	if (sp_auth_save(a) != 0) {
		sp_http_set_error(h, NULL, "token refresh: could not save %s", a->path);
		return -1;
	}
	return 0;
}

time_t
sp_auth_refresh_expiry(const struct sp_auth *a)
{
	time_t t = (time_t)a->consented_at;
	struct tm tm;

	gmtime_r(&t, &tm);
	tm.tm_mon += SP_REFRESH_MONTHS;
	return timegm(&tm);
}

static void
b64url(const unsigned char *p, size_t n, char *out)
{
	static const char tab[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
	size_t i;
	uint32_t v;

	for (i = 0; i + 2 < n; i += 3) {
		v = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8 | p[i + 2];
		*out++ = tab[v >> 18];
		*out++ = tab[(v >> 12) & 63];
		*out++ = tab[(v >> 6) & 63];
		*out++ = tab[v & 63];
	}
	if (n - i == 1) {
		v = (uint32_t)p[i] << 16;
		*out++ = tab[v >> 18];
		*out++ = tab[(v >> 12) & 63];
	} else if (n - i == 2) {
		v = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8;
		*out++ = tab[v >> 18];
		*out++ = tab[(v >> 12) & 63];
		*out++ = tab[(v >> 6) & 63];
	}
	*out = '\0';
}

void
sp_auth_random(char *out, size_t n)
{
	unsigned char buf[96];
	size_t got = 0;
	ssize_t r;

	if (n > sizeof buf)
		n = sizeof buf;
	while (got < n) {
		r = getrandom(buf + got, n - got, 0);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			sp_die(SP_EXIT_DATA, "getrandom: %s", strerror(errno));
		got += (size_t)r;
	}
	b64url(buf, n, out);
	memset(buf, 0, sizeof buf);
}

void
sp_auth_s256(const char *data, size_t len, char out[44])
{
	struct sp_sha256 h;
	unsigned char d[32];

	sp_sha256_init(&h);
	sp_sha256_update(&h, data, len);
	sp_sha256_final(&h, d);
	b64url(d, 32, out);
}

void
sp_auth_pkce(char v[44], char c[44])
{
	sp_auth_random(v, 32);
	sp_auth_s256(v, strlen(v), c);
}
