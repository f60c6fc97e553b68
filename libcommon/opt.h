/* opt.h: checked numbers for command-line option arguments. */
#ifndef SP_OPT_H
#define SP_OPT_H

#include <stdio.h>

/*
 * sp_parse_long: s as a whole decimal number (strtol's syntax, nothing
 * after it) in [lo, hi] into *out.  Returns 0, or -1 (and *out untouched)
 * when s is empty, not a number, out of range or followed by anything.
 * Prints nothing; borrows s.
 */
int sp_parse_long(const char *s, long lo, long hi, long *out);

/*
 * sp_opt_long: sp_parse_long for the argument s of option name, or else
 * "prog: name: not a number in [lo, hi]: 's'", usage(stderr) and exit 2.
 * Borrows name and s.
 */
long sp_opt_long(const char *name, const char *s, long lo, long hi,
    void (*usage)(FILE *));

#endif
