/* blaskern.h: running OpenBLAS's best kernel for this CPU. */
#ifndef SP_BLASKERN_H
#define SP_BLASKERN_H

/*
 * OpenBLAS built with DYNAMIC_ARCH picks its kernel in a library
 * constructor, before main, from the CPU's model number; a model it does
 * not know gets a fallback (0.3.21 runs Prescott's SSE3 kernels on recent
 * Xeons, Haswell's on AVX-512 EPYCs).  It reads OPENBLAS_CORETYPE at the
 * same time, so the only way to change the kernel is to start again:
 *
 * sp_blas_init: call first in main(), before any thread starts and before
 * anything is read or written, with main's argv.  When OPENBLAS_CORETYPE
 * is not set and the CPU's features (cpuid, and the register state the OS
 * saves) prove the detected kernel too weak, it sets OPENBLAS_CORETYPE to
 * the best kernel the features allow and executes /proc/self/exe once more
 * with the same arguments; SP_BLAS_CHOSEN marks that second start, so it
 * never loops, and both variables are removed again there, so that
 * programs the tool starts see the environment it was given.  A
 * user-set OPENBLAS_CORETYPE always wins and is never overridden.
 * If the new start fails, the tool goes on with the detected kernel.
 */
void sp_blas_init(char **argv);

/*
 * sp_blas_kernel: "KERNEL (how)" for -v, e.g. "SkylakeX (chosen from the
 * CPU's features; OpenBLAS detected Haswell)", "Prescott (OPENBLAS_CORETYPE
 * set by the user)" or "SkylakeX (as detected by OpenBLAS)".
 */
const char *sp_blas_kernel(void);
/*
 * sp_blas_one_thread: every BLAS call from here on runs on the calling
 * thread, for a tool that shares its work between threads of its own.
 * OpenBLAS's own threads, started by its constructor, would otherwise spin
 * (sched_yield) for about a tenth of a second after start, taking a core
 * from the tool's threads; they are stopped (OpenBLAS starts them again if
 * a call ever needs them).
 */
void sp_blas_one_thread(void);
/*
 * sp_blas_threads: sets the number of threads OpenBLAS's calls use to n
 * and returns the previous number.  A call that would change nothing is
 * not passed on: OpenBLAS (0.3.21) starts its stopped threads again on
 * every openblas_set_num_threads, even to 1, and they spin for a tenth of
 * a second, which is what sp_blas_one_thread is there to prevent.
 */
int sp_blas_threads(int n);

/* The CPU features that decide the kernel (bits of sp_blas_features). */
enum {
	SP_CPU_SSE3 = 1 << 0,
	SP_CPU_SSSE3 = 1 << 1,
	SP_CPU_SSE42 = 1 << 2,
	SP_CPU_AVX = 1 << 3,		/* with the OS saving YMM state */
	SP_CPU_AVX2 = 1 << 4,		/* the same */
	SP_CPU_FMA = 1 << 5,
	SP_CPU_AVX512 = 1 << 6,		/* F, CD, BW, DQ, VL, the OS saving ZMM */
	SP_CPU_AVX512BF16 = 1 << 7
};

/* sp_blas_features: this CPU's features (0 off x86-64). */
unsigned sp_blas_features(void);

/*
 * sp_blas_best: the OpenBLAS kernel name for a set of features, or NULL if
 * none beats the portable one.  sp_blas_level: the instruction-set level a
 * kernel name needs (0 SSE2/SSE3, 1 SSSE3, 2 SSE4.2, 3 AVX, 4 AVX2 and FMA,
 * 5 AVX-512), or -1 for a name it does not know (never replaced).
 */
const char *sp_blas_best(unsigned features);
int sp_blas_level(const char *kernel);

#endif
