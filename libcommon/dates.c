/* dates.c: release dates (YYYY, YYYY-MM, YYYY-MM-DD) to day numbers and back. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dates.h"

/*
 * The day-number conversions follow Howard Hinnant's civil-date
 * algorithms: exact for every proleptic Gregorian date, no tables, no
 * dependence on the time zone or the C library's time_t range.
 */
int32_t
sp_date_from_civil(int y, int m, int d)
{
	int era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (int32_t)(era * 146097 + doe - 719468);
}

void
sp_date_to_civil(int32_t day, int *y, int *m, int *d)
{
	int32_t z = day + 719468, era, doe, yoe, doy, mp;

	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = yoe + era * 400 + (*m <= 2);
}

static int
digits(const char *s, int n)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

static int
leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int
sp_date_parse(const char *s, size_t len, int32_t *day)
{
	static const int mdays[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int y, m = 1, d = 1;

	if (len != 4 && len != 7 && len != 10)
		return -1;
	if ((y = digits(s, 4)) < 0)
		return -1;
	if (len >= 7) {
		if (s[4] != '-' || (m = digits(s + 5, 2)) < 1 || m > 12)
			return -1;
	}
	if (len == 10) {
		if (s[7] != '-' || (d = digits(s + 8, 2)) < 1 ||
		    d > mdays[m - 1] + (m == 2 && leap(y)))
			return -1;
	}
	*day = sp_date_from_civil(y, m, d);
	return 0;
}

int
sp_time_parse(const char *s, size_t len, int64_t *us)
{
	int32_t day;
	int h, mi, sec = 0, oh, om;
	int64_t fsec = 0;
	size_t i = 16;

	if (len < 17 || sp_date_parse(s, 10, &day) != 0 || s[0] == '0' || s[10] != 'T' ||
	    s[13] != ':' || (h = digits(s + 11, 2)) < 0 || h > 23 ||
	    (mi = digits(s + 14, 2)) < 0 || mi > 59)
		return -1;
	if (i < len && s[i] == ':') {
		if (i + 3 > len || (sec = digits(s + i + 1, 2)) < 0 || sec > 60)
			return -1;
		i += 3;
		if (i < len && s[i] == '.') {
			size_t f = i;
			char frac[16];

			for (i++; i < len && s[i] >= '0' && s[i] <= '9'; i++)
				;
			if (i == f + 1 || i - f > 10)
				return -1;
			memcpy(frac, s + f, i - f);
			frac[i - f] = '\0';
			fsec = (int64_t)rint(strtod(frac, NULL) * 1000000);
		}
	}
	if (i + 1 == len && s[i] == 'Z') {
		oh = om = 0;
	} else if (i + 6 == len && (s[i] == '+' || s[i] == '-') && s[i + 3] == ':' &&
	    (oh = digits(s + i + 1, 2)) >= 0 && oh <= 23 && (om = digits(s + i + 4, 2)) >= 0 &&
	    om <= 59) {
		if (s[i] == '-')
			oh = -oh, om = -om;
	} else {
		return -1;
	}
	*us = ((int64_t)day * 86400 + h * 3600 + mi * 60 + sec - (oh * 3600 + om * 60)) *
	    1000000 + fsec;
	return 0;
}

int
sp_date_parse_day(const char *s, int32_t *day)
{
	size_t n = strlen(s);

	return n == 10 ? sp_date_parse(s, n, day) : -1;
}

int32_t
sp_date_today(void)
{
	time_t t = time(NULL);

	/* Floor division: POSIX time has no leap seconds, a day is 86400 s. */
	return (int32_t)(t >= 0 ? t / 86400 : -((-t + 86399) / 86400));
}

void
sp_date_format(int32_t day, char *buf, size_t size)
{
	int y, m, d;

	sp_date_to_civil(day, &y, &m, &d);
	snprintf(buf, size, "%04d-%02d-%02d", y, m, d);
}

int
sp_tz_tab(const char *name, int (*fn)(char *const *field, int n, void *arg), void *arg)
{
	const char *dir = getenv("TZDIR");
	size_t nlen = strlen(name);
	/* tzdata.zi separates its fields by spaces, the .tab tables by tabs. */
	int sep = nlen > 3 && strcmp(name + nlen - 3, ".zi") == 0 ? ' ' : '\t';
	char path[4096], line[1024], *f[4], *p;
	int n, longline = 0;
	FILE *fp;

	if (dir == NULL || *dir == '\0')
		dir = "/usr/share/zoneinfo";
	if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, name) >= sizeof path)
		return -1;
	if ((fp = fopen(path, "r")) == NULL)
		return -1;
	while (fgets(line, sizeof line, fp) != NULL) {
		size_t len = strlen(line);
		int cont = longline;

		/* The rest of a line too long for the buffer: skipped with it. */
		longline = len > 0 && line[len - 1] != '\n' && !feof(fp);
		if (cont || longline)
			continue;
		line[strcspn(line, "\r\n")] = '\0';
		if (line[0] == '#' || line[0] == '\0')
			continue;
		for (n = 0, p = line; n < 4 && p != NULL; n++) {
			f[n] = p;
			if ((p = strchr(p, sep)) != NULL)
				*p++ = '\0';
		}
		if (fn(f, n, arg) != 0)
			break;
	}
	fclose(fp);
	return 0;
}
