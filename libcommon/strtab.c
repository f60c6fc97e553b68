/* strtab.c: an open-addressing hash table from strings to dense indices. */
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "strtab.h"

uint64_t
sp_str_hash(const void *s, size_t n)
{
	const unsigned char *p = s;
	uint64_t h = 0xcbf29ce484222325u;

	while (n-- > 0)
		h = (h ^ *p++) * 0x100000001b3u;
	return h;
}

/* The table keeps 32 bits of it. */
static uint32_t
fnv1a(const char *s, size_t n)
{
	uint64_t h = sp_str_hash(s, n);

	return (uint32_t)(h ^ (h >> 32));
}

/* Slot of s: where its index + 1 is stored, or the empty slot to use. */
static size_t
probe(const struct sp_strtab *t, const char *s, size_t n, uint32_t h)
{
	size_t mask = t->nslot - 1, i = h & mask;
	uint32_t k;

	while ((k = t->slot[i]) != 0) {
		k--;
		if (t->hash[k] == h && t->len[k] == n &&
		    memcmp(t->text.data + t->off[k], s, n) == 0)
			break;
		i = (i + 1) & mask;
	}
	return i;
}

static void
rehash(struct sp_strtab *t)
{
	size_t mask, i;

	free(t->slot);
	t->nslot = t->nslot ? t->nslot * 2 : 64;
	t->slot = sp_xcalloc(t->nslot, sizeof *t->slot);
	mask = t->nslot - 1;
	for (uint32_t k = 0; k < t->n; k++) {
		for (i = t->hash[k] & mask; t->slot[i] != 0; i = (i + 1) & mask)
			;
		t->slot[i] = k + 1;
	}
}

uint32_t
sp_strtab_add(struct sp_strtab *t, const char *s, size_t len, int *added)
{
	uint32_t h = fnv1a(s, len);
	size_t i;

	if (added != NULL)
		*added = 0;
	if (t->nslot != 0) {
		i = probe(t, s, len, h);
		if (t->slot[i] != 0)
			return t->slot[i] - 1;
	}
	if (len > UINT32_MAX || t->n >= UINT32_MAX - 1)
		sp_die(SP_EXIT_DATA, "too many or too long strings to intern");
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 64;
		t->off = sp_xreallocarray(t->off, t->cap, sizeof *t->off);
		t->len = sp_xreallocarray(t->len, t->cap, sizeof *t->len);
		t->hash = sp_xreallocarray(t->hash, t->cap, sizeof *t->hash);
	}
	t->off[t->n] = t->text.len;
	t->len[t->n] = (uint32_t)len;
	t->hash[t->n] = h;
	sp_buf_add(&t->text, s, len);
	sp_buf_addc(&t->text, '\0');
	t->n++;
	/* Keep the load factor at most one half. */
	if ((size_t)t->n * 2 > t->nslot) {
		rehash(t);
	} else {
		i = probe(t, s, len, h);
		t->slot[i] = t->n;
	}
	if (added != NULL)
		*added = 1;
	return t->n - 1;
}

uint32_t
sp_strtab_find(const struct sp_strtab *t, const char *s, size_t len)
{
	size_t i;

	if (t->nslot == 0)
		return SP_STRTAB_NONE;
	i = probe(t, s, len, fnv1a(s, len));
	return t->slot[i] != 0 ? t->slot[i] - 1 : SP_STRTAB_NONE;
}

const char *
sp_strtab_str(const struct sp_strtab *t, uint32_t i, size_t *len)
{
	if (len != NULL)
		*len = t->len[i];
	return t->text.data + t->off[i];
}

int
sp_strtab_cmp(const struct sp_strtab *t, uint32_t i, uint32_t j)
{
	uint32_t a = t->len[i], b = t->len[j];
	int c = memcmp(t->text.data + t->off[i], t->text.data + t->off[j], a < b ? a : b);

	return c != 0 ? c : (a > b) - (a < b);
}

static int
cmp_index(const void *a, const void *b, void *t)
{
	return sp_strtab_cmp(t, *(const uint32_t *)a, *(const uint32_t *)b);
}

uint32_t *
sp_strtab_sorted(const struct sp_strtab *t)
{
	uint32_t *ids = sp_xreallocarray(NULL, t->n ? t->n : 1, sizeof *ids), i;

	for (i = 0; i < t->n; i++)
		ids[i] = i;
	qsort_r(ids, t->n, sizeof *ids, cmp_index, (void *)t);
	return ids;
}

void
sp_strtab_free(struct sp_strtab *t)
{
	sp_buf_free(&t->text);
	free(t->off);
	free(t->len);
	free(t->hash);
	free(t->slot);
	memset(t, 0, sizeof *t);
}
