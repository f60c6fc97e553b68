/* strtab.h: interning byte strings to dense indices 0, 1, 2, ... */
#ifndef SP_STRTAB_H
#define SP_STRTAB_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

#define SP_STRTAB_NONE UINT32_MAX

/*
 * A zeroed struct sp_strtab is an empty table.  Every string added gets the
 * next index, in order of first addition; the table owns copies of them
 * (sp_strtab_free).  Strings are byte strings: they may hold NUL.
 */
struct sp_strtab {
	struct sp_buf text;	/* the strings, each followed by a NUL */
	size_t *off;		/* off[i]: string i's offset in text */
	uint32_t *len, *hash;
	uint32_t n, cap;
	uint32_t *slot;		/* open addressing: index + 1, 0 empty */
	size_t nslot;
};

/*
 * sp_strtab_add: the index of s[0, len), adding it if new (then *added is
 * set to 1 when added is not NULL).
 */
uint32_t sp_strtab_add(struct sp_strtab *t, const char *s, size_t len, int *added);
/* sp_strtab_find: the index of s[0, len), or SP_STRTAB_NONE. */
uint32_t sp_strtab_find(const struct sp_strtab *t, const char *s, size_t len);
/* String i (NUL-terminated, owned by t, valid until the next add) and its length. */
const char *sp_strtab_str(const struct sp_strtab *t, uint32_t i, size_t *len);
/* memcmp order of strings i and j (a prefix sorts first): <0, 0, >0. */
int sp_strtab_cmp(const struct sp_strtab *t, uint32_t i, uint32_t j);
/*
 * sp_strtab_sorted: a new array (caller frees) of the t->n indices in
 * sp_strtab_cmp order of their strings.
 */
uint32_t *sp_strtab_sorted(const struct sp_strtab *t);
/*
 * sp_str_hash: the 64-bit FNV-1a hash of s[0, n), for the tables of the
 * tools (the same value everywhere: sp-rerank draws its tie-breaks from it).
 */
uint64_t sp_str_hash(const void *s, size_t n);

/* sp_strtab_free: frees all t owns (not t itself); t is then empty again. */
void sp_strtab_free(struct sp_strtab *t);

#endif
