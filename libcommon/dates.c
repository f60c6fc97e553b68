/* dates.c: release dates (YYYY, YYYY-MM, YYYY-MM-DD) to day numbers and back. */
#include <stdio.h>
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
