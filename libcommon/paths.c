/* paths.c: locating sp's shared files and its home directory. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "diag.h"
#include "paths.h"

#ifndef SP_SHAREDIR
#define SP_SHAREDIR "/usr/local/share/sp"
#endif

static int
exists(const char *p)
{
	struct stat st;

	return stat(p, &st) == 0;
}

char *
sp_share_path(const char *rel)
{
	struct sp_buf b = { 0 };
	const char *env = getenv("SP_SHARE");
	char exe[PATH_MAX], *slash;
	ssize_t n;

	if (env != NULL && *env != '\0') {
		sp_buf_printf(&b, "%s/%s", env, rel);
		if (exists(b.data))
			return sp_buf_detach(&b, NULL);
		sp_buf_reset(&b);
	}
	n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0) {
		exe[n] = '\0';
		if ((slash = strrchr(exe, '/')) != NULL) {
			*slash = '\0';
			sp_buf_printf(&b, "%s/../%s", exe, rel);
			if (exists(b.data))
				return sp_buf_detach(&b, NULL);
			sp_buf_reset(&b);
		}
	}
	sp_buf_printf(&b, "%s/%s", SP_SHAREDIR, rel);
	return sp_buf_detach(&b, NULL);
}

char *
sp_home(void)
{
	struct sp_buf b = { 0 };
	const char *e;

	if ((e = getenv("SP_HOME")) != NULL && *e != '\0')
		sp_buf_adds(&b, e);
	else if ((e = getenv("XDG_DATA_HOME")) != NULL && *e != '\0')
		sp_buf_printf(&b, "%s/sp", e);
	else if ((e = getenv("HOME")) != NULL && *e != '\0')
		sp_buf_printf(&b, "%s/.local/share/sp", e);
	else
		sp_buf_adds(&b, ".sp");
	return sp_buf_detach(&b, NULL);
}

int
sp_mkdirs(const char *path, int mode)
{
	char *p = sp_xstrdup(path), *s;
	int rc = 0;

	for (s = p + 1; ; s++) {
		if (*s != '/' && *s != '\0')
			continue;
		char c = *s;
		*s = '\0';
		if (mkdir(p, (mode_t)mode) != 0 && errno != EEXIST) {
			rc = -1;
			break;
		}
		*s = c;
		if (c == '\0')
			break;
	}
	free(p);
	return rc;
}

unsigned
sp_umasked(unsigned mode)
{
	char line[128];
	unsigned mask = 022;
	FILE *fp;

	if ((fp = fopen("/proc/self/status", "re")) != NULL) {
		while (fgets(line, sizeof line, fp) != NULL)
			if (strncmp(line, "Umask:", 6) == 0) {
				mask = (unsigned)strtoul(line + 6, NULL, 8) & 0777;
				break;
			}
		fclose(fp);
	}
	return mode & ~mask;
}
