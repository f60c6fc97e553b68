/* dupwin.c: a window over the last keys seen, to notice a repeat close behind. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "dupwin.h"
#include "strtab.h"

#define W SP_DUPWIN_SIZE

struct sp_dupwin {
	char *key[W];
	size_t klen[W];
	uint64_t h[W];
	int next[W];		/* the bucket chains */
	int bucket[2 * W];
	long n;			/* keys added */
};

struct sp_dupwin *
sp_dupwin_new(void)
{
	struct sp_dupwin *w = sp_xcalloc(1, sizeof *w);

	sp_dupwin_reset(w);
	return w;
}

void
sp_dupwin_reset(struct sp_dupwin *w)
{
	int i;

	for (i = 0; i < W; i++) {
		free(w->key[i]);
		w->key[i] = NULL;
	}
	for (i = 0; i < 2 * W; i++)
		w->bucket[i] = -1;
	w->n = 0;
}

int
sp_dupwin_seen(struct sp_dupwin *w, const char *k, size_t n)
{
	uint64_t h = sp_str_hash(k, n);
	int b = (int)(h & (2 * W - 1)), i, slot, *pp;

	for (i = w->bucket[b]; i >= 0; i = w->next[i])
		if (w->h[i] == h && w->klen[i] == n && memcmp(w->key[i], k, n) == 0)
			return 1;
	slot = (int)(w->n++ & (W - 1));
	if (w->key[slot] != NULL) {
		/* The oldest key leaves its chain. */
		for (pp = &w->bucket[w->h[slot] & (2 * W - 1)]; *pp != slot; pp = &w->next[*pp])
			;
		*pp = w->next[slot];
		free(w->key[slot]);
	}
	w->key[slot] = sp_xmalloc(n ? n : 1);
	memcpy(w->key[slot], k, n);
	w->klen[slot] = n;
	w->h[slot] = h;
	w->next[slot] = w->bucket[b];
	w->bucket[b] = slot;
	return 0;
}

void
sp_dupwin_free(struct sp_dupwin *w)
{
	if (w == NULL)
		return;
	sp_dupwin_reset(w);
	free(w);
}
