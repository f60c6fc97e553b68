/* fuzz_jsonstream.c: jsonstream.c, read in chunks of every size, checked against jscan.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "jscan.h"
#include "jsonstream.h"
#include "fuzz.h"

struct src {
	const uint8_t *p;
	size_t n, chunk;
};

/* A byte source handing out at most chunk bytes at a time. */
static ssize_t
src_read(void *ctx, void *buf, size_t n)
{
	struct src *s = ctx;

	if (n > s->chunk)
		n = s->chunk;
	if (n > s->n)
		n = s->n;
	memcpy(buf, s->p, n);
	s->p += n;
	s->n -= n;
	return (ssize_t)n;
}

/* The kinds of jsonstream.h and jscan.h are numbered alike. */
static int
same_kind(int jt, int st)
{
	return jt == st;
}

/*
 * The first byte picks the chunk size (1 to 256 bytes) and the element
 * cap (64 bytes to 1 MiB); the rest is the JSON text.  Every element the
 * stream returns must be one JSON value to jscan.c as well, of the same
 * kind, and its members must be the object's members in order.
 */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sp_jstream js;
	struct sp_jtok t, k, v;
	struct sp_jiter it;
	struct sp_buf b = { 0 };
	struct src s;
	size_t elem_max, i;
	int r;

	if (size < 1)
		return 0;
	s.chunk = (size_t)(data[0] & 0x0f) * 16 + 1;
	elem_max = (size_t)64 << ((data[0] >> 4) & 0x0f);
	if (elem_max > SP_JSTREAM_ELEM_MAX_DEFAULT)
		elem_max = SP_JSTREAM_ELEM_MAX_DEFAULT;
	s.p = data + 1;
	s.n = size - 1;
	sp_jstream_init(&js, src_read, &s, "fuzz", elem_max);
	if (sp_jstream_begin(&js) == SP_JSON_ARRAY) {
		while ((r = sp_jstream_next(&js)) == 1) {
			if (js.elem_len > elem_max)
				abort();
			if (sp_jscan(js.elem, js.elem_len, &t) != 0 || !same_kind(js.elem_type, t.type)) {
				fprintf(stderr, "fuzz: element %ld: jscan disagrees\n", js.index);
				abort();
			}
			if (js.elem_type != SP_JSON_OBJECT)
				continue;
			sp_jiter_init(&it, &t);
			for (i = 0; sp_jiter_next(&it, &k, &v); i++) {
				if (i >= js.nmembers || js.members[i].val_len != v.len ||
				    memcmp(js.members[i].val, v.p, v.len) != 0) {
					fprintf(stderr, "fuzz: element %ld: member %zu differs\n", js.index, i);
					abort();
				}
				sp_buf_reset(&b);
				sp_jstr_decode(&k, &b);
				if (b.len != js.members[i].key_len ||
				    memcmp(b.data, js.members[i].key, b.len) != 0) {
					fprintf(stderr, "fuzz: element %ld: key %zu differs\n", js.index, i);
					abort();
				}
				if (js.members[i].type == SP_JSON_STRING) {
					sp_buf_reset(&b);
					sp_json_unescape(js.members[i].val, js.members[i].val_len, &b);
				}
				if (sp_jstream_member(&js, "ts") == NULL && i == 0 &&
				    js.members[0].key_len == 2 && memcmp(js.members[0].key, "ts", 2) == 0)
					abort();
			}
			if (i != js.nmembers)
				abort();
		}
		if (r < 0 && js.err[0] == '\0' && !js.err_io)
			abort();	/* an error must say what it is */
	}
	sp_buf_free(&b);
	sp_jstream_free(&js);
	return 0;
}
