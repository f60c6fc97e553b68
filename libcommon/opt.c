/* opt.c: checked numbers for command-line option arguments. */
#include <errno.h>
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

long
sp_opt_long(const char *name, const char *s, long lo, long hi, void (*usage)(FILE *))
{
	long v;

	if (sp_parse_long(s, lo, hi, &v) != 0) {
		sp_warn("%s: not a number in [%ld, %ld]: '%s'", name, lo, hi, s);
		usage(stderr);
		exit(SP_EXIT_USAGE);
	}
	return v;
}
