/* test_settings.c: sp.conf, the one settings file: each line of settings.test, and where sp_conf_get looks. */
#include <libgen.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "config.h"
#include "diag.h"
#include "paths.h"
#include "unit.h"
#include "table.h"

static char root[PATH_MAX];
static char dir[] = "/tmp/sp-unit-settings.XXXXXX";

/* Every case of settings.test read by sp_conf_line. */
static void
test_table(void)
{
	char path[PATH_MAX * 2], *tab, *name, *value, got[1024];
	struct sp_buf line = { 0 };
	long lineno = 0, cases = 0;
	FILE *fp;
	char *l;
	int rc;

	snprintf(path, sizeof path, "%s/tests/unit/settings.test", root);
	CHECK((fp = fopen(path, "r")) != NULL);
	while ((l = next_line(fp, &line, &lineno)) != NULL) {
		if ((tab = strrchr(l, '\t')) == NULL)
			continue;	/* the header has no tab */
		*tab++ = '\0';
		rc = sp_conf_line(l, &name, &value);
		if (rc == 1)
			snprintf(got, sizeof got, "%s=%s", name, value);
		else
			snprintf(got, sizeof got, "%s", rc == 0 ? "skip" : "bad");
		if (strcmp(got, tab) != 0) {
			printf("not ok - %s: settings.test:%ld: expected '%s', got '%s'\n", unit_cur, lineno, tab, got);
			unit_cur_failed = 1;
		}
		cases++;
	}
	fclose(fp);
	sp_buf_free(&line);
	CHECK(cases >= 20);
}

/* $SP_HOME/sp.conf when SP_HOME is set, else <config dir>/sp.conf; the
 * environment wins; the last line wins; the old file is read last. */
static void
lookup(void)
{
	char path[PATH_MAX], *v;

	snprintf(path, sizeof path, "%s/home", dir);
	CHECK(sp_mkdirs(path, 0700) == 0);
	snprintf(path, sizeof path, "%s/cfg/sp", dir);
	CHECK(sp_mkdirs(path, 0700) == 0);
	snprintf(path, sizeof path, "%s/home/sp.conf", dir);
	write_file(path, "# sp.conf\nSP_TZ=Asia/Tokyo\nSP_CLIENT_ID=first\nexport SP_CLIENT_ID='second'\nSP_BAD=$(id)\n");
	snprintf(path, sizeof path, "%s/cfg/sp/sp.conf", dir);
	write_file(path, "SP_TZ=Europe/Oslo\n");
	snprintf(path, sizeof path, "%s/cfg/sp/config", dir);
	write_file(path, "client_id = old\nmarket = SE\n");
	snprintf(path, sizeof path, "%s/cfg", dir);
	setenv("XDG_CONFIG_HOME", path, 1);
	unsetenv("SP_TZ");
	unsetenv("SP_CLIENT_ID");
	unsetenv("SP_BAD");
	unsetenv("SP_MARKET");

	unsetenv("SP_HOME");
	v = sp_conf_file();
	snprintf(path, sizeof path, "%s/cfg/sp/sp.conf", dir);
	CHECK_STR(v, path);
	free(v);
	v = sp_conf_get("tz");
	CHECK_STR(v, "Europe/Oslo");
	free(v);

	snprintf(path, sizeof path, "%s/home", dir);
	setenv("SP_HOME", path, 1);
	v = sp_conf_get("tz");
	CHECK_STR(v, "Asia/Tokyo");
	free(v);
	v = sp_conf_get("client_id");
	CHECK_STR(v, "second");
	free(v);
	CHECK(sp_conf_get("bad") == NULL);
	setenv("SP_TZ", "UTC", 1);
	v = sp_conf_get("tz");
	CHECK_STR(v, "UTC");
	free(v);
	unsetenv("SP_TZ");
	/* Not in sp.conf: the old file still answers, with a warning. */
	v = sp_conf_get("market");
	CHECK_STR(v, "SE");
	free(v);
	CHECK(sp_conf_get("missing") == NULL);
	unsetenv("SP_HOME");
	unsetenv("XDG_CONFIG_HOME");
}

/*
 * A file sp writes whole (a report, a cache entry, a staged batch) keeps
 * the user's umask: under 077 it is 0600 even when asked for 0644; under
 * 022 it is 0644; a leftover temporary file's mode is not kept.
 */
static void
umasked(void)
{
	char path[sizeof dir + 16];
	struct stat st;
	mode_t old = umask(077);

	CHECK(sp_umasked(0644) == 0600);
	CHECK(sp_umasked(0755) == 0700);
	snprintf(path, sizeof path, "%s/private", dir);
	CHECK(sp_conf_write_atomic(path, "x", 1, 0644) == 0);
	CHECK(stat(path, &st) == 0 && (st.st_mode & 0777) == 0600);
	umask(022);
	CHECK(sp_umasked(0644) == 0644);
	CHECK(sp_conf_write_atomic(path, "y", 1, 0644) == 0);
	CHECK(stat(path, &st) == 0 && (st.st_mode & 0777) == 0644);
	CHECK(sp_conf_write_atomic(path, "z", 1, 0600) == 0);
	CHECK(stat(path, &st) == 0 && (st.st_mode & 0777) == 0600);
	/* A 0644 temporary file left by a killed process does not lend its mode. */
	{
		char tmp[sizeof path + 32];
		FILE *fp;

		snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid());
		CHECK((fp = fopen(tmp, "w")) != NULL);
		if (fp != NULL)
			fclose(fp);
		CHECK(chmod(tmp, 0644) == 0);
		CHECK(sp_conf_write_atomic(path, "t", 1, 0600) == 0);
		CHECK(stat(path, &st) == 0 && (st.st_mode & 0777) == 0600);
		CHECK(access(tmp, F_OK) != 0);
	}
	umask(old);
	unlink(path);
}

int
main(void)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);

	if (n <= 0)
		return 1;
	exe[n] = '\0';
	snprintf(root, sizeof root, "%s/../..", dirname(exe));
	sp_progname = "sp-unit";
	if (mkdtemp(dir) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	RUN(test_table);
	RUN(lookup);
	RUN(umasked);
	{
		char cmd[sizeof dir + 16];

		snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
		if (system(cmd) != 0)
			return 1;
	}
	return unit_failed != 0;
}
