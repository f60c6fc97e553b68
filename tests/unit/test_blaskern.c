/* test_blaskern.c: unit tests of the BLAS kernel choice (libcommon/blaskern.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "blaskern.h"
#include "linalg.h"
#include "unit.h"

/* The kernel for each level of features, the best the features allow. */
static void
test_best(void)
{
	unsigned sse = SP_CPU_SSE3 | SP_CPU_SSSE3 | SP_CPU_SSE42;

	CHECK(sp_blas_best(0) == NULL);
	CHECK(sp_blas_best(SP_CPU_SSE3) == NULL);
	CHECK_STR(sp_blas_best(SP_CPU_SSE3 | SP_CPU_SSSE3), "Core2");
	CHECK_STR(sp_blas_best(sse), "Nehalem");
	CHECK_STR(sp_blas_best(sse | SP_CPU_AVX), "Sandybridge");
	/* AVX2 without FMA is not enough for the Haswell kernels. */
	CHECK_STR(sp_blas_best(sse | SP_CPU_AVX | SP_CPU_AVX2), "Sandybridge");
	CHECK_STR(sp_blas_best(sse | SP_CPU_AVX | SP_CPU_AVX2 | SP_CPU_FMA), "Haswell");
	CHECK_STR(sp_blas_best(sse | SP_CPU_AVX | SP_CPU_AVX2 | SP_CPU_FMA | SP_CPU_AVX512), "SkylakeX");
	CHECK_STR(sp_blas_best(sse | SP_CPU_AVX | SP_CPU_AVX2 | SP_CPU_FMA | SP_CPU_AVX512 |
	    SP_CPU_AVX512BF16), "Cooperlake");
}

/* Levels: a fallback is replaced only by a kernel of a higher level. */
static void
test_level(void)
{
	CHECK(sp_blas_level("Prescott") == 0);
	CHECK(sp_blas_level("prescott") == 0);
	CHECK(sp_blas_level("Core2") == 1);
	CHECK(sp_blas_level("Nehalem") == 2);
	CHECK(sp_blas_level("Sandybridge") == 3);
	CHECK(sp_blas_level("Haswell") == 4);
	CHECK(sp_blas_level("Zen") == 4);
	CHECK(sp_blas_level("SkylakeX") == 5);
	CHECK(sp_blas_level("Cooperlake") == 5);
	/* A name it does not know is never replaced. */
	CHECK(sp_blas_level("SapphireRapids") == -1);
	CHECK(sp_blas_level(NULL) == -1);
	CHECK(sp_blas_level(sp_blas_best(SP_CPU_SSSE3)) == 1);
}

/* The features this CPU reports are consistent with one another. */
static void
test_features(void)
{
	unsigned f = sp_blas_features();

	if (f & SP_CPU_AVX512)
		CHECK(f & SP_CPU_AVX2);
	if (f & SP_CPU_AVX512BF16)
		CHECK(f & SP_CPU_AVX512);
	if (f & (SP_CPU_AVX2 | SP_CPU_FMA))
		CHECK(f & SP_CPU_AVX);
#if defined(__x86_64__)
	CHECK(f & SP_CPU_SSE3);	/* every x86-64 CPU that runs Debian 12's OpenBLAS */
#endif
}

/* Without sp_blas_init, the kernel is described as OpenBLAS has it. */
static void
test_describe(void)
{
	const char *d = sp_blas_kernel();

	CHECK(d != NULL && strchr(d, '(') != NULL);
	CHECK(strstr(d, getenv("OPENBLAS_CORETYPE") ? "set by the user" : "as detected") != NULL);
}

/* This process's thread count (/proc/self/status), or -1. */
static int
threads(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	int n = -1;

	if (f == NULL)
		return -1;
	while (fgets(line, sizeof line, f) != NULL)
		if (sscanf(line, "Threads: %d", &n) == 1)
			break;
	fclose(f);
	return n;
}

/*
 * Once OpenBLAS's threads are stopped, the library's calls that set its
 * thread count (to 1 and back) do not start them again: they would spin
 * beside the tool's own threads.
 */
static void
test_one_thread(void)
{
	float a[64 * 4];
	double g[16];
	size_t i;

	for (i = 0; i < 64 * 4; i++)
		a[i] = (float)((i * 7919) % 61) - 30;
	sp_blas_one_thread();
	CHECK(threads() == 1);
	CHECK(sp_blas_threads(1) == 1);
	CHECK(threads() == 1);
	CHECK(sp_orth(a, 64, 4, 4) == 0);
	sp_gram(a, 64, 4, 4, g);
	CHECK(threads() == 1);
	CHECK(g[0] > 0.99 && g[0] < 1.01);
}

int
main(void)
{
	RUN(test_best);
	RUN(test_level);
	RUN(test_features);
	RUN(test_describe);
	RUN(test_one_thread);
	return unit_failed != 0;
}
