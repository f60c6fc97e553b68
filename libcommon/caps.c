/* caps.c: a cover of unit vectors by small spherical caps; see caps.h. */
#include <math.h>
#include <stdint.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "caps.h"
#include "diag.h"


/* ---- a parallel loop over independent items ---- */

struct par {
	void (*fn)(void *, size_t, float *);
	void *arg;
	size_t n, scratch;
	atomic_size_t next;
};

static void *
par_main(void *p)
{
	struct par *q = p;
	float *s = sp_xreallocarray(NULL, q->scratch + 1, sizeof *s);
	size_t i;

	while ((i = atomic_fetch_add(&q->next, 1)) < q->n)
		q->fn(q->arg, i, s);
	free(s);
	return NULL;
}

void
sp_par_for(void (*fn)(void *, size_t, float *), void *arg, size_t n, size_t scratch, int nt)
{
	struct par q = { fn, arg, n, scratch, 0 };
	pthread_t tid[64];
	int i, started = 0;

	if (nt > 64)
		nt = 64;
	for (i = 1; i < nt && (size_t)i < n; i++, started++)
		if (pthread_create(&tid[i - 1], NULL, par_main, &q) != 0)
			break;
	par_main(&q);
	for (i = 0; i < started; i++)
		pthread_join(tid[i], NULL);
}

typedef float v8f __attribute__((vector_size(32)));

#define TARGETS __attribute__((target_clones("arch=x86-64-v3", "default")))

TARGETS float
sp_dotf(const float *a, const float *b, int n)
{
	v8f s0 = { 0 }, s1 = { 0 }, x, y;
	float t = 0;
	int i = 0;

	for (; i + 16 <= n; i += 16) {
		memcpy(&x, a + i, sizeof x);
		memcpy(&y, b + i, sizeof y);
		s0 += x * y;
		memcpy(&x, a + i + 8, sizeof x);
		memcpy(&y, b + i + 8, sizeof y);
		s1 += x * y;
	}
	for (; i + 8 <= n; i += 8) {
		memcpy(&x, a + i, sizeof x);
		memcpy(&y, b + i, sizeof y);
		s0 += x * y;
	}
	for (; i < n; i++)
		t += a[i] * b[i];
	s0 += s1;
	for (int j = 0; j < 8; j++)
		t += s0[j];
	return t;
}
