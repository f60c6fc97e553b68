/* gen-history.c: writes deterministic listening histories for the benchmark. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * gen-history [-u LISTENERS] [-t TRACKS] [-s SEED] <FEATURES
 *
 * Reads gen-features' NDJSON on stdin and writes sp-cosine --history
 * NDJSON to stdout: for each of LISTENERS (default 1,000) listeners,
 * TRACKS (default 500) distinct tracks drawn from the heard rows, a
 * quarter of the draws from the 5% most played (the first heard rows), each
 * with a weight from 1 to 20; listeners named listener-0001, ... in order.
 * The output depends only on the input and the options.
 * Exit status: 0 ok, 1 bad input or a write error, 2 bad usage.
 */

static uint64_t rng_state;

static uint64_t
rnd(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

int
main(int argc, char **argv)
{
	long listeners = 1000, tracks = 500, nheard = 0, cap = 0, u, t;
	char line[65536], (*ids)[23] = NULL, *p;
	uint32_t *stamp, *pick;
	int k;

	rng_state = 20261202;
	for (k = 1; k + 1 < argc; k += 2) {
		if (strcmp(argv[k], "-u") == 0)
			listeners = atol(argv[k + 1]);
		else if (strcmp(argv[k], "-t") == 0)
			tracks = atol(argv[k + 1]);
		else if (strcmp(argv[k], "-s") == 0)
			rng_state = strtoull(argv[k + 1], NULL, 10);
		else
			break;
	}
	if (k != argc || listeners < 1 || tracks < 1) {
		fprintf(stderr, "usage: gen-history [-u LISTENERS] [-t TRACKS] [-s SEED] <FEATURES\n");
		return 2;
	}
	while (fgets(line, sizeof line, stdin) != NULL) {
		if (strstr(line, "\"heard\":true") == NULL)
			continue;
		if (strncmp(line, "{\"track_id\":\"", 13) != 0 || (p = strchr(line + 13, '"')) == NULL ||
		    p - (line + 13) != 22) {
			fprintf(stderr, "gen-history: not a gen-features line\n");
			return 1;
		}
		if (nheard == cap) {
			cap = cap ? cap * 2 : 65536;
			if ((ids = realloc(ids, (size_t)cap * sizeof *ids)) == NULL)
				return 1;
		}
		memcpy(ids[nheard], line + 13, 22);
		ids[nheard++][22] = '\0';
	}
	if (tracks > nheard) {
		fprintf(stderr, "gen-history: %ld tracks a listener, but only %ld heard rows\n", tracks, nheard);
		return 1;
	}
	stamp = calloc((size_t)nheard, sizeof *stamp);
	pick = malloc((size_t)tracks * sizeof *pick);
	if (stamp == NULL || pick == NULL)
		return 1;
	for (u = 1; u <= listeners; u++) {
		for (t = 0; t < tracks; t++) {
			uint64_t h;

			do {
				if (rnd() % 4 == 0)
					h = rnd() % (uint64_t)(nheard / 20 + 1);
				else
					h = rnd() % (uint64_t)nheard;
			} while (stamp[h] == (uint32_t)u);
			stamp[h] = (uint32_t)u;
			pick[t] = (uint32_t)h;
		}
		for (t = 0; t < tracks; t++)
			printf("{\"user\":\"listener-%04ld\",\"track_id\":\"%s\",\"weight\":%d}\n",
			    u, ids[pick[t]], 1 + (int)(rnd() % 20));
	}
	if (fflush(stdout) != 0 || ferror(stdout)) {
		perror("gen-history: stdout");
		return 1;
	}
	free(stamp);
	free(pick);
	free(ids);
	return 0;
}
