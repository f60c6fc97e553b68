/* fuzz_schema.c: schema.c's checker against the project's schemas, and schemas themselves. */
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
 * The first byte picks a schema; the rest is one record, checked when
 * jscan accepts it: the verdict is 0 or -1, and a refusal always says why.
 * A first byte of 0xff makes the rest a schema instead, loaded from
 * memory: it must load (and check an empty object) or be refused with a
 * message.
 */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sp_buf r = { 0 };
	const struct sp_schema *s;
	struct sp_schema *own;
	struct sp_jtok t;
	int a, fd;

	if (nschemas == 0)
		load_schemas();
	if (size < 1)
		return 0;
	if (data[0] == 0xff) {
		own = sp_schema_load(sp_fuzz_memfile(data + 1, size - 1, &fd));
		close(fd);
		if (own != NULL) {
			if (sp_jscan("{}", 2, &t) != 0)
				abort();
			a = sp_schema_check_text(own, &t, &r);
			if (a != 0 && (a != -1 || r.len == 0))
				abort();
			sp_schema_free(own);
		}
		sp_buf_free(&r);
		return 0;
	}
	s = schemas[data[0] % nschemas];
	if (sp_jscan((const char *)data + 1, size - 1, &t) != 0)
		return 0;
	a = sp_schema_check_text(s, &t, &r);
	if (a != 0 && (a != -1 || r.len == 0))
		abort();	/* a refusal always says why */
	sp_buf_free(&r);
	return 0;
}
