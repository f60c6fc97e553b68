/* topk.h: the k smallest elements of an array, sorted, in O(n log k). */
#ifndef SP_TOPK_H
#define SP_TOPK_H

#include <stddef.h>

/*
 * sp_topk: rearranges base[0, n) (elements of size bytes, like qsort) so
 * that its first min(k, n) elements are the k smallest by cmp, in
 * ascending order; the order of the rest is unspecified.  cmp must be a
 * total order for the result to be deterministic.  Uses a bounded max-heap:
 * O(n log k) comparisons, no allocation beyond one element.
 */
void sp_topk(void *base, size_t n, size_t size, size_t k,
    int (*cmp)(const void *, const void *));

#endif
