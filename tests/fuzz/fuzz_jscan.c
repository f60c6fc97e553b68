/* fuzz_jscan.c: jscan.c's validator and iterators, checked against jq's parser. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "jscan.h"
#include "ndjson.h"
#include "schema.h"
#include "fuzz.h"

static int depth_seen;

/* Walks t as the tools do: every member, every string decoded and compared. */
static void
walk(const struct sp_jtok *t, struct sp_buf *b, int depth)
{
	struct sp_jiter it;
	struct sp_jtok k, v;

	if (depth > depth_seen)
		depth_seen = depth;
	if (t->type == SP_JSON_STRING) {
		sp_buf_reset(b);
		sp_jstr_decode(t, b);
		sp_buf_addc(b, '\0');
		/* A decoded string without NUL compares equal to itself. */
		if (strlen(b->data) == b->len - 1 && !sp_jstr_eq(t, b->data))
			abort();
		return;
	}
	if (sp_jiter_init(&it, t) != 0)
		return;
	while (sp_jiter_next(&it, &k, &v)) {
		if (t->type == SP_JSON_OBJECT) {
			if (k.type != SP_JSON_STRING)
				abort();
			walk(&k, b, depth + 1);
		}
		walk(&v, b, depth + 1);
	}
}

/*
 * The input is one JSON text.  What jscan accepts, jq must parse too
 * (jq is the reference parser of the tools' slow paths) and to a value
 * of the same kind, when the text is one PostgreSQL takes
 * (sp_json_text_ok: RFC 8259 allows a lone surrogate escape, which jq
 * refuses and sp-stage rejects).
 */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const jv_kind kind[] = { 0, JV_KIND_NULL, JV_KIND_FALSE, JV_KIND_TRUE,
	    JV_KIND_NUMBER, JV_KIND_STRING, JV_KIND_ARRAY, JV_KIND_OBJECT };
	struct sp_buf b = { 0 };
	struct sp_jtok t;
	jv v;

	if (sp_jscan((const char *)data, size, &t) != 0)
		return 0;
	if (t.type < SP_JSON_NULL || t.type > SP_JSON_OBJECT || t.p < (const char *)data ||
	    t.p + t.len > (const char *)data + size)
		abort();
	depth_seen = 0;
	walk(&t, &b, 0);
	sp_buf_reset(&b);
	if (depth_seen < 200 && sp_json_text_ok((const char *)data, size, &b)) {	/* jq's own depth limit is lower than jscan's */
		v = sp_jv_parse((const char *)data, size);
		if (!jv_is_valid(v) || jv_get_kind(v) != kind[t.type]) {
			fprintf(stderr, "fuzz: jscan accepts what jq does not\n");
			abort();
		}
		jv_free(v);
	}
	sp_buf_free(&b);
	return 0;
}
