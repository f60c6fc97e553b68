/* fuzz_ndjson.c: ndjson.c's line reader and record parser, as the NDJSON filters read their input. */
#include <stdio.h>
#include <stdlib.h>

#include "ndjson.h"
#include "fuzz.h"

/*
 * libfuzzer: -detect_leaks=0
 * The first byte picks the line cap (1 byte to 16 MiB) and whether a
 * record must be an object; the rest is the NDJSON text, read from a
 * stream in memory.  A line over the cap, invalid JSON or a record of
 * the wrong type ends the reader with status 1 (sp_die): the guard
 * catches it.  Each record is written back and its fields looked up as
 * the tools do.
 */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *null, *fp;
	static struct sp_lines r;	/* static: still valid after the guard's longjmp */
	size_t len;
	jv v;
	int st, want_object;

	if (size < 1)
		return 0;
	if (null == NULL && (null = fopen("/dev/null", "w")) == NULL)
		abort();
	if ((fp = fmemopen((void *)(data + 1), size - 1 ? size - 1 : 1, "r")) == NULL)
		abort();
	if (size == 1)
		fgetc(fp);	/* fmemopen wants a size > 0: start at the end */
	sp_lines_init(&r, fp, "fuzz");
	r.max_len = (size_t)1 << (data[0] & 0x1f);
	if (r.max_len > SP_LINE_MAX_DEFAULT)
		r.max_len = SP_LINE_MAX_DEFAULT;
	want_object = data[0] >> 7;
	if ((st = SP_FUZZ_TRY()) == 0) {
		if (data[0] & 0x40) {
			while (sp_lines_next(&r, &len) != NULL)
				;
		} else {
			while (sp_ndjson_next(&r, &v, want_object) == 1) {
				const char *s;

				s = sp_jv_str_field(v, "id", 1, &r, &len);
				(void)s;
				if (sp_jv_write(null, v) != 0)
					abort();
			}
		}
	}
	sp_fuzz_done(st, 1u << 1);
	sp_lines_close(&r);
	fclose(fp);
	return 0;
}
