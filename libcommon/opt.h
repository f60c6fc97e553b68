/* opt.h: checked numbers for command-line option arguments. */
#ifndef SP_OPT_H
#define SP_OPT_H

#include <stdio.h>

/*
 * Every tool's usage has this shape: prints the usage to fp and exits
 * with status (0 for -h, 2 for a mistake).
 */
typedef void sp_usage_fn(FILE *fp, int status);

/*
 * sp_parse_long: s as a whole decimal number (strtol's syntax, nothing
 * after it) in [lo, hi] into *out.  Returns 0, or -1 (and *out untouched)
 * when s is empty, not a number, out of range or followed by anything.
 * Prints nothing; borrows s.
 */
int sp_parse_long(const char *s, long lo, long hi, long *out);

/*
 * sp_parse_double: s as a whole finite number (strtod's decimal syntax,
 * nothing after it) in [lo, hi] into *out.  Returns 0, or -1 (and *out
 * untouched) when s is empty, not a finite number, out of range or
 * followed by anything.  Prints nothing; borrows s.
 */
int sp_parse_double(const char *s, double lo, double hi, double *out);

/*
 * sp_opt_long: sp_parse_long for the argument s of option name, or else
 * "prog: name: expected an integer from lo to hi, got 's'" and
 * usage(stderr, 2).  Borrows name and s.
 */
long sp_opt_long(const char *name, const char *s, long lo, long hi, sp_usage_fn *usage);

/*
 * sp_opt_double: sp_parse_double for the argument s of option name, or
 * else "prog: name: expected a number from lo to hi, got 's'" ("expected
 * a number, got 's'" when lo and hi are -HUGE_VAL and HUGE_VAL) and
 * usage(stderr, 2).  Borrows name and s.
 */
double sp_opt_double(const char *name, const char *s, double lo, double hi, sp_usage_fn *usage);

#endif
