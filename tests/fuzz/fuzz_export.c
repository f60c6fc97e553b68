/* fuzz_export.c: the export reader: sp-import on one input (a ZIP, gzip or JSON) held in memory. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "fuzz.h"

/* The tool itself, its main renamed: the harness calls import_path. */
int sp_import_main(int argc, char **argv);
#define main sp_import_main
#include "../../bin/sp-import.c"
#undef main

/*
 * The input is one file as a user would pass it: a ZIP of an export (its
 * entries through libarchive), a gzip'd history or a bare JSON array.  It
 * goes through entries.c and jsonstream.c to the records, which are
 * written to /dev/null.  import_path reports bad data and returns -1; it
 * never exits but on a write error, which /dev/null does not give.
 */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct opts o = { 0, (1u << NKINDS) - 1, "2026-01-01T00:00:00Z" };
	static int inited;
	struct file f;
	const char *path;
	int fd, k;

	if (!inited) {
		if (freopen("/dev/null", "w", stdout) == NULL)
			abort();
		htab_init();
		for (k = 0; k < NFIELDS; k++)
			sp_buf_printf(&sep[k], ",\"%s\":", field_name[k]);
		sp_buf_grow(&out, (size_t)1 << 19);
		inited = 1;
	}
	path = sp_fuzz_memfile(data, size, &fd);
	memset(&f, 0, sizeof f);
	import_path(path, &f, &o);
	flush_out();
	for (k = 0; k < NKINDS; k++)
		sp_buf_free(&f.prefix[k]);
	close(fd);
	return 0;
}
