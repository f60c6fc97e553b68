/* caps.h: (temporary) a parallel loop and a float dot product. */
#ifndef SP_CAPS_H
#define SP_CAPS_H

#include <stddef.h>
#include <stdint.h>

/*
 * sp_par_for: fn(arg, i, scratch) for each i < n, on nt threads (the
 * caller's among them), each taking the next i and having its own scratch
 * of `scratch` floats.
 */
void sp_par_for(void (*fn)(void *, size_t, float *), void *arg, size_t n, size_t scratch,
    int nt);

/* sp_dotf: the dot product of two float vectors of n (in float). */
float sp_dotf(const float *a, const float *b, int n);

#endif
