/* table.h: reading the data tables of the unit tests (loadmap.test, schema.test); include after unit.h. */
#ifndef SP_UNIT_TABLE_H
#define SP_UNIT_TABLE_H

#include <stdio.h>
#include <stdlib.h>

#include "buf.h"

/* Writes text to path, or ends the test binary naming the case. */
static void
write_file(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");

	if (fp == NULL || fputs(text, fp) == EOF || fclose(fp) != 0) {
		printf("not ok - %s: cannot write %s\n", unit_cur, path);
		exit(1);
	}
}

/* The next line of fp (without its newline) in line, counted in *lineno; NULL at the end. */
static char *
next_line(FILE *fp, struct sp_buf *line, long *lineno)
{
	int ch;

	sp_buf_reset(line);
	while ((ch = getc(fp)) != EOF && ch != '\n')
		sp_buf_addc(line, (char)ch);
	if (ch == EOF && line->len == 0)
		return NULL;
	++*lineno;
	return line->data ? line->data : (sp_buf_adds(line, ""), line->data);
}

#endif
