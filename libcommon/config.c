/* config.c: XDG directories, settings from the environment or a config file, atomic files. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "config.h"
#include "diag.h"

char *
sp_conf_join(const char *a, const char *b)
{
	struct sp_buf p = {0};

	sp_buf_adds(&p, a);
	if (p.len > 0 && p.data[p.len - 1] != '/')
		sp_buf_addc(&p, '/');
	sp_buf_adds(&p, b);
	return sp_buf_detach(&p, NULL);
}

/* $VAR/sp when VAR holds an absolute path, else $HOME/fallback/sp. */
static char *
xdg_dir(const char *var, const char *fallback)
{
	const char *v = getenv(var), *home;
	struct sp_buf p = {0};

	if (v != NULL && v[0] == '/')
		return sp_conf_join(v, "sp");
	home = getenv("HOME");
	if (home == NULL || home[0] == '\0')
		home = "/";
	sp_buf_printf(&p, "%s%s%s/sp", home, home[strlen(home) - 1] == '/' ? "" : "/", fallback);
	return sp_buf_detach(&p, NULL);
}

char *
sp_conf_config_dir(void)
{
	return xdg_dir("XDG_CONFIG_HOME", ".config");
}

static char *
home_or_xdg(const char *sub, const char *var, const char *fallback)
{
	const char *h = getenv("SP_HOME");

	if (h != NULL && h[0] != '\0')
		return sp_conf_join(h, sub);
	return xdg_dir(var, fallback);
}

char *
sp_conf_state_dir(void)
{
	return home_or_xdg("state", "XDG_STATE_HOME", ".local/state");
}

char *
sp_conf_cache_dir(void)
{
	return home_or_xdg("cache", "XDG_CACHE_HOME", ".cache");
}


static char *
trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

char *
sp_conf_get(const char *key)
{
	char env[128], *dir, *path, *text, *line, *next, *eq, *k, *v, *res = NULL;
	const char *e;
	size_t i;

	snprintf(env, sizeof env, "SP_%s", key);
	for (i = 3; env[i] != '\0'; i++)
		env[i] = (char)toupper((unsigned char)env[i]);
	if ((e = getenv(env)) != NULL && e[0] != '\0')
		return sp_xstrdup(e);
	dir = sp_conf_config_dir();
	path = sp_conf_join(dir, "config");
	free(dir);
	text = sp_read_file(path, 1 << 20, NULL);
	free(path);
	if (text == NULL)
		return NULL;
	for (line = text; line != NULL && res == NULL; line = next) {
		next = strchr(line, '\n');
		if (next != NULL)
			*next++ = '\0';
		k = trim(line);
		if (*k == '#' || (eq = strchr(k, '=')) == NULL)
			continue;
		*eq = '\0';
		v = trim(eq + 1);
		if (strcmp(trim(k), key) == 0 && *v != '\0')
			res = sp_xstrdup(v);
	}
	free(text);
	return res;
}


int
sp_conf_write_atomic(const char *path, const void *data, size_t len, mode_t mode)
{
	struct sp_buf tmp = {0};
	const char *p = data, *slash;
	char *dir;
	ssize_t w;
	int fd, dfd, e;

	sp_buf_printf(&tmp, "%s.tmp.%ld", path, (long)getpid());
	fd = open(tmp.data, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	if (fd < 0)
		goto fail;
	/* The mode of an existing file is not changed by open: set it. */
	if (fchmod(fd, mode) != 0)
		goto fail_fd;
	while (len > 0) {
		w = write(fd, p, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			goto fail_fd;
		p += w;
		len -= (size_t)w;
	}
	if (fsync(fd) != 0)
		goto fail_fd;
	if (close(fd) != 0) {
		fd = -1;
		goto fail_fd;
	}
	if (rename(tmp.data, path) != 0)
		goto fail_unlink;
	slash = strrchr(path, '/');
	dir = slash == NULL ? sp_xstrdup(".") : slash == path ? sp_xstrdup("/") :
	    memcpy(sp_xcalloc(1, (size_t)(slash - path) + 1), path, (size_t)(slash - path));
	if ((dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0) {
		(void)fsync(dfd);
		close(dfd);
	}
	free(dir);
	sp_buf_free(&tmp);
	return 0;
fail_fd:
	e = errno;
	if (fd >= 0)
		close(fd);
	errno = e;
fail_unlink:
	e = errno;
	unlink(tmp.data);
	errno = e;
fail:
	e = errno;
	sp_buf_free(&tmp);
	errno = e;
	return -1;
}
