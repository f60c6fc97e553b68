/* fuzz_scan.c: encode.c's fast row scanner, checked against its slow path over jq's parse. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "encode.h"
#include "ndjson.h"
#include "fuzz.h"

static const char *const fields[] = { "id", "a", "genres", "n", "x" };
#define NF (sizeof fields / sizeof *fields)

/*
 * The input is one row.  When sp_scan_line takes it (the fast path), jq
 * must parse it to an object and sp_scan_jv must find the same values:
 * each field written back as JSON (sp_buf_add_sval, sp_buf_add_jv) must
 * read the same.  When it does not, the slow path must still run.
 */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static size_t flen[NF];
	struct sp_sval fast[NF], slow[NF];
	struct sp_scan a = { 0 }, b = { 0 };
	struct sp_buf ta = { 0 }, tb = { 0 };
	jv jvals[NF], v;
	size_t i;
	int r;

	for (i = 0; i < NF; i++)
		flen[i] = strlen(fields[i]);
	a.fields = b.fields = fields;
	a.flen = b.flen = flen;
	a.nfields = b.nfields = NF;
	a.vals = fast;
	b.vals = slow;
	r = sp_scan_line(&a, (const char *)data, size);
	v = sp_jv_parse((const char *)data, size);
	if (r == 0 && (!jv_is_valid(v) || jv_get_kind(v) != JV_KIND_OBJECT)) {
		fprintf(stderr, "fuzz: the fast path took a row jq refuses\n");
		abort();
	}
	if (jv_is_valid(v) && jv_get_kind(v) == JV_KIND_OBJECT) {
		sp_scan_jv(&b, v, jvals);
		for (i = 0; i < NF; i++) {
			sp_buf_reset(&tb);
			sp_buf_add_jv(&tb, jvals[i]);
			if (r == 0) {
				sp_buf_reset(&ta);
				sp_buf_add_sval(&ta, &a, &fast[i]);
				if (fast[i].kind != SP_SVAL_OTHER && (ta.len != tb.len ||
				    memcmp(ta.data, tb.data, ta.len) != 0)) {
					fprintf(stderr, "fuzz: field '%s': fast %.*s, slow %.*s\n",
					    fields[i], (int)ta.len, ta.data, (int)tb.len, tb.data);
					abort();
				}
			}
			jv_free(jvals[i]);
		}
	}
	jv_free(v);
	sp_buf_free(&ta);
	sp_buf_free(&tb);
	sp_scan_free(&a);
	sp_scan_free(&b);
	return 0;
}
