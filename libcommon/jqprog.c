/* jqprog.c: loads and runs the jq programs of pipelines/jq through libjq. */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jq.h>

#include "buf.h"
#include "config.h"
#include "diag.h"
#include "jqprog.h"
#include "paths.h"

struct sp_jq {
	jq_state *jq;
	char *name;
	struct sp_buf err;
	struct sp_jq *next, **prevp;	/* in the list of live programs */
};

/*
 * The live programs, torn down at exit: a tool that dies part-way (exit 1
 * or 3 from deep in a fetch) leaves nothing of jq's behind.  jq keeps its
 * stacks by a pointer one past their end, which a leak checker cannot
 * follow, so without this every such exit looks like a leak.
 */
static struct sp_jq *live;

static void
teardown_live(void)
{
	struct sp_jq *q;

	for (q = live; q != NULL; q = q->next)
		jq_teardown(&q->jq);
}

char *
sp_jq_dir(void)
{
	const char *env = getenv("SP_JQ_DIR");
	char *p;
	struct stat st;

	if (env != NULL && *env != '\0')
		return sp_xstrdup(env);
	p = sp_share_path("pipelines/jq");
	if (stat(p, &st) == 0 && S_ISDIR(st.st_mode))
		return p;
	free(p);
	return NULL;
}

/* Collects jq's messages instead of letting it print them. */
static void
on_error(void *arg, jv msg)
{
	struct sp_jq *q = arg;

	if (q->err.len > 0)
		sp_buf_adds(&q->err, "; ");
	if (jv_get_kind(msg) == JV_KIND_STRING) {
		sp_buf_adds(&q->err, jv_string_value(msg));
	} else {
		jv s = jv_dump_string(jv_copy(msg), 0);
		sp_buf_adds(&q->err, jv_string_value(s));
		jv_free(s);
	}
	jv_free(msg);
}

struct sp_jq *
sp_jq_compile(const char *text, jv args)
{
	static int registered;
	struct sp_jq *q = sp_xcalloc(1, sizeof *q);

	if ((q->jq = jq_init()) == NULL)
		sp_die(SP_EXIT_DATA, "jq: cannot initialise");
	if (!registered++)
		atexit(teardown_live);
	if ((q->next = live) != NULL)
		live->prevp = &q->next;
	q->prevp = &live;
	live = q;
	jq_set_error_cb(q->jq, on_error, q);
	if (!jq_compile_args(q->jq, text, args)) {
		sp_warn("jq: %s", q->err.len ? q->err.data : "compile error");
		sp_jq_free(q);
		return NULL;
	}
	return q;
}

struct sp_jq *
sp_jq_load(const char *name, jv args)
{
	char *dir = sp_jq_dir(), *file, *text;
	struct sp_buf fn = {0};
	struct sp_jq *q;

	if (dir == NULL) {
		jv_free(args);
		sp_die(SP_EXIT_DATA, "cannot find the jq programs (pipelines/jq); set SP_JQ_DIR");
	}
	sp_buf_printf(&fn, "%s.jq", name);
	file = sp_conf_join(dir, fn.data);
	sp_buf_free(&fn);
	free(dir);
	text = sp_read_file(file, 1 << 20, NULL);
	if (text == NULL) {
		jv_free(args);
		sp_die(SP_EXIT_DATA, "%s: %s", file, strerror(errno));
	}
	q = sp_jq_compile(text, args);
	free(text);
	if (q == NULL)
		sp_die(SP_EXIT_DATA, "%s: the jq program does not compile", file);
	q->name = file;
	return q;
}

jv
sp_jq_all(struct sp_jq *q, jv input)
{
	jv out = jv_array(), v;

	sp_buf_reset(&q->err);
	jq_start(q->jq, input, 0);
	while (jv_is_valid(v = jq_next(q->jq)))
		out = jv_array_append(out, v);
	if (jv_invalid_has_msg(jv_copy(v))) {
		jv m = jv_invalid_get_msg(v);
		jv r;

		if (jv_get_kind(m) == JV_KIND_STRING) {
			r = jv_invalid_with_msg(jv_string_fmt("%s", jv_string_value(m)));
		} else {
			jv s = jv_dump_string(jv_copy(m), 0);
			r = jv_invalid_with_msg(jv_string_fmt("%s", jv_string_value(s)));
			jv_free(s);
		}
		jv_free(m);
		jv_free(out);
		return r;
	}
	jv_free(v);
	return out;
}

void
sp_jq_free(struct sp_jq *q)
{
	if (q == NULL)
		return;
	if ((*q->prevp = q->next) != NULL)
		q->next->prevp = q->prevp;
	jq_teardown(&q->jq);
	free(q->name);
	sp_buf_free(&q->err);
	free(q);
}
