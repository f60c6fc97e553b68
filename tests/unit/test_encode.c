/* test_encode.c: unit tests of feature hashing and JSON text. */
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "encode.h"
#include "unit.h"

/* Published MurmurHash3_x86_32 test vectors (SMHasher and its ports). */
static void
test_murmur3_vectors(void)
{
	CHECK(sp_murmur3_32("", 0, 0) == 0);
	CHECK(sp_murmur3_32("", 0, 1) == 0x514e28b7u);
	CHECK(sp_murmur3_32("", 0, 0xffffffffu) == 0x81f16f39u);
	CHECK(sp_murmur3_32("\0\0\0\0", 4, 0) == 0x2362f9deu);
	CHECK(sp_murmur3_32("a", 1, 0x9747b28cu) == 0x7fa09ea6u);
	CHECK(sp_murmur3_32("aaaa", 4, 0x9747b28cu) == 0x5a97808au);
	CHECK(sp_murmur3_32("abc", 3, 0) == 0xb3dd93fau);
	CHECK(sp_murmur3_32("hello", 5, 0) == 0x248bfa47u);
	CHECK(sp_murmur3_32("Hello, world!", 13, 0x9747b28cu) == 0x24884cbau);
	CHECK(sp_murmur3_32("The quick brown fox jumps over the lazy dog", 43,
	    0x9747b28cu) == 0x2fa826cdu);
}

/* The bucket is |h| mod dim of the signed hash; the sign is h's. */
static void
test_hash_bucket(void)
{
	int neg = -1;

	/* "hello": h = 0x248bfa47 = 613153351 > 0; 613153351 mod 1000 = 351. */
	CHECK(sp_hash_bucket("hello", 5, 1000, &neg) == 351);
	CHECK(neg == 0);
	/* "abc": h = 0xb3dd93fa, signed -1277324294; 1277324294 mod 1000 = 294. */
	CHECK(sp_hash_bucket("abc", 3, 1000, &neg) == 294);
	CHECK(neg == 1);
	CHECK(sp_hash_bucket("abc", 3, 1, &neg) == 0);
}

static void
test_num_text(void)
{
	char b[32];

	CHECK_STR(sp_num_text(0.1, b), "0.1");
	CHECK_STR(sp_num_text(42, b), "42");
	CHECK_STR(sp_num_text(-2.5, b), "-2.5");
	CHECK_STR(sp_num_text(1e21, b), "1e+21");
	CHECK_STR(sp_num_text(1.0 / 3, b), "0.3333333333333333");
}

static void
test_buf_add_jv(void)
{
	struct sp_buf b = { 0 };
	jv v = jv_parse("{\"z\":[1,0.1,\"a\\\"b\",null,true],\"a\":{\"y\":false,\"x\":1e2}}");

	sp_buf_add_jv(&b, v);
	CHECK_STR(b.data, "{\"a\":{\"x\":100,\"y\":false},\"z\":[1,0.1,\"a\\\"b\",null,true]}");
	jv_free(v);
	sp_buf_free(&b);
}

static const char *const scan_fields[] = { "id", "g", "x" };
static const size_t scan_flen[] = { 2, 1, 1 };

/* Scans line both ways; returns 1 if the fast path took it. */
static int
scan_both(const char *line, int *agree)
{
	struct sp_sval vals[3], jvv[3];
	struct sp_scan fast = { scan_fields, scan_flen, 3, vals, NULL, 0, 0 };
	struct sp_scan slow = { scan_fields, scan_flen, 3, jvv, NULL, 0, 0 };
	struct sp_buf a = { 0 }, b = { 0 };
	jv v, jvals[3];
	int took, i;

	*agree = 1;
	took = sp_scan_line(&fast, line, strlen(line)) == 0;
	/*
	 * jq is asked only about lines the fast path took: on some invalid
	 * lines jq 1.6's parser leaks, which LeakSanitizer would report.
	 */
	v = took ? jv_parse_sized(line, (int)strlen(line)) : jv_null();
	if (took) {
		/* The fast path must never accept what jq rejects. */
		if (!jv_is_valid(v) || jv_get_kind(v) != JV_KIND_OBJECT) {
			*agree = 0;
		} else {
			sp_scan_jv(&slow, v, jvals);
			for (i = 0; i < 3; i++) {
				sp_buf_reset(&a);
				sp_buf_reset(&b);
				sp_buf_add_sval(&a, &fast, &vals[i]);
				sp_buf_add_jv(&b, jvals[i]);
				if (a.len != b.len || memcmp(a.data, b.data, a.len) != 0)
					*agree = 0;
				jv_free(jvals[i]);
			}
		}
	}
	jv_free(v);
	sp_buf_free(&a);
	sp_buf_free(&b);
	sp_scan_free(&fast);
	sp_scan_free(&slow);
	return took;
}

/* The length of the token that ends at q (a jscan piece's answer), or -1. */
static long
jlen(const char *s, const char *q)
{
	return q == NULL ? -1 : (long)(q - s);
}

/*
 * jscan's pieces as the row scanner uses them: strict strings are valid
 * UTF-8 without surrogate escapes (jq refuses a lone one), numbers read
 * as strtod reads them, nesting stops at SP_JSCAN_STRICT_DEPTH.
 */
static void
test_jscan_pieces(void)
{
	static const char *const strict_no[] = {
		"\"\xff\"", "\"\xc0\x80\"", "\"\xed\xa0\x80\"", "\"\\ud800\"",
		"\"a\\udc00b\"", "\"\xc3\"",
	};
	char deep[2 * SP_JSCAN_STRICT_DEPTH + 1];
	const char *s;
	double x = 0;
	size_t i;
	int esc = -1, type = 0;

	s = "\"ab\\n\\u00e9\" x";
	CHECK(jlen(s, sp_jscan_string(s, s + strlen(s), 0, &esc)) == 12 && esc == 1);
	s = "\"caf\xc3\xa9 and a longer plain run\",";
	CHECK(jlen(s, sp_jscan_string(s, s + strlen(s), SP_JSCAN_STRICT, &esc)) ==
	    (long)strlen(s) - 1 && esc == 0);
	for (i = 0; i < sizeof strict_no / sizeof *strict_no; i++) {
		s = strict_no[i];
		CHECK(sp_jscan_string(s, s + strlen(s), SP_JSCAN_STRICT, &esc) == NULL);
	}
	/* Not strict, the same bytes pass but a cut \u escape or a control. */
	s = "\"\xff\\ud800\"";
	CHECK(jlen(s, sp_jscan_string(s, s + strlen(s), 0, &esc)) == (long)strlen(s));
	s = "\"\\u12\"";
	CHECK(sp_jscan_string(s, s + strlen(s), 0, &esc) == NULL);
	s = "\"a\tb\"";
	CHECK(sp_jscan_string(s, s + strlen(s), 0, &esc) == NULL);

	s = "-12.5e-1,";
	CHECK(jlen(s, sp_jscan_number(s, s + strlen(s), &x)) == 8 && x == -1.25);
	s = "01";
	CHECK(jlen(s, sp_jscan_number(s, s + strlen(s), &x)) == 1);
	s = "1.e3";
	CHECK(sp_jscan_number(s, s + strlen(s), NULL) == NULL);
	s = "-";
	CHECK(sp_jscan_number(s, s + strlen(s), NULL) == NULL);
	s = "1234567890123456789012345678901234567890123456789012345678901234";
	CHECK(jlen(s, sp_jscan_number(s, s + strlen(s), NULL)) == 64);
	CHECK(sp_jscan_number(s, s + strlen(s), &x) == NULL);

	s = "{\"a\": [1, {\"b\": null}], \"c\": \"\\\"\"} tail";
	CHECK(jlen(s, sp_jscan_value(s, s + strlen(s), 0, 0, &type)) == 34 &&
	    type == SP_JSON_OBJECT);
	for (i = 0; i < SP_JSCAN_STRICT_DEPTH; i++) {
		deep[i] = '[';
		deep[2 * SP_JSCAN_STRICT_DEPTH - 1 - i] = ']';
	}
	deep[2 * SP_JSCAN_STRICT_DEPTH] = '\0';
	/* A member (depth 1) may nest up to the limit; a whole text one more. */
	CHECK(sp_jscan_value(deep + 1, deep + strlen(deep) - 1, 1, SP_JSCAN_STRICT, &type) != NULL);
	CHECK(sp_jscan_value(deep, deep + strlen(deep), 1, SP_JSCAN_STRICT, &type) == NULL);
	CHECK(sp_jscan_value(deep, deep + strlen(deep), 0, SP_JSCAN_STRICT, &type) != NULL);
	CHECK(sp_jscan_value(deep, deep + strlen(deep), 1, 0, &type) != NULL);
}

static void
test_scan_plain(void)
{
	int agree;

	CHECK(scan_both("{\"id\":\"a\",\"g\":[\"x\",1.5,true,null],\"x\":-2e3}", &agree) == 1 && agree);
	CHECK(scan_both(" { } ", &agree) == 1 && agree);
	CHECK(scan_both("{\"id\":1,\"id\":2}", &agree) == 1 && agree);
	CHECK(scan_both("{\"other\":{\"a\":[1,{\"b\":\"\\u00e9\\n\"}]},\"id\":\"caf\xc3\xa9\"}", &agree) == 1 && agree);
	/* Left to jq: escapes in wanted strings, nesting, invalid JSON. */
	CHECK(scan_both("{\"id\":\"a\\\"b\"}", &agree) == 0);
	CHECK(scan_both("{\"g\":[[1]]}", &agree) == 0);
	CHECK(scan_both("{\"id\":\"a\",}", &agree) == 0);
	CHECK(scan_both("{\"id\":01}", &agree) == 0);
	CHECK(scan_both("{\"id\":nan}", &agree) == 0);
	CHECK(scan_both("{\"id\":\"\xff\"}", &agree) == 0);
	CHECK(scan_both("{\"id\":1} {}", &agree) == 0);
	CHECK(scan_both("[1]", &agree) == 0);
}

/*
 * Differential fuzzing: mutations of valid rows must either be left to jq
 * or scan exactly as jq parses them.
 */
static void
test_scan_fuzz(void)
{
	static const char *const seeds[] = {
		"{\"id\":\"t1\",\"g\":[\"rock\",\"indie rock\",2,false,null],\"x\":12.5e-1,\"o\":{\"k\":[1,[2,{}]]}}",
		"{\"x\":null,\"id\":-0,\"g\":\"a\\u0041\",\"s\":\"q\\\"\\\\\\/\\b\\f\\n\\r\\t\"}",
		"{\"g\":[],\"id\":true,\"x\":[1,2],\"e\":{}}",
	};
	static const char alphabet[] = "{}[]\",:0123456789.eE+-tfnul\\ axg\x01\xc3\xa9";
	char line[512];
	uint64_t st = 12345;
	int n, k, agree, took = 0;

	for (n = 0; n < 20000; n++) {
		const char *s0 = seeds[n % 3];
		size_t len = strlen(s0), pos;

		memcpy(line, s0, len + 1);
		for (k = 0; k < 1 + n % 3; k++) {
			st = st * 6364136223846793005ull + 1442695040888963407ull;
			pos = (size_t)(st >> 33) % len;
			switch ((st >> 20) % 3) {
			case 0:	/* replace a byte */
				line[pos] = alphabet[(st >> 40) % (sizeof alphabet - 1)];
				break;
			case 1:	/* delete a byte */
				memmove(line + pos, line + pos + 1, len - pos);
				len--;
				break;
			default: /* insert a byte */
				if (len + 2 >= sizeof line)
					break;
				memmove(line + pos + 1, line + pos, len - pos + 1);
				line[pos] = alphabet[(st >> 40) % (sizeof alphabet - 1)];
				len++;
			}
		}
		took += scan_both(line, &agree);
		if (!agree) {
			printf("# disagreement on: %s\n", line);
			CHECK(agree);
		}
	}
	printf("# %d of 20000 mutants took the fast path\n", took);
	/* Some mutants stay valid and plain: the fast path was exercised. */
	CHECK(took > 100);
}

int
main(void)
{
	sp_init("test_encode");
	RUN(test_murmur3_vectors);
	RUN(test_hash_bucket);
	RUN(test_num_text);
	RUN(test_buf_add_jv);
	RUN(test_jscan_pieces);
	RUN(test_scan_plain);
	RUN(test_scan_fuzz);
	return unit_failed != 0;
}
