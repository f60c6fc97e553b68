/* unit.h: a tiny harness for C unit tests of libcommon. */
#ifndef SP_UNIT_H
#define SP_UNIT_H

#include <math.h>
#include <stdio.h>
#include <string.h>

/*
 * Each TEST is a function; RUN(name) runs it and prints "ok - name" or
 * "not ok - name: file:line: what", the lines tests/run.sh counts.  main()
 * returns unit_failed != 0.
 */
static int unit_failed, unit_cur_failed;
static const char *unit_cur;

#define CHECK(cond) do { \
	if (!(cond)) { \
		printf("not ok - %s: %s:%d: %s\n", unit_cur, __FILE__, __LINE__, #cond); \
		unit_cur_failed = 1; \
		return; \
	} \
} while (0)

#define CHECK_STR(a, b) do { \
	const char *a_ = (a), *b_ = (b); \
	if (a_ == NULL || b_ == NULL || strcmp(a_, b_) != 0) { \
		printf("not ok - %s: %s:%d: '%s' != '%s'\n", unit_cur, __FILE__, __LINE__, \
		    a_ ? a_ : "(null)", b_ ? b_ : "(null)"); \
		unit_cur_failed = 1; \
		return; \
	} \
} while (0)

#define CHECK_NEAR(a, b, tol) do { \
	double a_ = (a), b_ = (b); \
	if (!(fabs(a_ - b_) <= (tol))) { \
		printf("not ok - %s: %s:%d: %.9g != %.9g (tol %g)\n", unit_cur, __FILE__, \
		    __LINE__, a_, b_, (double)(tol)); \
		unit_cur_failed = 1; \
		return; \
	} \
} while (0)

#define RUN(fn) do { \
	unit_cur = #fn; \
	unit_cur_failed = 0; \
	fflush(stdout); \
	fn(); \
	if (!unit_cur_failed) \
		printf("ok - %s\n", #fn); \
	else \
		unit_failed++; \
	fflush(stdout); \
} while (0)

#endif
