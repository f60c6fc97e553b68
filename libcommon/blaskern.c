/* blaskern.c: running OpenBLAS's best kernel for this CPU (see blaskern.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif

#include "blaskern.h"

/* OpenBLAS's own; cblas.h declares it too, but not in every version. */
char *openblas_get_corename(void);
void openblas_set_num_threads(int);
int openblas_get_num_threads(void);

#define MARK "SP_BLAS_CHOSEN"

static char desc[256];

/* The x86-64 kernels of OpenBLAS's DYNAMIC_ARCH builds, by level. */
static const struct {
	const char *name;
	int level;
} kernels[] = {
	{ "Prescott", 0 }, { "Katmai", 0 }, { "Coppermine", 0 }, { "Northwood", 0 },
	{ "Banias", 0 }, { "Athlon", 0 }, { "Opteron", 0 }, { "Opteron(SSE3)", 0 },
	{ "Barcelona", 0 }, { "Bobcat", 0 }, { "Atom", 0 }, { "Nano", 0 },
	{ "Core2", 1 }, { "Penryn", 1 }, { "Dunnington", 1 },
	{ "Nehalem", 2 },
	{ "Sandybridge", 3 }, { "Bulldozer", 3 }, { "Piledriver", 3 }, { "Steamroller", 3 },
	{ "Haswell", 4 }, { "Zen", 4 }, { "Excavator", 4 },
	{ "SkylakeX", 5 }, { "Cooperlake", 5 },
};

int
sp_blas_level(const char *kernel)
{
	size_t i;

	if (kernel == NULL)
		return -1;
	for (i = 0; i < sizeof kernels / sizeof kernels[0]; i++)
		if (strcasecmp(kernel, kernels[i].name) == 0)
			return kernels[i].level;
	return -1;
}

const char *
sp_blas_best(unsigned f)
{
	if (f & SP_CPU_AVX512)
		return f & SP_CPU_AVX512BF16 ? "Cooperlake" : "SkylakeX";
	if ((f & (SP_CPU_AVX | SP_CPU_AVX2 | SP_CPU_FMA)) == (SP_CPU_AVX | SP_CPU_AVX2 | SP_CPU_FMA))
		return "Haswell";
	if (f & SP_CPU_AVX)
		return "Sandybridge";
	if (f & SP_CPU_SSE42)
		return "Nehalem";
	if (f & SP_CPU_SSSE3)
		return "Core2";
	return NULL;
}

unsigned
sp_blas_features(void)
{
	unsigned f = 0;
#if defined(__x86_64__) || defined(__i386__)
	unsigned a, b, c, d, max, lo = 0, hi = 0;
	unsigned long long xcr0 = 0;

	if (__get_cpuid(0, &max, &b, &c, &d) == 0 || max < 1)
		return 0;
	__cpuid(1, a, b, c, d);
	if (c & bit_SSE3)
		f |= SP_CPU_SSE3;
	if (c & bit_SSSE3)
		f |= SP_CPU_SSSE3;
	if (c & bit_SSE4_2)
		f |= SP_CPU_SSE42;
	if (c & bit_OSXSAVE) {
		__asm__ volatile ("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
		xcr0 = (unsigned long long)hi << 32 | lo;
	}
	/* AVX needs the OS to save XMM and YMM (XCR0 bits 1, 2). */
	if ((c & bit_AVX) && (xcr0 & 0x6) == 0x6) {
		f |= SP_CPU_AVX;
		if (c & bit_FMA)
			f |= SP_CPU_FMA;
		if (max >= 7) {
			__cpuid_count(7, 0, a, b, c, d);
			if (b & bit_AVX2)
				f |= SP_CPU_AVX2;
			/* AVX-512 also needs opmask and ZMM state (bits 5, 6, 7). */
			if ((b & (bit_AVX512F | bit_AVX512CD | bit_AVX512BW | bit_AVX512DQ |
			    bit_AVX512VL)) == (bit_AVX512F | bit_AVX512CD | bit_AVX512BW |
			    bit_AVX512DQ | bit_AVX512VL) && (xcr0 & 0xe6) == 0xe6) {
				f |= SP_CPU_AVX512;
				__cpuid_count(7, 1, a, b, c, d);
				if (a & (1u << 5))	/* AVX512_BF16 */
					f |= SP_CPU_AVX512BF16;
			}
		}
	}
#endif
	return f;
}

void
sp_blas_init(char **argv)
{
	const char *core = openblas_get_corename();
	const char *user = getenv("OPENBLAS_CORETYPE");
	const char *mark = getenv(MARK), *gt, *best;
	int lvl;

	if (core == NULL)
		core = "unknown";
	if (mark != NULL && (gt = strchr(mark, '>')) != NULL && user != NULL &&
	    strcmp(user, gt + 1) == 0) {
		/* The second start: the variables were ours, not the user's. */
		if (strcasecmp(core, user) == 0)
			snprintf(desc, sizeof desc, "%s (chosen from the CPU's features; OpenBLAS detected %.*s)",
			    core, (int)(gt - mark), mark);
		else
			snprintf(desc, sizeof desc, "%s (OpenBLAS did not take OPENBLAS_CORETYPE=%s)",
			    core, user);
		unsetenv("OPENBLAS_CORETYPE");
		unsetenv(MARK);
		return;
	}
	if (mark != NULL)
		unsetenv(MARK);	/* not ours: a stale mark decides nothing */
	if (user != NULL) {
		snprintf(desc, sizeof desc, "%s (OPENBLAS_CORETYPE set by the user)", core);
		return;
	}
	best = sp_blas_best(sp_blas_features());
	lvl = sp_blas_level(core);
	if (best == NULL || lvl < 0 || sp_blas_level(best) <= lvl || argv == NULL || argv[0] == NULL) {
		snprintf(desc, sizeof desc, "%s (as detected by OpenBLAS)", core);
		return;
	}
	snprintf(desc, sizeof desc, "%s>%s", core, best);
	if (setenv(MARK, desc, 1) == 0 && setenv("OPENBLAS_CORETYPE", best, 1) == 0) {
		fflush(NULL);
		execv("/proc/self/exe", argv);
	}
	unsetenv("OPENBLAS_CORETYPE");
	unsetenv(MARK);
	snprintf(desc, sizeof desc, "%s (as detected by OpenBLAS; could not start again with %s)",
	    core, best);
}

const char *
sp_blas_kernel(void)
{
	if (desc[0] == '\0') {
		const char *core = openblas_get_corename();

		snprintf(desc, sizeof desc, "%s (%s)", core ? core : "unknown",
		    getenv("OPENBLAS_CORETYPE") ? "OPENBLAS_CORETYPE set by the user" :
		    "as detected by OpenBLAS");
	}
	return desc;
}

/* The pthreads build's; absent from an OpenMP build, where nothing spins. */
extern void blas_thread_shutdown_(void) __attribute__((weak));

void
sp_blas_one_thread(void)
{
	openblas_set_num_threads(1);
	if (blas_thread_shutdown_ != NULL)
		blas_thread_shutdown_();
}

int
sp_blas_threads(int n)
{
	int was = openblas_get_num_threads();

	if (was != n)
		openblas_set_num_threads(n);
	return was;
}
