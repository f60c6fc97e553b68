/* dates.h: calendar dates as day numbers (days since 1970-01-01, UTC). */
#ifndef SP_DATES_H
#define SP_DATES_H

#include <stddef.h>
#include <stdint.h>

/*
 * sp_date_parse: parses s[0, len) as a release date: "YYYY", "YYYY-MM" or
 * "YYYY-MM-DD" (four-digit year, two-digit month and day, the day valid for
 * its month).  A partial date means the first day of its period.  Returns 0
 * with the day number in *day, or -1 if s is not such a date.
 */
int sp_date_parse(const char *s, size_t len, int32_t *day);

/* sp_date_parse_day: like sp_date_parse but only "YYYY-MM-DD" (s NUL-terminated). */
int sp_date_parse_day(const char *s, int32_t *day);

/* Day number of a proleptic Gregorian date (m 1..12, d 1..31), and back. */
int32_t sp_date_from_civil(int y, int m, int d);
void sp_date_to_civil(int32_t day, int *y, int *m, int *d);

/*
 * sp_time_parse: parses s[0, len) as an ISO 8601 (RFC 3339) time with a
 * zone, "YYYY-MM-DDTHH:MM[:SS[.fraction]]" then "Z" or "+HH:MM"/"-HH:MM"
 * (a year from 1000, the day valid for its month, seconds up to 60, 1 to
 * 9 fraction digits), the form the schemas' "date-time" format names.
 * Returns 0 with microseconds since 1970-01-01 UTC in *us (the fraction
 * rounded as PostgreSQL rounds it, rint(fraction * 1e6); a leap second is
 * the next minute's first), or -1.
 */
int sp_time_parse(const char *s, size_t len, int64_t *us);

/* Today's day number in UTC. */
int32_t sp_date_today(void);

/* Writes the day as "YYYY-MM-DD" into buf (at least 11 bytes). */
void sp_date_format(int32_t day, char *buf, size_t size);

/*
 * sp_tz_tab: reads the time-zone database's table NAME ("zone.tab": code,
 * coordinates, zone, comment; "iso3166.tab": code, country name;
 * "tzdata.zi": the compact source, whose "L TARGET LINK" lines name the
 * zone each alias is) from $TZDIR, else /usr/share/zoneinfo (Debian's
 * tzdata), and calls fn with the fields of each line that is not a
 * comment (at most 4, the last holding the rest of the line; split at
 * tabs, at spaces in a .zi file; lines over 1 KiB are skipped) until fn
 * returns nonzero.  Returns -1 when the table cannot be read, else 0.
 */
int sp_tz_tab(const char *name, int (*fn)(char *const *field, int n, void *arg), void *arg);

#endif
