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

int
main(void)
{
	RUN(test_vectors);
	RUN(test_million_a);
	return unit_failed != 0;
}
