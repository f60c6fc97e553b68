/* driver.c: feeds files to a harness once each, without libFuzzer (make check's replay). */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "buf.h"
#include "fuzz.h"

static long ninputs;

static void
run_file(const char *path)
{
	size_t len;
	char *data = sp_read_file(path, (size_t)1 << 30, &len);

	if (data == NULL) {
		fprintf(stderr, "fuzz: %s: %s\n", path, strerror(errno));
		exit(1);
	}
	/* A copy of exactly len bytes, so that ASan sees a read past the end. */
	uint8_t *copy = malloc(len ? len : 1);
	if (copy == NULL)
		abort();
	memcpy(copy, data, len);
	free(data);
	if (getenv("SP_FUZZ_VERBOSE") != NULL)
		fprintf(stderr, "fuzz: %s\n", path);
	LLVMFuzzerTestOneInput(copy, len);
	free(copy);
	ninputs++;
}

static int
cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The regular files of dir, in byte order of their names. */
static void
run_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **names = NULL, path[4096];
	size_t n = 0, cap = 0, i;
	struct stat st;

	if (d == NULL) {
		fprintf(stderr, "fuzz: %s: %s\n", dir, strerror(errno));
		exit(1);
	}
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		if (n == cap && (names = realloc(names, (cap = cap ? cap * 2 : 64) * sizeof *names)) == NULL)
			abort();
		if ((names[n++] = strdup(e->d_name)) == NULL)
			abort();
	}
	closedir(d);
	if (n > 0)
		qsort(names, n, sizeof *names, cmp_name);
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, names[i]);
		if (stat(path, &st) == 0 && S_ISREG(st.st_mode))
			run_file(path);
		free(names[i]);
	}
	free(names);
}

/*
 * Usage: fuzz_TARGET FILE|DIR...: runs the harness once on each file (a
 * directory: each regular file in it, not recursively) and prints "N
 * inputs" on stderr.  A crash ends it as the harness crashed (abort, a sanitizer's
 * report); exit 0 otherwise.  Options of libFuzzer (-runs=1 ...) are
 * ignored, so that the same command line works with both builds.
 */
int
main(int argc, char **argv)
{
	struct stat st;
	int i;

	for (i = 1; i < argc; i++) {
		if (argv[i][0] == '-')
			continue;
		if (stat(argv[i], &st) != 0) {
			fprintf(stderr, "fuzz: %s: %s\n", argv[i], strerror(errno));
			return 1;
		}
		if (S_ISDIR(st.st_mode))
			run_dir(argv[i]);
		else
			run_file(argv[i]);
	}
	fprintf(stderr, "%ld inputs\n", ninputs);
	return 0;
}
