/* config.c: XDG directories, settings from the environment or sp.conf, atomic files. */
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
sp_conf_file(void)
{
	const char *h = getenv("SP_HOME");
	char *dir, *path;

	if (h != NULL && h[0] != '\0')
		return sp_conf_join(h, "sp.conf");
	dir = sp_conf_config_dir();
	path = sp_conf_join(dir, "sp.conf");
	free(dir);
	return path;
}

int
sp_conf_line(char *line, char **name, char **value)
{
	char *s = trim(line), *eq, *v;
	size_t n;

	*name = *value = NULL;
	if (*s == '\0' || *s == '#')
		return 0;
	if (strncmp(s, "export", 6) == 0 && (s[6] == ' ' || s[6] == '\t'))
		s = trim(s + 7);
	if (!isupper((unsigned char)*s))
		return -1;
	for (eq = s; isupper((unsigned char)*eq) || isdigit((unsigned char)*eq) || *eq == '_'; eq++)
		;
	if (*eq != '=')
		return -1;
	*eq = '\0';
	v = eq + 1;
	n = strlen(v);
	if (n >= 2 && (v[0] == '\'' || v[0] == '"') && v[n - 1] == v[0]) {
		v[n - 1] = '\0';
		v++;
		if (strchr(v, v[-1]) != NULL || (v[-1] == '"' && strpbrk(v, "$`\\") != NULL))
			return -1;
	} else if (strpbrk(v, " \t'\"`$\\;&|<>()~") != NULL) {
		return -1;	/* a shell would read it otherwise: refuse */
	}
	*name = s;
	*value = v;
	return 1;
}

/* The value of NAME in the settings file at PATH, or NULL. */
static char *
file_value(const char *path, const char *name)
{
	char *text, *line, *next, *n, *v, *res = NULL;

	if ((text = sp_read_file(path, 1 << 20, NULL)) == NULL)
		return NULL;
	for (line = text; line != NULL; line = next) {
		next = strchr(line, '\n');
		if (next != NULL)
			*next++ = '\0';
		if (sp_conf_line(line, &n, &v) == 1 && strcmp(n, name) == 0) {
			free(res);
			res = *v != '\0' ? sp_xstrdup(v) : NULL;	/* the last one wins, as in a shell */
		}
	}
	free(text);
	return res;
}

/* The value of KEY in the old "key = value" file <config dir>/config,
 * read until its settings move to sp.conf; warns once when it is used. */
static char *
old_value(const char *key, const char *name)
{
	static int warned;
	char *dir, *path, *text, *line, *next, *eq, *k, *v, *res = NULL;

	dir = sp_conf_config_dir();
	path = sp_conf_join(dir, "config");
	free(dir);
	text = sp_read_file(path, 1 << 20, NULL);
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
	if (res != NULL && !warned++) {
		char *file = sp_conf_file();

		sp_warn("%s: an old settings file; move its settings to %s as %s=%s", path, file, name, res);
		free(file);
	}
	free(text);
	free(path);
	return res;
}

char *
sp_conf_get(const char *key)
{
	char name[128], *path, *v;
	const char *e;
	size_t i;

	snprintf(name, sizeof name, "SP_%s", key);
	for (i = 3; name[i] != '\0'; i++)
		name[i] = (char)toupper((unsigned char)name[i]);
	if ((e = getenv(name)) != NULL && e[0] != '\0')
		return sp_xstrdup(e);
	path = sp_conf_file();
	v = file_value(path, name);
	free(path);
	return v != NULL ? v : old_value(key, name);
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
	/*
	 * A new file, so that open sets its mode (less the umask): a leftover
	 * of a killed process with this pid would keep its own.
	 */
	(void)unlink(tmp.data);
	fd = open(tmp.data, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
	if (fd < 0)
		goto fail;
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
