/* topk.c: partial selection with a bounded max-heap. */
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "topk.h"

#define AT(i) (b + (i) * size)

static void
swap(unsigned char *x, unsigned char *y, size_t size, unsigned char *tmp)
{
	memcpy(tmp, x, size);
	memcpy(x, y, size);
	memcpy(y, tmp, size);
}

/* Restores the max-heap property of b[0, k) below node i. */
static void
sift_down(unsigned char *b, size_t k, size_t size, size_t i,
    int (*cmp)(const void *, const void *), unsigned char *tmp)
{
	size_t c;

	while ((c = 2 * i + 1) < k) {
		if (c + 1 < k && cmp(AT(c + 1), AT(c)) > 0)
			c++;
		if (cmp(AT(c), AT(i)) <= 0)
			break;
		swap(AT(c), AT(i), size, tmp);
		i = c;
	}
}

void
sp_topk(void *base, size_t n, size_t size, size_t k,
    int (*cmp)(const void *, const void *))
{
	unsigned char *b = base, *tmp;
	size_t i;

	if (k > n)
		k = n;
	if (k == 0)
		return;
	if (k < n) {
		tmp = sp_xmalloc(size);
		/* The heap's root is the largest of the k kept so far. */
		for (i = k / 2; i-- > 0;)
			sift_down(b, k, size, i, cmp, tmp);
		for (i = k; i < n; i++) {
			if (cmp(AT(i), AT(0)) < 0) {
				swap(AT(i), AT(0), size, tmp);
				sift_down(b, k, size, 0, cmp, tmp);
			}
		}
		free(tmp);
	}
	qsort(b, k, size, cmp);
}
