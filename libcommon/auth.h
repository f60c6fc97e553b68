/* auth.h: the user's Spotify tokens: storage, refresh, PKCE helpers. */
#ifndef SP_AUTH_H
#define SP_AUTH_H

#include <stddef.h>
#include <time.h>
#include <jv.h>

struct sp_http;

/*
 * The tokens, stored in <config dir>/tokens.json (mode 0600, replaced
 * atomically) as {"access_token", "refresh_token", "token_type", "scope",
 * "expires_at" (epoch s), "consented_at" (epoch s: when the user approved;
 * the refresh token dies 6 months later), "client_id"}.  All strings are
 * owned by the struct.
 */
struct sp_auth {
	char *path;
	char *access_token, *refresh_token, *scope, *client_id;
	long long expires_at, consented_at;
};

/* Months after consent when a refresh token stops working. */
#define SP_REFRESH_MONTHS 6

/* sp_auth_path: the tokens file ($XDG_CONFIG_HOME/sp/tokens.json); the
 * caller frees it. */
char *sp_auth_path(void);

/*
 * sp_auth_load: reads the tokens file into a (zeroed first).  Returns 0, or
 * -1 after printing why ("not logged in" with a hint, or a bad file).  The
 * client id falls back to sp_conf_get("client_id").
 */
int sp_auth_load(struct sp_auth *a);

/* sp_auth_save: writes a to a->path atomically with mode 0600, creating the
 * directory (0700).  Returns 0, or -1 after printing why. */
int sp_auth_save(const struct sp_auth *a);

/* sp_auth_free: wipes the tokens and frees the strings a owns (not a itself). */
void sp_auth_free(struct sp_auth *a);

/*
 * sp_auth_take: fills a from a token endpoint answer tok (borrowed):
 * access_token (required), expires_in, scope, and refresh_token when
 * present (a refresh may omit it: the old one is kept).  Returns 0, or -1
 * when tok has no access token.
 */
int sp_auth_take(struct sp_auth *a, jv tok);

/*
 * sp_auth_refresh: trades the refresh token for a new access token at the
 * accounts base's /api/token and saves the result.  Returns 0, or -1 with
 * the reason in sp_http_error(h): an invalid_grant answer gives "the
 * refresh token was refused (invalid_grant)" and the hint "run 'sp-auth
 * login' again".
 */
int sp_auth_refresh(struct sp_auth *a, struct sp_http *h);

/* When the refresh token expires: consented_at + 6 calendar months (UTC). */
time_t sp_auth_refresh_expiry(const struct sp_auth *a);

/* PKCE: a random verifier (43 base64url characters, into v[44]) and its
 * S256 challenge (into c[44]). */
void sp_auth_pkce(char v[44], char c[44]);
/* n random bytes as base64url without padding into out (4n/3+2 bytes). */
void sp_auth_random(char *out, size_t n);
/* SHA-256 of data as base64url without padding into out[44]. */
void sp_auth_s256(const char *data, size_t len, char out[44]);

#endif
