/* gen-features.c: writes the benchmark's deterministic synthetic feature rows. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * gen-features [-n ROWS] [-a ARTISTS] [-g GENRES] [-H HEARD%] [-s SEED] --now YYYY-MM-DD
 *
 * Writes ROWS NDJSON feature rows (one per track) to stdout, the fields
 * that pipelines/encode-example.json encodes:
 *
 *   {"track_id":"<22 base62>","release_date":"YYYY-MM-DD" (or "YYYY"),
 *    "heard":bool,"artist_ids":[...],"duration_ms":N,"popularity":N,
 *    "lifetime_artist_listen_count":N,"genres":[...],"album_type":"..."}
 *
 * Defaults: 100,000 rows, 8,000 artists, 1,500 genres.  Exactly 5% of the
 * rows (every 20th) are released within the 7 days up to --now (inclusive);
 * the rest are older than that, and HEARD% (default 20) of them are heard.
 * Each track has 1 to 3 artists (a few popular artists appear much more
 * often) and 5 to 8 genres drawn mostly from its first artist's own
 * neighbourhood of genres, so the matrix has low-rank structure as real
 * data does; with the spec that is about 20 non-zeros a row.  About 1% of
 * the rows lack duration_ms and 1% have a null lifetime count.  The output
 * depends only on the options: the same options give the same bytes.
 *
 * Exit status: 0 ok, 2 bad usage, 1 write error.
 */

static uint64_t rng_state;

/* splitmix64: small, fast and the same everywhere. */
static uint64_t
rnd(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* A fixed scrambling of an integer: artist ids from artist numbers. */
static uint64_t
mix(uint64_t z)
{
	z = (z ^ (z >> 33)) * 0xff51afd7ed558ccdull;
	z = (z ^ (z >> 33)) * 0xc4ceb9fe1a85ec53ull;
	return z ^ (z >> 33);
}

static uint64_t
rnd_below(uint64_t n)
{
	return rnd() % n;
}

static double
rnd_unit(void)
{
	return (double)(rnd() >> 11) * (1.0 / 9007199254740992.0);
}

/* Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm). */
static long
days_from_civil(long y, unsigned m, unsigned d)
{
	long era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (long)doe - 719468;
}

static void
civil_from_days(long z, long *y, unsigned *m, unsigned *d)
{
	long era;
	unsigned doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	*y = (long)yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y += *m <= 2;
}

static void
base62(char *out, uint64_t a, uint64_t b)
{
	static const char al[] =
	    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
	int i;

	for (i = 0; i < 11; i++, a /= 62)
		out[i] = al[a % 62];
	for (; i < 22; i++, b /= 62)
		out[i] = al[b % 62];
	out[22] = '\0';
}

static void
usage(FILE *fp, int st)
{
	fprintf(fp, "usage: gen-features [-n ROWS] [-a ARTISTS] [-g GENRES] [-H HEARD%%] [-s SEED] --now YYYY-MM-DD\n");
	exit(st);
}

int
main(int argc, char **argv)
{
	static const char *const album_types[] = { "album", "single", "compilation" };
	long rows = 100000, artists = 8000, genres = 1500, heard_pct = 20, i;
	uint64_t seed = 20261127;
	const char *now_s = NULL;
	long now, y, day;
	unsigned mo, d;
	char id[23], aid[23];
	long *artist_listens;
	int k;

	for (k = 1; k < argc; k++) {
		const char *o = argv[k], *v = k + 1 < argc ? argv[k + 1] : NULL;

		if (strcmp(o, "-h") == 0)
			usage(stdout, 0);
		if (v == NULL)
			usage(stderr, 2);
		if (strcmp(o, "-n") == 0)
			rows = atol(v);
		else if (strcmp(o, "-a") == 0)
			artists = atol(v);
		else if (strcmp(o, "-g") == 0)
			genres = atol(v);
		else if (strcmp(o, "-H") == 0)
			heard_pct = atol(v);
		else if (strcmp(o, "-s") == 0)
			seed = strtoull(v, NULL, 10);
		else if (strcmp(o, "--now") == 0)
			now_s = v;
		else
			usage(stderr, 2);
		k++;
	}
	if (now_s == NULL || sscanf(now_s, "%ld-%u-%u", &y, &mo, &d) != 3 ||
	    rows < 0 || artists < 1 || genres < 8 || heard_pct < 0 || heard_pct > 100)
		usage(stderr, 2);
	now = days_from_civil(y, mo, d);
	rng_state = seed;

	/* Per-artist lifetime listen counts: heavy-tailed, with many ties. */
	artist_listens = malloc((size_t)artists * sizeof *artist_listens);
	if (artist_listens == NULL)
		return 1;
	for (i = 0; i < artists; i++)
		artist_listens[i] = (long)floor(exp(rnd_unit() * 8.0)) - 1;

	for (i = 0; i < rows; i++) {
		int recent = i % 20 == 7;
		int na = 1 + (rnd_below(10) < 3) + (rnd_below(10) < 1);
		int ng = 5 + (int)rnd_below(4);
		long art[3], gl[8], g0, g = 0;
		int j;

		base62(id, rnd(), rnd());
		if (recent) {
			day = now - (long)rnd_below(7);
		} else {
			/* From 2000-01-01 up to 8 days before now. */
			long first = days_from_civil(2000, 1, 1);

			day = first + (long)rnd_below((uint64_t)(now - 8 - first + 1));
		}
		civil_from_days(day, &y, &mo, &d);
		printf("{\"track_id\":\"%s\",", id);
		/* Some old releases carry only a year, as Spotify's do. */
		if (!recent && day < now - 400 && rnd_below(50) == 0)
			printf("\"release_date\":\"%04ld\",", y);
		else
			printf("\"release_date\":\"%04ld-%02u-%02u\",", y, mo, d);
		printf("\"heard\":%s,", !recent && (long)rnd_below(100) < heard_pct ? "true" : "false");

		/* Artists: a quarter of the picks come from the top 2%. */
		for (j = 0; j < na; j++) {
			if (rnd_below(4) == 0)
				art[j] = (long)rnd_below((uint64_t)(artists / 50 + 1));
			else
				art[j] = (long)rnd_below((uint64_t)artists);
		}
		printf("\"artist_ids\":[");
		for (j = 0; j < na; j++) {
			base62(aid, mix((uint64_t)art[j] + 1), mix((uint64_t)art[j] + 0x5eed));
			printf("%s\"%s\"", j ? "," : "", aid);
		}
		printf("],");

		if (rnd_below(100) != 0)
			printf("\"duration_ms\":%ld,",
			    (long)(210000 * exp(0.35 * (rnd_unit() + rnd_unit() + rnd_unit() - 1.5))));
		printf("\"popularity\":%d,", (int)rnd_below(101));
		if (rnd_below(100) == 0)
			printf("\"lifetime_artist_listen_count\":null,");
		else
			printf("\"lifetime_artist_listen_count\":%ld,", artist_listens[art[0]]);

		/* Genres: mostly near the first artist's home genre. */
		g0 = (art[0] * 7919) % genres;
		printf("\"genres\":[");
		for (j = 0; j < ng; j++) {
			int tries, m, dup;

			/* Distinct genres; a few tries, then the list is shorter. */
			for (tries = 0, dup = 1; dup && tries < 8; tries++) {
				if (rnd_below(5) == 0)
					g = (long)rnd_below((uint64_t)genres);
				else
					g = (g0 + (long)rnd_below(12)) % genres;
				for (m = 0, dup = 0; m < j; m++)
					dup |= gl[m] == g;
			}
			if (dup) {
				ng--, j--;
				continue;
			}
			gl[j] = g;
			printf("%s\"genre %04ld\"", j ? "," : "", g);
		}
		printf("],\"album_type\":\"%s\"}\n", album_types[rnd_below(3)]);
	}
	free(artist_listens);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		perror("gen-features: stdout");
		return 1;
	}
	return 0;
}
