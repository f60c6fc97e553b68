/* parallel.c: the threads every tool shares its work over (see parallel.h). */
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

#include "parallel.h"

#define MAX_THREADS 64

static int la_threads;

int
sp_la_threads(void)
{
	const char *e;
	long n;

	if (la_threads > 0)
		return la_threads;
	n = 0;
	if ((e = getenv("SP_THREADS")) != NULL && *e != '\0')
		n = strtol(e, NULL, 10);
	if (n < 1 || n > MAX_THREADS)
		n = sysconf(_SC_NPROCESSORS_ONLN);
	if (n < 1)
		n = 1;
	if (n > MAX_THREADS)
		n = MAX_THREADS;
	la_threads = (int)n;
	return la_threads;
}

void
sp_la_set_threads(int n)
{
	la_threads = n < 1 ? 1 : n > MAX_THREADS ? MAX_THREADS : n;
}


struct task {
	void (*fn)(void *arg, int t, int nt);
	void *arg;
	int t, nt;
};

static void *
task_main(void *p)
{
	struct task *k = p;

	k->fn(k->arg, k->t, k->nt);
	return NULL;
}

void
sp_la_parallel(void (*fn)(void *, int, int), void *arg, int nt)
{
	pthread_t th[MAX_THREADS];
	struct task tk[MAX_THREADS];
	int started[MAX_THREADS];
	int t;

	for (t = 0; t < nt; t++) {
		tk[t] = (struct task){ fn, arg, t, nt };
		started[t] = t > 0 && pthread_create(&th[t], NULL, task_main, &tk[t]) == 0;
	}
	fn(arg, 0, nt);
	for (t = 1; t < nt; t++) {
		if (started[t])
			pthread_join(th[t], NULL);
		else
			fn(arg, t, nt);	/* no thread: do its share here */
	}
}
