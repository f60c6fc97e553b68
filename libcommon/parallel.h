/* parallel.h: the threads the tools share their work over. */
#ifndef SP_PARALLEL_H
#define SP_PARALLEL_H

/*
 * Threads a tool shares its work over (the sparse products, sp-encode's
 * reading, sp-cosine's scoring): SP_THREADS from the environment if
 * set (1..64), else the number of online CPUs.  The results of linalg.h's
 * functions do not depend on the thread count.
 */
int sp_la_threads(void);
void sp_la_set_threads(int n);

/*
 * sp_la_parallel: fn(arg, t, nt) for t = 0 .. nt-1 (at most 64), each on
 * a thread of its own, the caller's being t 0; when a thread cannot
 * start, the caller runs its share.
 */
void sp_la_parallel(void (*fn)(void *arg, int t, int nt), void *arg, int nt);

#endif
