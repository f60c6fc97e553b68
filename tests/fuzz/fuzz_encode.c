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
 * The rows at path encoded with the spec, read by threads threads: the
 * matrix written into *out (*outlen), or the first error's line and
 * message in *line, msg.  Returns 0 when the rows were read.
 */
static int
encode_with(struct spec *spec, const char *path, int threads, char **out, size_t *outlen,
    long *line, char *msg, size_t msgsize)
{
	static struct input in;
	static struct sp_mat m;
	static FILE *fp;
	const char *err;
	int st, rc;

	*out = NULL;
	*outlen = 0;
	*line = 0;
	msg[0] = '\0';
	if (input_open(&in, path) != 0)
		abort();
	if ((rc = read_input(spec, &in, threads, line, &err)) != 0) {
		snprintf(msg, msgsize, "%s", err);
		input_close(&in);
		return rc;
	}
	memset(&m, 0, sizeof m);
	if ((fp = open_memstream(out, outlen)) == NULL)
		abort();
	/* build dies (status 1) only beyond 2^32 columns. */
	if ((st = SP_FUZZ_TRY()) == 0) {
		build(spec, &in, threads, &m);
		if (sp_mat_write(fp, &m) != 0)
			abort();
	}
	sp_fuzz_done(st, 1u << 1);
	fclose(fp);
	sp_mat_free(&m);
	input_close(&in);
	return 0;
}

/*
 * libfuzzer: -detect_leaks=0
 * The input is rows of NDJSON, encoded with the spec above; or, when it
 * holds a line "--", a spec (before it) and rows (after it).  A bad spec
 * ends the tool with status 2 (sp_die): the guard catches it.  The rows
 * are read by one thread, then by two (the second from a line near the
 * middle of the rows): the matrices, or the first error's line and
 * message, must be the same.
 */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int fds[2] = { -1, -1 };
	const uint8_t *sep = NULL, *rows = data;
	size_t rows_len = size, i, len[2];
	/* Static: what the steps did is still there after the guard's longjmp. */
	static struct spec spec;
	static char msg[2][4096];
	const char *spec_path, *rows_path;
	char *out[2];
	long line[2];
	int st, rc[2];

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
	if ((st = SP_FUZZ_TRY()) == 0)
		load_spec(&spec, spec_path);
	sp_fuzz_done(st, 1u << 2);
	if (st == 0) {
		for (i = 0; i < 2; i++)
			rc[i] = encode_with(&spec, rows_path, (int)i + 1, &out[i], &len[i],
			    &line[i], msg[i], sizeof msg[i]);
		if (rc[0] != rc[1] || line[0] != line[1] || strcmp(msg[0], msg[1]) != 0 ||
		    len[0] != len[1] || (len[0] > 0 && memcmp(out[0], out[1], len[0]) != 0)) {
			fprintf(stderr, "fuzz: one thread: %ld: %s; two: %ld: %s; matrices %zu, %zu bytes\n",
			    line[0], msg[0], line[1], msg[1], len[0], len[1]);
			abort();
		}
		free(out[0]);
		free(out[1]);
	}
	/* After an exit too: the spec is consistent at every sp_die. */
	free_spec(&spec);
	free((void *)spec_path);
	close(fds[0]);
	close(fds[1]);
	return 0;
}
