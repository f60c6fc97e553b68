/* dupwin.h: a window over the last keys seen, to notice a repeat close behind. */
#ifndef SP_DUPWIN_H
#define SP_DUPWIN_H

#include <stddef.h>

/* How many of the latest keys a window remembers (a power of 2). */
#define SP_DUPWIN_SIZE 4096

/*
 * A window remembers copies of the last SP_DUPWIN_SIZE distinct keys
 * added (byte strings), so memory is bounded whatever the input; a key
 * older than that is forgotten.  sp_dupwin_new makes an empty one, which
 * the caller frees with sp_dupwin_free.
 */
struct sp_dupwin;
struct sp_dupwin *sp_dupwin_new(void);
/* sp_dupwin_reset: forgets every key. */
void sp_dupwin_reset(struct sp_dupwin *w);
/* sp_dupwin_seen: whether k[0, n) is in the window; adds it (a copy) if not. */
int sp_dupwin_seen(struct sp_dupwin *w, const char *k, size_t n);
void sp_dupwin_free(struct sp_dupwin *w);

#endif
