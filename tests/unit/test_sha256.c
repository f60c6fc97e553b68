/* test_sha256.c: SHA-256 against the FIPS 180-4 examples, whole and in pieces. */
#include <stdlib.h>

#include "sha256.h"
#include "unit.h"

static void
hex_of(const char *s, size_t n, size_t step, char hex[65])
{
	struct sp_sha256 c;
	unsigned char d[32];
	size_t i, k;

	sp_sha256_init(&c);
	for (i = 0; i < n; i += k) {
		k = n - i < step ? n - i : step;
		sp_sha256_update(&c, s + i, k);
	}
	sp_sha256_final(&c, d);
	sp_sha256_hex(d, hex);
}

static void
test_vectors(void)
{
	char hex[65];
	const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";

	hex_of("", 0, 1, hex);
	CHECK_STR(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	hex_of("abc", 3, 64, hex);
	CHECK_STR(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	hex_of(two, strlen(two), 64, hex);
	CHECK_STR(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	hex_of(two, strlen(two), 7, hex);
	CHECK_STR(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

static void
test_million_a(void)
{
	char *s = malloc(1000000), hex[65];

	CHECK(s != NULL);
	memset(s, 'a', 1000000);
	hex_of(s, 1000000, 4093, hex);
	free(s);
	CHECK_STR(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

/*
 * The CPU's SHA instructions (when it has them) and the portable code give
 * the same digests, over lengths around the block size and pieces of
 * every size; the vectors above run with the instructions, then again
 * without them.
 */
static void
test_hw_equal(void)
{
	static unsigned char data[4096];
	char a[65], b[65];
	unsigned x = 12345;
	size_t n, step;

	for (n = 0; n < sizeof data; n++)
		data[n] = (unsigned char)((x = x * 1103515245 + 12345) >> 16);
	if (!sp_sha256_hw(1))
		printf("# this CPU has no SHA instructions: the portable code twice\n");
	for (n = 0; n < 300; n += 1 + n / 8)
		for (step = 1; step <= 130; step += 43) {
			sp_sha256_hw(1);
			hex_of((const char *)data, n, step, a);
			sp_sha256_hw(0);
			hex_of((const char *)data, n, step, b);
			CHECK_STR(a, b);
		}
	sp_sha256_hw(1);
	hex_of((const char *)data, sizeof data, 4093, a);
	sp_sha256_hw(0);
	hex_of((const char *)data, sizeof data, 4093, b);
	CHECK_STR(a, b);
}

int
main(void)
{
	RUN(test_vectors);
	RUN(test_million_a);
	RUN(test_hw_equal);
	/* The vectors again, with the portable code. */
	sp_sha256_hw(0);
	RUN(test_vectors);
	RUN(test_million_a);
	sp_sha256_hw(1);
	return unit_failed != 0;
}
