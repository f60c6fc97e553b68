/* test_jsonstream.c: unit tests of the streaming JSON array reader. */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "diag.h"
#include "jsonstream.h"
#include "unit.h"

/* A byte source over a string, giving at most step bytes a call. */
struct src {
	const char *s;
	size_t len, pos, step;
};

static ssize_t
src_read(void *ctx, void *buf, size_t n)
{
	struct src *r = ctx;
	size_t k = r->len - r->pos;

	if (k > n)
		k = n;
	if (k > r->step)
		k = r->step;
	memcpy(buf, r->s + r->pos, k);
	r->pos += k;
	return (ssize_t)k;
}

/*
 * Reads the array s with reads of step bytes and renders what the stream
 * returned: each element's text and members, "END" or "ERR <message>".
 */
static char *
render(const char *s, size_t step, size_t elem_max)
{
	struct src r = { s, strlen(s), 0, step };
	struct sp_jstream js;
	struct sp_buf b = { 0 };
	size_t i;
	int rc;

	sp_jstream_init(&js, src_read, &r, "t.json", elem_max);
	while ((rc = sp_jstream_next(&js)) == 1) {
		sp_buf_printf(&b, "[%ld@%ld:%llu]%.*s", js.index, js.elem_line,
		    (unsigned long long)js.elem_offset, (int)js.elem_len, js.elem);
		for (i = 0; i < js.nmembers; i++)
			sp_buf_printf(&b, " <%.*s=%.*s>", (int)js.members[i].key_len,
			    js.members[i].key, (int)js.members[i].val_len, js.members[i].val);
		sp_buf_addc(&b, '\n');
	}
	if (rc == 0)
		sp_buf_adds(&b, "END");
	else
		sp_buf_printf(&b, "ERR %s", js.err);
	sp_jstream_free(&js);
	return sp_buf_detach(&b, NULL);
}

/* Every read size gives the same result as reading the input whole. */
#define CHECK_ALL_STEPS(in, want) do { \
	for (size_t step_ = 1; step_ <= strlen(in) + 1; step_++) { \
		char *got_ = render((in), step_, 0); \
		int same_ = strcmp(got_, (want)) == 0; \
		if (!same_) \
			printf("# step %zu: got: %s\n", step_, got_); \
		free(got_); \
		CHECK(same_); \
	} \
} while (0)

static void
test_elements(void)
{
	const char *in = "\xef\xbb\xbf [\n {\"a\": 1, \"b\" : [1, {\"c\": null}], \"d\":\"x\\\"y\"},\n"
	    "  -1.5e3 , \"s\", true, false, null, [], {}\n]\n";

	CHECK_ALL_STEPS(in,
	    "[0@2:7]{\"a\": 1, \"b\" : [1, {\"c\": null}], \"d\":\"x\\\"y\"} <a=1>"
	    " <b=[1, {\"c\": null}]> <d=\"x\\\"y\">\n"
	    "[1@3:55]-1.5e3\n[2@3:64]\"s\"\n[3@3:69]true\n[4@3:75]false\n"
	    "[5@3:82]null\n[6@3:88][]\n[7@3:92]{}\nEND");
}

static void
test_empty_array(void)
{
	CHECK_ALL_STEPS("[ ]", "END");
	CHECK_ALL_STEPS("[]\n\n", "END");
}

static void
test_escaped_key(void)
{
	CHECK_ALL_STEPS("[{\"\\u0074s\":\"t\",\"a\\nb\":2}]",
	    "[0@1:1]{\"\\u0074s\":\"t\",\"a\\nb\":2} <ts=\"t\"> <a\nb=2>\nEND");
}

static void
test_errors(void)
{
	CHECK_ALL_STEPS("[{\"a\":1},\n {\"a\":2,}]",
	    "[0@1:1]{\"a\":1} <a=1>\nERR t.json:2: .[1]: expected a string key (byte 18)");
	CHECK_ALL_STEPS("[{\"a\":1} {}]",
	    "[0@1:1]{\"a\":1} <a=1>\nERR t.json:1: .[0]: expected ',' or ']' after the element (byte 9)");
	CHECK_ALL_STEPS("[1,]", "[0@1:1]1\nERR t.json:1: .[1]: expected a JSON value (byte 3)");
	CHECK_ALL_STEPS("[1] 2", "[0@1:1]1\nERR t.json:1: unexpected data after the array (byte 4)");
	CHECK_ALL_STEPS("[{\"a\":\n1", "ERR t.json:2: .[0]: unexpected end of input inside the element (byte 8)");
	CHECK_ALL_STEPS("[1,\n", "[0@1:1]1\nERR t.json:2: unexpected end of input: the array is not closed (byte 4)");
	CHECK_ALL_STEPS("[01]", "[0@1:1]0\nERR t.json:1: .[0]: expected ',' or ']' after the element (byte 2)");
	CHECK_ALL_STEPS("[1.]", "ERR t.json:1: .[0]: invalid number (byte 1)");
	CHECK_ALL_STEPS("[tru]", "ERR t.json:1: .[0]: invalid literal (byte 1)");
	CHECK_ALL_STEPS("[\"a\x01\"]", "ERR t.json:1: .[0]: control character in a string (byte 3)");
	CHECK_ALL_STEPS("[\"\\x\"]", "ERR t.json:1: .[0]: invalid escape in a string (byte 2)");
	CHECK_ALL_STEPS("[\"\\u12g4\"]", "ERR t.json:1: .[0]: invalid \\u escape in a string (byte 2)");
	CHECK_ALL_STEPS("[\"\xc3\x28\"]", "ERR t.json:1: .[0]: invalid UTF-8 in a string (byte 2)");
	CHECK_ALL_STEPS("[\"\xed\xa0\x80\"]", "ERR t.json:1: .[0]: invalid UTF-8 in a string (byte 2)");
	CHECK_ALL_STEPS("{\"a\":1}", "ERR t.json:1: expected a JSON array, got an object (byte 0)");
	CHECK_ALL_STEPS("", "ERR t.json:1: empty input (byte 0)");
	CHECK_ALL_STEPS(" \n ", "ERR t.json:2: no JSON value, only white space (byte 3)");
	CHECK_ALL_STEPS("PK\x03\x04", "ERR t.json:1: not JSON: unexpected byte 0x50 (byte 0)");
}

static void
test_utf8(void)
{
	CHECK_ALL_STEPS("[\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x8e\xb5\"]",
	    "[0@1:1]\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x8e\xb5\"\nEND");
}

static void
test_depth(void)
{
	struct sp_buf b = { 0 };
	char *got;
	int i;

	sp_buf_addc(&b, '[');
	for (i = 0; i < 70; i++)
		sp_buf_addc(&b, '[');
	got = render(b.data, 4096, 0);
	CHECK(strstr(got, "ERR t.json:1: .[0]: nested too deeply") == got);
	free(got);
	sp_buf_free(&b);
}

/* An element over elem_max is an error, whatever the read size. */
static void
test_elem_max(void)
{
	char *got;

	got = render("[\"0123456789\", \"0123456789012345678901234567890123456789\"]", 7, 32);
	CHECK_STR(got, "[0@1:1]\"0123456789\"\nERR t.json:1: .[1]: element longer than 32 bytes (byte 15)");
	free(got);
	got = render("[\"0123456789\", \"0123456789012345678901234567890123456789\"]", 1 << 20, 32);
	CHECK_STR(got, "[0@1:1]\"0123456789\"\nERR t.json:1: .[1]: element longer than 32 bytes (byte 15)");
	free(got);
}

/* Many elements through a small buffer: memory stays bounded, order kept. */
static void
test_many(void)
{
	struct sp_buf in = { 0 };
	struct src r;
	struct sp_jstream js;
	long n = 0, bad = 0;
	int i, rc;

	sp_buf_addc(&in, '[');
	for (i = 0; i < 100000; i++)
		sp_buf_printf(&in, "%s\n  {\"i\": %d, \"s\": \"%0*d\"}", i ? "," : "", i, i % 50, 0);
	sp_buf_adds(&in, "\n]\n");
	r = (struct src){ in.data, in.len, 0, 1000 };
	sp_jstream_init(&js, src_read, &r, "many", 4096);
	while ((rc = sp_jstream_next(&js)) == 1) {
		const struct sp_jmember *m = sp_jstream_member(&js, "i");

		if (m == NULL || atol(m->val) != n || js.elem_line != n + 2)
			bad++;
		n++;
	}
	CHECK(rc == 0);
	CHECK(n == 100000);
	CHECK(bad == 0);
	CHECK(js.cap <= 4096 + ((size_t)256 << 10));
	sp_jstream_free(&js);
	sp_buf_free(&in);
}

static void
test_error_helper(void)
{
	struct src r = { "[\n{\"a\":\n 1}]", 12, 0, 100 };
	struct sp_jstream js;

	sp_jstream_init(&js, src_read, &r, "h.json", 0);
	CHECK(sp_jstream_next(&js) == 1);
	CHECK(sp_jstream_error(&js, js.members[0].val, "'a' is odd") == -1);
	CHECK_STR(js.err, "h.json:3: .[0]: 'a' is odd (byte 9)");
	sp_jstream_error(&js, NULL, "bad");
	CHECK_STR(js.err, "h.json:2: .[0]: bad (byte 2)");
	sp_jstream_free(&js);
}

static void
test_unescape(void)
{
	struct sp_buf b = { 0 };
	const char *s = "\"a\\\"b\\\\c\\/d\\n\\u00e9\\ud83c\\udfb5\\ud800x\"";

	sp_json_unescape(s, strlen(s), &b);
	CHECK_STR(b.data, "a\"b\\c/d\n\xc3\xa9\xf0\x9f\x8e\xb5\xef\xbf\xbdx");
	sp_buf_free(&b);
}

int
main(void)
{
	RUN(test_elements);
	RUN(test_empty_array);
	RUN(test_escaped_key);
	RUN(test_errors);
	RUN(test_utf8);
	RUN(test_depth);
	RUN(test_elem_max);
	RUN(test_many);
	RUN(test_error_helper);
	RUN(test_unescape);
	return unit_failed != 0;
}
