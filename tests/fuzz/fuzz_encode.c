/* fuzz_encode.c: sp-encode's spec and row parsing, and the encoding they drive, in memory. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz.h"

/* The tool itself, its main renamed: the harness calls its steps. */
int sp_encode_main(int argc, char **argv);
#define main sp_encode_main
#include "../../bin/sp-encode.c"
#undef main

/* Every transform, on fields of every type (pipelines/encode-example.json and more). */
static const char default_spec[] =
    "{\"id\": \"track_id\", \"labels\": [\"release_date\", \"heard\", \"artist_ids\"],\n"
    " \"features\": [\n"
    "  {\"field\": \"duration_ms\", \"transform\": \"log1p-minmax\", \"missing\": 0},\n"
    "  {\"field\": \"popularity\", \"transform\": \"minmax\"},\n"
    "  {\"field\": \"count\", \"transform\": \"rank\", \"weight\": 2},\n"
    "  {\"field\": \"popularity\", \"transform\": \"scale\", \"by\": 100},\n"
    "  {\"field\": \"artist_ids\", \"transform\": \"onehot\"},\n"
    "  {\"field\": \"genres\", \"transform\": \"onehot\", \"weight\": 0.5},\n"
    "  {\"field\": \"genres\", \"transform\": \"hash\", \"dim\": 64},\n"
    "  {\"field\": \"album_type\", \"transform\": \"onehot\"}]}\n";

/*
 * libfuzzer: -detect_leaks=0
 * The input is rows of NDJSON, encoded with the spec above; or, when it
 * holds a line "--", a spec (before it) and rows (after it).  Bad rows end
 * the tool with status 1 and a bad spec with status 2 (sp_die): the guard
 * catches both.  The matrix built is written to /dev/null.
 */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *null;
	static int fds[2] = { -1, -1 };
	const uint8_t *sep = NULL, *rows = data;
	size_t rows_len = size, i;
	/* Static: what the steps did is still there after the guard's longjmp. */
	static struct spec spec;
	static struct input in;
	static struct sp_mat m;
	const char *spec_path, *rows_path;
	int st;

	if (null == NULL && (null = fopen("/dev/null", "w")) == NULL)
		abort();
	for (i = 0; i + 4 <= size; i++)
		if ((i == 0 || data[i - 1] == '\n') && memcmp(data + i, "--\n", 3) == 0) {
			sep = data + i;
			break;
		}
	if (sep != NULL) {
		spec_path = sp_fuzz_memfile(data, (size_t)(sep - data), &fds[0]);
		spec_path = strdup(spec_path);
		rows = sep + 3;
		rows_len = size - (size_t)(rows - data);
	} else {
		spec_path = strdup(sp_fuzz_memfile((const uint8_t *)default_spec,
		    sizeof default_spec - 1, &fds[0]));
	}
	rows_path = sp_fuzz_memfile(rows, rows_len, &fds[1]);
	memset(&spec, 0, sizeof spec);
	memset(&in, 0, sizeof in);
	memset(&m, 0, sizeof m);
	if ((st = SP_FUZZ_TRY()) == 0) {
		load_spec(&spec, spec_path);
		if (sp_lines_open(&in.r, rows_path) != 0)
			abort();
		read_rows(&spec, &in);
		build(&spec, &in, &m);
		if (sp_mat_write(null, &m) != 0)
			abort();
	}
	sp_fuzz_done(st, 1u << 1 | 1u << 2);
	/* After an exit too: the spec and the rows are consistent at every sp_die. */
	sp_mat_free(&m);
	sp_buf_free(&in.labels);
	free(in.scan.vals);
	free(in.jvals);
	free(in.flen);
	sp_scan_free(&in.scan);
	if (in.r.fp != NULL)
		sp_lines_close(&in.r);
	free_spec(&spec);
	free((void *)spec_path);
	close(fds[0]);
	close(fds[1]);
	return 0;
}
