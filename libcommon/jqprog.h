/* jqprog.h: field mapping written as jq programs (pipelines/jq/NAME.jq), run through libjq. */
#ifndef SP_JQPROG_H
#define SP_JQPROG_H

#include <jv.h>

struct sp_jq;

/*
 * sp_jq_dir: the directory of the jq programs: $SP_JQ_DIR when set, else
 * <dir of the executable>/../pipelines/jq (a checkout), else
 * <dir of the executable>/../share/sp/jq (an installation).  A new string
 * the caller frees, or NULL when none exists.
 */
char *sp_jq_dir(void);

/*
 * sp_jq_load: compiles NAME.jq from sp_jq_dir() with the named arguments
 * args (an object {"name": value}, seen as $name; consumed).  A missing
 * file or a compile error prints a message and exits 1.  Free the result
 * with sp_jq_free.
 */
struct sp_jq *sp_jq_load(const char *name, jv args);

/* sp_jq_compile: the same from program text (for tests); NULL on error. */
struct sp_jq *sp_jq_compile(const char *text, jv args);

/*
 * sp_jq_all: runs q on input (consumed) and returns an array of all the
 * outputs, or jv_invalid with the message of a jq error.  The caller owns
 * the result.
 */
jv sp_jq_all(struct sp_jq *q, jv input);

/* sp_jq_free: frees q and all it owns; NULL is allowed. */
void sp_jq_free(struct sp_jq *q);

#endif
