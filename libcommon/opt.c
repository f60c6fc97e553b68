/* opt.c: checked numbers for command-line option arguments. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "diag.h"
#include "opt.h"

int
sp_parse_long(const char *s, long lo, long hi, long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

int
sp_parse_double(const char *s, double lo, double hi, double *out)
{
	char *end;
	double v;
	const char *p;

	/* Decimal only: strtod would also read "nan", "inf" and hex floats. */
	for (p = s; *p != '\0'; p++)
		if ((*p < '0' || *p > '9') && *p != '.' && *p != 'e' && *p != 'E' &&
		    *p != '-' && *p != '+')
			return -1;
	errno = 0;
	v = strtod(s, &end);
	if (errno != 0 || end == s || *end != '\0' || !isfinite(v) || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

long
sp_opt_long(const char *name, const char *s, long lo, long hi, sp_usage_fn *usage)
{
	long v;

	if (sp_parse_long(s, lo, hi, &v) != 0) {
		sp_warn("%s: expected an integer from %ld to %ld, got '%s'", name, lo, hi, s);
		usage(stderr, SP_EXIT_USAGE);
		exit(SP_EXIT_USAGE);
	}
	return v;
}

double
sp_opt_double(const char *name, const char *s, double lo, double hi, sp_usage_fn *usage)
{
	double v;

	if (sp_parse_double(s, lo, hi, &v) != 0) {
		if (lo == -HUGE_VAL && hi == HUGE_VAL)
			sp_warn("%s: expected a number, got '%s'", name, s);
		else
			sp_warn("%s: expected a number from %g to %g, got '%s'", name, lo, hi, s);
		usage(stderr, SP_EXIT_USAGE);
		exit(SP_EXIT_USAGE);
	}
	return v;
}
