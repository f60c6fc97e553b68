/* fuzz_schema.c: schema.c's two checkers (over jv values and over JSON text) against the project's schemas. */
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "jscan.h"
#include "ndjson.h"
#include "schema.h"
#include "fuzz.h"

static struct sp_schema *schemas[32];
static size_t nschemas;

/* The schemas of $SP_ROOT/schemas (default: the working directory's). */
static void
load_schemas(void)
{
	const char *root = getenv("SP_ROOT");
	char pat[4096];
	glob_t g;
	size_t i;

	snprintf(pat, sizeof pat, "%s/schemas/*.schema.json", root ? root : ".");
	if (glob(pat, 0, NULL, &g) != 0) {
		fprintf(stderr, "fuzz: no schemas at %s (set SP_ROOT)\n", pat);
		abort();
	}
	for (i = 0; i < g.gl_pathc && nschemas < sizeof schemas / sizeof *schemas; i++)
		if ((schemas[nschemas] = sp_schema_load(g.gl_pathv[i])) != NULL)
			nschemas++;
		else
			abort();
	globfree(&g);
}

/*
 * The first byte picks a schema; the rest is one record.  When jscan
 * accepts the record, sp_schema_check_text and sp_schema_check (over jq's
 * value of the same text) must give the same verdict, and the same reason
 * when the text is valid UTF-8 (sp_json_text_ok; jq replaces an invalid
 * byte with U+FFFD, so a reason quoting it differs), as schema.h promises.  A first byte of 0xff makes the rest a schema
 * instead, loaded from memory: it must load or be refused with a message.
 */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sp_buf r1 = { 0 }, r2 = { 0 }, r3 = { 0 };
	const struct sp_schema *s;
	struct sp_schema *own;
	struct sp_jtok t;
	int a, b, fd, same;
	jv v;

	if (nschemas == 0)
		load_schemas();
	if (size < 1)
		return 0;
	if (data[0] == 0xff) {
		own = sp_schema_load(sp_fuzz_memfile(data + 1, size - 1, &fd));
		close(fd);
		if (own != NULL) {
			v = sp_jv_parse("{}", 2);
			sp_schema_check(own, v, &r1);
			jv_free(v);
			sp_schema_free(own);
		}
		sp_buf_free(&r1);
		return 0;
	}
	s = schemas[data[0] % nschemas];
	if (sp_jscan((const char *)data + 1, size - 1, &t) != 0)
		return 0;
	v = sp_jv_parse((const char *)data + 1, size - 1);
	if (!jv_is_valid(v)) {
		jv_free(v);
		return 0;
	}
	a = sp_schema_check_text(s, &t, &r1);
	b = sp_schema_check(s, v, &r2);
	jv_free(v);
	same = a == b;
	if (same && sp_json_text_ok((const char *)data + 1, size - 1, &r3))
		same = r1.len == r2.len && (r1.len == 0 || memcmp(r1.data, r2.data, r1.len) == 0);
	if (!same) {
		fprintf(stderr, "fuzz: text check %d '%.*s', jv check %d '%.*s'\n", a, (int)r1.len,
		    r1.data ? r1.data : "", b, (int)r2.len, r2.data ? r2.data : "");
		abort();
	}
	if (a != 0 && r1.len == 0)
		abort();	/* a refusal always says why */
	sp_buf_free(&r1);
	sp_buf_free(&r2);
	sp_buf_free(&r3);
	return 0;
}
