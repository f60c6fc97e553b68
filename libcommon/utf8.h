/* utf8.h: checking UTF-8 sequences, for the JSON readers and writers. */
#ifndef SP_UTF8_H
#define SP_UTF8_H

#include <stddef.h>

/*
 * sp_utf8_len: the length (1 to 4) of the valid UTF-8 sequence at p, of
 * which n bytes are available (n > 0); 0 when it is not valid UTF-8
 * (overlong, a surrogate, above U+10FFFF, a stray continuation byte); -1
 * when the n bytes are a valid start cut short, for readers that may get
 * more.  Reads at most min(n, 4) bytes; nothing is owned.
 */
int sp_utf8_len(const unsigned char *p, size_t n);

#endif
