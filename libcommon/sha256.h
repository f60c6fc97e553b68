/* sha256.h: SHA-256 (FIPS 180-4), incremental, for object checksums. */
#ifndef SP_SHA256_H
#define SP_SHA256_H

#include <stddef.h>
#include <stdint.h>

/* A zeroed struct is not ready: call sp_sha256_init.  Nothing is owned. */
struct sp_sha256 {
	uint32_t h[8];
	uint64_t len;		/* bytes hashed so far */
	unsigned char blk[64];
	size_t nblk;		/* bytes waiting in blk */
};

/* sp_sha256_init: starts a new digest in c (the caller's). */
void sp_sha256_init(struct sp_sha256 *c);
/* sp_sha256_update: hashes p[0, n) (borrowed, not kept). */
void sp_sha256_update(struct sp_sha256 *c, const void *p, size_t n);
/* Writes the 32-byte digest to out; c must be initialised again to reuse. */
void sp_sha256_final(struct sp_sha256 *c, unsigned char out[32]);
/*
 * sp_sha256_hw: whether to use the CPU's SHA instructions when it has them
 * (the default) or the portable code (want 0; for tests).  Returns whether
 * they are in use now.
 */
int sp_sha256_hw(int want);
/* sp_sha256_hex: the digest as 64 lowercase hex digits plus NUL in hex[65]. */
void sp_sha256_hex(const unsigned char d[32], char hex[65]);

#endif
