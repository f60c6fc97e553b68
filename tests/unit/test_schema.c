/* test_schema.c: the schema checker's formats and text checks, and the same reasons from jv and from text. */
#include <errno.h>
#include <glob.h>
#include <libgen.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "buf.h"
#include "diag.h"
#include "jscan.h"
#include "schema.h"
#include "unit.h"
#include "utf8.h"

/* The checker as it was before its compiled lookups, for test_differential. */
#include "schema_old.inc"

static void
test_iso_time(void)
{
	CHECK(sp_iso_time_ok("2026-11-27T05:49:30Z", 20));
	CHECK(sp_iso_time_ok("2016-12-13T20:44:04.589Z", 24));
	CHECK(sp_iso_time_ok("2024-02-29T00:00:00+01:00", 25));
	CHECK(sp_iso_time_ok("2026-11-27T05:49Z", 17));
	CHECK(!sp_iso_time_ok("2023-02-29T00:00:00Z", 20));
	CHECK(!sp_iso_time_ok("2026-13-01T00:00:00Z", 20));
	CHECK(!sp_iso_time_ok("2026-11-27 05:49:30Z", 20));
	CHECK(!sp_iso_time_ok("2026-11-27T24:00:00Z", 20));
	CHECK(!sp_iso_time_ok("2026-11-27T05:49:30", 19));
	CHECK(!sp_iso_time_ok("2026-11-27T05:49:30.Z", 21));
}

static int
text_ok(const char *s)
{
	struct sp_buf r = { 0 };
	int ok = sp_json_text_ok(s, strlen(s), &r);

	sp_buf_free(&r);
	return ok;
}

static void
test_text(void)
{
	CHECK(text_ok("{\"a\":\"caf\xc3\xa9\"}"));
	CHECK(text_ok("{\"a\":\"\\\\u0000\"}"));	/* an escaped backslash, then text */
	CHECK(text_ok("{\"a\":\"\\ud83d\\ude00\"}"));
	CHECK(!text_ok("{\"a\":\"\\u0000\"}"));
	CHECK(!text_ok("{\"a\":\"\\ud83d\"}"));
	CHECK(!text_ok("{\"a\":\"\\ude00\"}"));
	CHECK(!text_ok("{\"a\":\"\xc3\"}"));
	CHECK(!text_ok("{\"a\":\"\xed\xa0\x80\"}"));
}

/* Both checkers give the same reason for each record. */
static void
test_same_reasons(void)
{
	static const char *const recs[] = {
		"{\"k\":\"x\",\"n\":1,\"t\":\"2026-01-01T00:00:00Z\",\"a\":[{\"s\":\"y\"}]}",
		"{\"n\":1,\"t\":\"2026-01-01T00:00:00Z\"}",
		"{\"k\":\"z\",\"n\":1,\"t\":\"2026-01-01T00:00:00Z\"}",
		"{\"k\":\"x\",\"n\":-1,\"t\":\"2026-01-01T00:00:00Z\"}",
		"{\"k\":\"x\",\"n\":1.5,\"t\":\"2026-01-01T00:00:00Z\"}",
		"{\"k\":\"x\",\"n\":1,\"t\":\"soon\"}",
		"{\"k\":\"x\",\"n\":1,\"t\":\"2026-01-01T00:00:00Z\",\"a\":[{\"s\":2}]}",
		"{\"k\":\"y\",\"n\":1,\"t\":\"2026-01-01T00:00:00Z\"}",
		"{\"k\":\"y\",\"n\":1,\"t\":\"2026-01-01T00:00:00Z\",\"m\":null}",
	};
	static const char *const want[] = {
		"",
		"field 'k': missing",
		"field 'k': 'z' is not one of 'x', 'y'",
		"field 'n': -1 is below the minimum 0",
		"field 'n': expected an integer, got a number",
		"field 't': not an ISO 8601 time",
		"field 'a[0].s': expected a string, got an integer",
		"field 'm': missing",
		"field 'm': expected a string, got a null",
	};
	char dir[] = "/tmp/test_schema.XXXXXX", path[64];
	struct sp_schema *s;
	FILE *fp;
	size_t i;

	CHECK(mkdtemp(dir) != NULL);
	snprintf(path, sizeof path, "%s/t.schema.json", dir);
	CHECK((fp = fopen(path, "w")) != NULL);
	fputs("{\"type\":\"object\",\"required\":[\"k\",\"n\",\"t\"],"
	    "\"properties\":{\"k\":{\"enum\":[\"x\",\"y\"]},"
	    "\"n\":{\"type\":\"integer\",\"minimum\":0},"
	    "\"t\":{\"$ref\":\"#/$defs/time\"},"
	    "\"a\":{\"type\":\"array\",\"items\":{\"properties\":{\"s\":{\"type\":\"string\"}}}}},"
	    "\"if\":{\"properties\":{\"k\":{\"const\":\"y\"}}},"
	    "\"then\":{\"required\":[\"m\"],\"properties\":{\"m\":{\"type\":\"string\"}}},"
	    "\"$defs\":{\"time\":{\"type\":\"string\",\"format\":\"date-time\"}}}", fp);
	CHECK(fclose(fp) == 0);
	s = sp_schema_load(path);
	unlink(path);
	rmdir(dir);
	CHECK(s != NULL);
	for (i = 0; i < sizeof recs / sizeof *recs; i++) {
		struct sp_buf r1 = { 0 }, r2 = { 0 };
		struct sp_jtok t;
		jv v = jv_parse(recs[i]);
		int a, b;

		a = sp_schema_check(s, v, &r1);
		jv_free(v);
		CHECK(sp_jscan(recs[i], strlen(recs[i]), &t) == 0);
		b = sp_schema_check_text(s, &t, &r2);
		CHECK(a == b);
		CHECK_STR(r1.data ? r1.data : "", want[i]);
		CHECK_STR(r2.data ? r2.data : "", want[i]);
		sp_buf_free(&r1);
		sp_buf_free(&r2);
	}
	sp_schema_free(s);
}


/* ---- differential: the old checker and this one on many mutated records ---- */

static uint64_t rng = 88172645463325252ull;

static unsigned
rnd(unsigned n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng % n);
}

static const char *const seeds[] = {
	"{\"kind\":\"play\",\"source\":\"export\",\"fetched_at\":\"2026-11-01T00:00:00Z\",\"file\":\"a.json\",\"data\":{\"ts\":\"2017-07-14T02:40:00Z\",\"ms_played\":5000,\"spotify_track_uri\":\"spotify:track:0000000000000000000001\",\"master_metadata_track_name\":\"T\",\"master_metadata_album_artist_name\":\"A\",\"master_metadata_album_album_name\":\"B\",\"reason_start\":\"trackdone\",\"reason_end\":\"fwdbtn\",\"skipped\":true,\"shuffle\":false,\"offline\":false,\"incognito_mode\":null,\"platform\":\"android\",\"conn_country\":\"DE\"}}",
	"{\"kind\":\"play\",\"source\":\"recently-played\",\"fetched_at\":\"2026-11-01T00:00:00.123+01:00\",\"data\":{\"played_at\":\"2026-10-31T23:00:00Z\",\"context\":{\"uri\":\"spotify:playlist:x\"},\"track\":{\"id\":\"4uLU6hMCjMI75M1A2tKUQC\",\"name\":\"N\",\"duration_ms\":180000,\"artists\":[{\"name\":\"A\"},{\"name\":\"B\"}],\"album\":{\"name\":\"C\"}}}}",
	"{\"kind\":\"episode\",\"source\":\"export\",\"fetched_at\":\"2026-11-01T00:00:00Z\",\"data\":{\"ts\":\"2020-02-29T00:00:00Z\",\"ms_played\":0,\"spotify_episode_uri\":\"spotify:episode:e\",\"audiobook_uri\":null}}",
	"{\"kind\":\"track\",\"source\":\"releases\",\"fetched_at\":\"2026-11-01T00:00:00Z\",\"data\":{\"id\":\"t\",\"name\":\"n\",\"duration_ms\":null,\"album\":null}}",
	"{\"kind\":\"artist\",\"source\":\"artists\",\"fetched_at\":\"2026-11-01T00:00:00Z\",\"data\":{\"id\":\"a\",\"name\":\"n\"}}",
	"{\"kind\":\"album\",\"source\":\"albums\",\"fetched_at\":\"2026-11-01T00:00:00Z\",\"data\":{\"id\":\"b\",\"name\":\"n\"}}",
	"{\"kind\":\"playlist_item\",\"source\":\"playlist\",\"fetched_at\":\"2026-11-01T00:00:00Z\",\"playlist_id\":\"p\",\"position\":3,\"data\":{\"added_at\":null,\"item\":{\"id\":\"i\",\"name\":\"n\"},\"track\":null}}",
	"{\"kind\":\"saved_track\",\"source\":\"saved\",\"fetched_at\":\"2026-11-01T00:00:00Z\",\"data\":{\"added_at\":\"2026-01-01T00:00Z\",\"track\":{\"id\":\"t\",\"name\":\"n\",\"artists\":[]}}}",
	"{\"k\":\"x\",\"n\":1,\"zz\":{\"a\":1},\"f\":2}",
	"{\"k\":\"x\",\"n\":1,\"zz\":{\"a\":1},\"abcdefgh_Y_12345678\":\"s\"}",
	"{\"k\":\"x\",\"n\":1,\"zz\":{\"a\":1},\"t\":\"2026-01-01T00:00:00Z\",\"a\":[{\"s\":\"y\"},null,3],"
	    "\"d\":\"2026-01-01\",\"u\":\"spotify:a:b\",\"o\":{\"p\":1,\"q\":\"r\"},\"abcdefgh_X_12345678\":\"s\"}",
	"{\"k\":\"x\",\"n\":1,\"t\":\"2026-01-01T00:00:00Z\",\"a\":[{\"s\":\"y\"}],\"d\":\"2026-01-01\",\"u\":\"spotify:a:b\",\"e\":2,\"o\":{\"p\":1,\"q\":\"r\"},\"m\":\"mm\"}",
};

static const char *const pool[] = {
	"null", "true", "false", "0", "-1", "1", "-0", "1.5", "2147483647", "2147483648",
	"1e3", "123456789012345678", "\"\"", "\"x\"", "\"y\"", "\"z\"", "\"play\"", "\"export\"",
	"\"recently-played\"", "\"episode\"", "\"track\"", "\"artist\"", "\"album\"",
	"\"2026-01-01T00:00:00Z\"", "\"2026-02-30T00:00:00Z\"", "\"2026-01-01\"",
	"\"2026-13-01\"", "\"spotify:track:abc\"", "\"spotify:track:\"",
	"\"caf\\u00e9\"", "\"a\\nb\"", "\"0123456789012345678901234567890123456789012345678901234567890123456789\"",
	"[]", "{}", "[1]", "[{\"name\":1}]", "{\"name\":1}", "{\"id\":\"x\",\"name\":\"n\"}",
	"{\"s\":\"y\"}", "[{\"s\":2}]", "{\"p\":\"1\"}",
};

static const char *const names[] = {
	"kind", "source", "fetched_at", "data", "file", "ts", "ms_played", "id", "name",
	"track", "item", "played_at", "duration_ms", "artists", "album", "position",
	"playlist_id", "added_at", "k", "n", "t", "a", "s", "m", "o", "p", "q", "zz", "f",
	"abcdefgh_X_12345678", "abcdefgh_Y_12345678", "abcdefgh_Z_12345678",
};

/* A random change somewhere in v (consumed). */
static jv
mutate(jv v, int depth)
{
	jv_kind k = jv_get_kind(v);
	unsigned r = rnd(10);

	if (depth > 4 || (k != JV_KIND_OBJECT && k != JV_KIND_ARRAY) || r == 0) {
		jv_free(v);
		return jv_parse(pool[rnd(sizeof pool / sizeof *pool)]);
	}
	if (k == JV_KIND_OBJECT) {
		int n = jv_object_length(jv_copy(v)), i = 0, want = n ? (int)rnd((unsigned)n) : 0;
		jv key = jv_invalid();

		jv_object_foreach(v, kk, vv) {
			if (i++ == want && !jv_is_valid(key))
				key = jv_copy(kk);
			jv_free(kk);
			jv_free(vv);
		}
		if (!jv_is_valid(key) || r == 1) {
			jv_free(key);
			return jv_object_set(v, jv_string(names[rnd(sizeof names / sizeof *names)]),
			    jv_parse(pool[rnd(sizeof pool / sizeof *pool)]));
		}
		if (r == 2)
			return jv_object_delete(v, key);
		{
			jv sub = jv_object_get(jv_copy(v), jv_copy(key));

			return jv_object_set(v, key, mutate(sub, depth + 1));
		}
	}
	{
		int n = jv_array_length(jv_copy(v));

		if (n == 0 || r == 1)
			return jv_array_append(v, jv_parse(pool[rnd(sizeof pool / sizeof *pool)]));
		jv e;

		n = (int)rnd((unsigned)n);
		e = jv_array_get(jv_copy(v), n);
		return jv_array_set(v, n, mutate(e, depth + 1));
	}
}

/*
 * Changes of the text that jv cannot make: sometimes spells one letter of
 * a key or string as a \u escape, or makes a number infinite (1e999).
 */
static void
text_mutate(const char *in, struct sp_buf *out)
{
	size_t n = strlen(in), i, at = n, inf = n, tries;

	sp_buf_reset(out);
	if (rnd(3) == 0)
		for (tries = 0; tries < 8 && at == n; tries++) {
			i = rnd((unsigned)n);
			if (in[i] == '"' && i + 1 < n && in[i + 1] >= 'a' && in[i + 1] <= 'z')
				at = i + 1;
		}
	if (rnd(4) == 0) {
		size_t cand = 0, pick;

		for (i = 0; i + 1 < n; i++)
			cand += in[i] == ':' && in[i + 1] >= '0' && in[i + 1] <= '9';
		pick = cand ? rnd((unsigned)cand) + 1 : 0;
		for (i = 0; pick > 0 && i + 1 < n; i++)
			if (in[i] == ':' && in[i + 1] >= '0' && in[i + 1] <= '9' && --pick == 0)
				for (inf = i + 1; inf < n && in[inf] >= '0' && in[inf] <= '9'; inf++)
					;
	}
	for (i = 0; i < n; i++) {
		if (i == inf)
			sp_buf_adds(out, "e999");
		if (i == at)
			sp_buf_printf(out, "\\u%04x", (unsigned)(unsigned char)in[i]);
		else
			sp_buf_addc(out, in[i]);
	}
}

/* Both checkers of both forms on the text rec; counts verdicts. */
static int
compare(const struct sp_schema *s, const struct old_schema *o, const char *rec,
    int *nok, int *nbad)
{
	struct sp_buf r1 = { 0 }, r2 = { 0 }, r3 = { 0 }, r4 = { 0 };
	struct sp_jtok t;
	jv v;
	int a, b, c = 0, d = 0, same = 1;

	if (sp_jscan(rec, strlen(rec), &t) != 0)
		return 1;
	a = old_schema_check_text(o, &t, &r1);
	b = sp_schema_check_text(s, &t, &r2);
	v = jv_parse(rec);
	if (jv_is_valid(v)) {
		c = old_schema_check(o, v, &r3);
		d = sp_schema_check(s, v, &r4);
	}
	jv_free(v);
	if (a != b || strcmp(r1.data ? r1.data : "", r2.data ? r2.data : "") != 0 ||
	    c != d || strcmp(r3.data ? r3.data : "", r4.data ? r4.data : "") != 0) {
		fprintf(stderr, "differ on %s\n  old: %d %s | %d %s\n  new: %d %s | %d %s\n", rec,
		    a, r1.data ? r1.data : "", c, r3.data ? r3.data : "",
		    b, r2.data ? r2.data : "", d, r4.data ? r4.data : "");
		same = 0;
	}
	*(b == 0 ? nok : nbad) += 1;
	sp_buf_free(&r1);
	sp_buf_free(&r2);
	sp_buf_free(&r3);
	sp_buf_free(&r4);
	return same;
}

/* A schema with every keyword, beside the repository's own. */
static const char synthetic[] =
    "{\"type\":\"object\",\"required\":[\"k\",\"n\",\"k\",\"zz\"],"
    "\"additionalProperties\":{\"type\":[\"string\",\"integer\",\"object\",\"array\"]},"
    "\"properties\":{\"k\":{\"enum\":[\"x\",\"y\",1,null,true]},"
    "\"n\":{\"type\":\"integer\",\"minimum\":0,\"maximum\":2147483647},"
    "\"t\":{\"$ref\":\"#/$defs/time\"},\"d\":{\"type\":\"string\",\"format\":\"date\"},"
    "\"u\":{\"format\":\"spotify-uri\",\"minLength\":10,\"maxLength\":20},"
    "\"e\":{\"const\":2},\"m\":{\"not\":0,\"type\":\"string\"},"
    "\"o\":{\"type\":\"object\",\"additionalProperties\":false,\"properties\":{\"p\":{\"type\":\"number\"},\"q\":true}},"
    "\"a\":{\"type\":\"array\",\"minItems\":1,\"items\":{\"anyOf\":[{\"type\":\"null\"},"
    "{\"required\":[\"s\"],\"properties\":{\"s\":{\"type\":\"string\"}}},{\"type\":\"integer\",\"maximum\":5}]}},"
    "\"zz\":{\"const\":{\"a\":1}},\"f\":{\"$ref\":\"#/$defs/no\"},"
    "\"abcdefgh_X_12345678\":{\"type\":\"string\"},\"abcdefgh_Y_12345678\":{\"type\":\"integer\"}},"
    "\"allOf\":[{\"if\":{\"required\":[\"e\"],\"properties\":{\"k\":{\"const\":\"y\"}}},"
    "\"then\":{\"required\":[\"m\"]},\"else\":{\"properties\":{\"m\":false}}}],"
    "\"$defs\":{\"time\":{\"type\":\"string\",\"format\":\"date-time\"},\"no\":false}}";

static void
test_differential(void)
{
	char exe[PATH_MAX], pat[PATH_MAX + 32], dir[] = "/tmp/test_schema.XXXXXX", path[64];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	glob_t g = { 0 };
	struct sp_buf text = { 0 };
	size_t f, i, j;
	int nok = 0, nbad = 0, differ = 0;
	FILE *fp;

	CHECK(n > 0);
	exe[n > 0 ? n : 0] = '\0';
	/* The binary is tests/unit/test_schema: the schemas are in ../../schemas. */
	snprintf(pat, sizeof pat, "%s/../../schemas/*.schema.json", dirname(exe));
	CHECK(glob(pat, 0, NULL, &g) == 0 && g.gl_pathc >= 7);
	CHECK(mkdtemp(dir) != NULL);
	snprintf(path, sizeof path, "%s/s.schema.json", dir);
	CHECK((fp = fopen(path, "w")) != NULL);
	fputs(synthetic, fp);
	CHECK(fclose(fp) == 0);
	for (f = 0; f <= g.gl_pathc; f++) {
		const char *sp = f < g.gl_pathc ? g.gl_pathv[f] : path;
		struct sp_schema *s = sp_schema_load(sp);
		struct old_schema *o = old_schema_load(sp);

		/* The synthetic schema has an unknown keyword: both refuse it. */
		if (f == g.gl_pathc) {
			CHECK(s == NULL && o == NULL);
			fp = fopen(path, "w");
			fputs(synthetic, fp);
			fclose(fp);
			{
				/* Without "not", it loads. */
				char *fixed = sp_xstrdup(synthetic), *at = strstr(fixed, "\"not\":0,");

				memmove(at, at + 8, strlen(at + 8) + 1);
				fp = fopen(path, "w");
				fputs(fixed, fp);
				fclose(fp);
				free(fixed);
			}
			s = sp_schema_load(path);
			o = old_schema_load(path);
		}
		CHECK(s != NULL && o != NULL);
		if (s == NULL || o == NULL)
			continue;
		for (i = 0; i <= sizeof seeds / sizeof *seeds; i++) {
			jv seed;

			if (i < sizeof seeds / sizeof *seeds) {
				seed = jv_parse(seeds[i]);
			} else {
				/* More members than the checker caches for an object. */
				seed = jv_parse(seeds[0]);
				for (j = 0; j < 60; j++) {
					char k[16];

					snprintf(k, sizeof k, "x%zu", j);
					seed = jv_object_set(seed, jv_string(k), jv_number((double)j));
				}
				seed = jv_object_set(seed, jv_string("kind"), jv_string("track"));
			}
			for (j = 0; j < 600; j++) {
				jv v = jv_copy(seed), d;
				unsigned m = j == 0 ? 0 : 1 + rnd(3);

				while (m-- > 0)
					v = mutate(v, 0);
				/* Now and then with whitespace between the tokens. */
				d = jv_dump_string(v, rnd(4) == 0 ? JV_PRINT_PRETTY | JV_PRINT_SPACE1 : 0);
				text_mutate(jv_string_value(d), &text);
				differ += !compare(s, o, text.data, &nok, &nbad);
				jv_free(d);
			}
			jv_free(seed);
		}
		sp_schema_free(s);
		old_schema_free(o);
	}
	unlink(path);
	rmdir(dir);
	globfree(&g);
	sp_buf_free(&text);
	CHECK(differ == 0);
	/* Both verdicts must be common, or the comparison proves little. */
	CHECK(nok > 2000 && nbad > 2000);
	printf("# %d accepted, %d rejected, %d differ\n", nok, nbad, differ);
}

/* sp_json_text_ok skips plain text 8 bytes at a time: the same verdicts as before. */
static void
test_text_differential(void)
{
	static const char *const frag[] = {
		"a", "abcdefgh", "abcdefghijklmnopq", "\\", "\\\\", "\\u0000", "\\u0041",
		"\\ud83d", "\\ude00", "\\ud83d\\ude00", "u0000", "\xc3\xa9", "\xc3", "\xed\xa0\x80",
		"\xf0\x9f\x98\x80", "\"", "\\\"", "1234567", "\x80", "\\u00", "\\\\\\u0000",
	};
	struct sp_buf t = { 0 }, r1 = { 0 }, r2 = { 0 };
	int i, j, differ = 0, nok = 0, nbad = 0;

	for (i = 0; i < 20000; i++) {
		int a, b, m = 1 + (int)rnd(12);

		sp_buf_reset(&t);
		sp_buf_adds(&t, "{\"a\":\"");
		for (j = 0; j < m; j++)
			sp_buf_adds(&t, frag[rnd(sizeof frag / sizeof *frag)]);
		sp_buf_adds(&t, "\"}");
		sp_buf_reset(&r1);
		sp_buf_reset(&r2);
		a = old_json_text_ok(t.data, t.len, &r1);
		b = sp_json_text_ok(t.data, t.len, &r2);
		if (a != b || strcmp(r1.data ? r1.data : "", r2.data ? r2.data : "") != 0) {
			if (differ++ == 0)
				fprintf(stderr, "differ on %s: old %d %s, new %d %s\n", t.data, a,
				    r1.data ? r1.data : "", b, r2.data ? r2.data : "");
		}
		*(b ? &nok : &nbad) += 1;
	}
	sp_buf_free(&t);
	sp_buf_free(&r1);
	sp_buf_free(&r2);
	CHECK(differ == 0);
	CHECK(nok > 1000 && nbad > 1000);
}

int
main(void)
{
	RUN(test_iso_time);
	RUN(test_text);
	RUN(test_same_reasons);
	RUN(test_differential);
	RUN(test_text_differential);
	return unit_failed != 0;
}
