/* sp-import.c: a Spotify privacy export (ZIP, directory or file) to play NDJSON. */
#include <errno.h>
#include <fnmatch.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "diag.h"
#include "progress.h"
#include "entries.h"
#include "jsonstream.h"
#include "ndjson.h"

/* The source fields sp-import knows, from both history formats. */
enum {
	/* Extended streaming history (and the older endsong files). */
	F_TS, F_MS_PLAYED, F_TRACK_URI, F_TRACK_NAME, F_ARTIST_NAME, F_ALBUM_NAME,
	F_EPISODE_URI, F_EPISODE_NAME, F_SHOW_NAME,
	F_AUDIOBOOK_URI, F_AUDIOBOOK_TITLE, F_CHAPTER_URI, F_CHAPTER_TITLE,
	F_REASON_START, F_REASON_END, F_SKIPPED, F_SHUFFLE, F_OFFLINE,
	F_INCOGNITO, F_PLATFORM, F_CONN_COUNTRY,
	/* Account-data history. */
	A_END_TIME, A_MS_PLAYED, A_ARTIST, A_TRACK, A_PODCAST, A_EPISODE,
	NFIELDS
};

static const char *const field_name[NFIELDS] = {
	"ts", "ms_played", "spotify_track_uri", "master_metadata_track_name",
	"master_metadata_album_artist_name", "master_metadata_album_album_name",
	"spotify_episode_uri", "episode_name", "episode_show_name",
	"audiobook_uri", "audiobook_title", "audiobook_chapter_uri",
	"audiobook_chapter_title",
	"reason_start", "reason_end", "skipped", "shuffle", "offline",
	"incognito_mode", "platform", "conn_country",
	"endTime", "msPlayed", "artistName", "trackName", "podcastName", "episodeName",
};

/* What a record is; the envelope's "kind". */
enum { K_PLAY, K_EPISODE, K_AUDIOBOOK, K_VIDEO, NKINDS };
static const char *const kind_name[NKINDS] = { "play", "episode", "audiobook", "video" };
static const char *const kind_plural[NKINDS] = { "plays", "episodes", "audiobooks", "videos" };

#define END -1
#define COMMON_TAIL F_REASON_START, F_REASON_END, F_SKIPPED, F_SHUFFLE, F_OFFLINE, \
	F_INCOGNITO, F_PLATFORM, F_CONN_COUNTRY, END

/* The members of "data" for each kind, in output order. */
static const int kind_fields[NKINDS][24] = {
	[K_PLAY] = { F_TS, F_MS_PLAYED, F_TRACK_URI, F_TRACK_NAME, F_ARTIST_NAME,
	    F_ALBUM_NAME, COMMON_TAIL },
	[K_EPISODE] = { F_TS, F_MS_PLAYED, F_EPISODE_URI, F_EPISODE_NAME, F_SHOW_NAME,
	    COMMON_TAIL },
	[K_AUDIOBOOK] = { F_TS, F_MS_PLAYED, F_AUDIOBOOK_URI, F_AUDIOBOOK_TITLE,
	    F_CHAPTER_URI, F_CHAPTER_TITLE, COMMON_TAIL },
	[K_VIDEO] = { F_TS, F_MS_PLAYED, F_TRACK_URI, F_TRACK_NAME, F_ARTIST_NAME,
	    F_ALBUM_NAME, F_EPISODE_URI, F_EPISODE_NAME, F_SHOW_NAME, COMMON_TAIL },
};

/* How a file's name classes it before its content is seen. */
enum { N_UNKNOWN, N_EXTENDED, N_VIDEO, N_ACCOUNT };
/* The record formats, told by the keys of a file's first element. */
enum { FMT_NONE, FMT_EXTENDED, FMT_ACCOUNT };

/* The import's progress: records of every history, and histories found. */
static struct sp_progress pg;
static long nhistories;

struct opts {
	int verbose;
	unsigned kinds;		/* bit per kind to emit */
	const char *fetched_at;
};

/*
 * A key to field table: open addressing over a small power of two.  The
 * hash looks at the length and three bytes only: this lookup runs for
 * every member of every play.
 */
#define HSIZE 256
static signed char htab[HSIZE];
static size_t field_len[NFIELDS];

static unsigned
hkey(const char *k, size_t n)
{
	return (unsigned)n * 31u + (unsigned char)k[0] * 7u +
	    (unsigned char)k[n / 2] * 3u + (unsigned char)k[n - 1];
}

static void
htab_init(void)
{
	unsigned h;
	int f;

	memset(htab, -1, sizeof htab);
	for (f = 0; f < NFIELDS; f++) {
		field_len[f] = strlen(field_name[f]);
		h = hkey(field_name[f], field_len[f]) & (HSIZE - 1);
		while (htab[h] >= 0)
			h = (h + 1) & (HSIZE - 1);
		htab[h] = (signed char)f;
	}
}

static int
field_of(const char *k, size_t n)
{
	unsigned h;
	int f;

	if (n == 0)
		return -1;
	h = hkey(k, n) & (HSIZE - 1);
	while ((f = htab[h]) >= 0) {
		if (field_len[f] == n && memcmp(field_name[f], k, n) == 0)
			return f;
		h = (h + 1) & (HSIZE - 1);
	}
	return -1;
}

/* ---- output ---- */

static struct sp_buf out;

/* A failed write ends the tool: quietly with 0 on EPIPE, else exit 1. */
static void
flush_out(void)
{
	errno = 0;
	if (out.len > 0 && (fwrite(out.data, 1, out.len, stdout) != out.len ||
	    fflush(stdout) != 0))
		sp_write_error(errno);
	sp_buf_reset(&out);
}

static inline void
put(const void *p, size_t n)
{
	memcpy(out.data + out.len, p, n);
	out.len += n;
}

/* ---- one file ---- */

/* Per-file state: the envelope prefixes and what was seen. */
struct file {
	const char *name, *display;
	int name_class, fmt;
	struct sp_buf prefix[NKINDS];	/* {"kind":...,"data":{ */
	long counts[NKINDS];
	long local;		/* plays of local files: a name, no Spotify id */
	const struct sp_jmember *val[NFIELDS];
};

/* Pre-rendered ,"field": separators, the first without its comma. */
static struct sp_buf sep[NFIELDS];

static void
file_prefixes(struct file *f, const struct opts *o)
{
	char *s = NULL;
	size_t n = 0;
	FILE *m;
	int k;

	/* sp_json_str turns an entry name that is not UTF-8 into valid JSON. */
	if ((m = open_memstream(&s, &n)) == NULL)
		sp_die(SP_EXIT_DATA, "out of memory");
	sp_json_str(m, f->name, strlen(f->name));
	if (fclose(m) != 0)
		sp_die(SP_EXIT_DATA, "out of memory");
	for (k = 0; k < NKINDS; k++) {
		sp_buf_reset(&f->prefix[k]);
		sp_buf_printf(&f->prefix[k],
		    "{\"kind\":\"%s\",\"source\":\"export\",\"fetched_at\":\"%s\",\"file\":%s,\"data\":{",
		    kind_name[k], o->fetched_at, s);
	}
	free(s);
}

static int
name_class(const char *name)
{
	const char *base = strrchr(name, '/');

	base = base != NULL ? base + 1 : name;
	if (fnmatch("Streaming_History_Audio_*.json", base, 0) == 0 ||
	    fnmatch("endsong*.json", base, 0) == 0)
		return N_EXTENDED;
	if (fnmatch("Streaming_History_Video_*.json", base, 0) == 0 ||
	    fnmatch("endvideo*.json", base, 0) == 0)
		return N_VIDEO;
	if (fnmatch("StreamingHistory*.json", base, 0) == 0)
		return N_ACCOUNT;
	return N_UNKNOWN;
}

/* Collects the known members of the current element into f->val. */
static void
collect(struct file *f, const struct sp_jstream *js)
{
	size_t i;
	int k;

	memset(f->val, 0, sizeof f->val);
	for (i = 0; i < js->nmembers; i++)
		if ((k = field_of(js->members[i].key, js->members[i].key_len)) >= 0)
			f->val[k] = &js->members[i];
}

static int
format_of(const struct file *f)
{
	if (f->val[F_TS] != NULL && f->val[F_MS_PLAYED] != NULL)
		return FMT_EXTENDED;
	if (f->val[A_END_TIME] != NULL && f->val[A_MS_PLAYED] != NULL)
		return FMT_ACCOUNT;
	return FMT_NONE;
}

static int
present(const struct sp_jmember *m)
{
	return m != NULL && m->type != SP_JSON_NULL;
}

/* Checks that member f of the element exists and has the given type. */
static int
need(struct sp_jstream *js, const struct file *fl, int f, int type)
{
	const struct sp_jmember *m = fl->val[f];

	if (m == NULL)
		return sp_jstream_error(js, NULL, "'%s' is missing", field_name[f]);
	if (m->type != type)
		return sp_jstream_error(js, m->val, "'%s' is %s, expected %s", field_name[f],
		    sp_json_kind_name(m->type), sp_json_kind_name(type));
	return 0;
}

/*
 * The account-data endTime "YYYY-MM-DD HH:MM" (UTC; seconds allowed) as
 * ISO 8601 "YYYY-MM-DDTHH:MM:SSZ", quotes included, into ts[23].
 */
static int
end_time(const struct sp_jmember *m, char *ts)
{
	static const char pat[] = "\"dddd-dd-dd dd:dd:dd\"";
	const char *v = m->val;
	size_t i, n = m->val_len;

	if (n != 18 && n != 21)
		return -1;
	for (i = 0; i + 1 < n; i++) {
		char p = pat[i];

		if (p == 'd' ? v[i] < '0' || v[i] > '9' : v[i] != p)
			return -1;
	}
	memcpy(ts, v, n - 1);
	ts[11] = 'T';
	if (n == 18)
		memcpy(ts + 17, ":00", 3);
	memcpy(ts + 20, "Z\"", 2);
	return 0;
}

/* Whether an extended-history track URI (or its absence) is a local file's. */
static int
local_uri(const struct sp_jmember *m)
{
	return !present(m) || (m->val_len > 15 && memcmp(m->val, "\"spotify:local:", 15) == 0);
}

/*
 * The kind of an extended-history element, by its content: audiobook and
 * episode fields, else a music play; a video when the file's name says
 * so, or, in a file whose name says nothing, when the element names no
 * track, episode or audiobook at all (as the video history's records).
 * Counts the plays of local files.
 */
static int
extended_kind(struct file *f)
{
	const struct sp_jmember *const *v = f->val;

	if (f->name_class == N_VIDEO)
		return K_VIDEO;
	if (present(v[F_AUDIOBOOK_URI]) || present(v[F_CHAPTER_URI]) ||
	    present(v[F_AUDIOBOOK_TITLE]) || present(v[F_CHAPTER_TITLE]))
		return K_AUDIOBOOK;
	if (present(v[F_EPISODE_URI]) || present(v[F_EPISODE_NAME]) || present(v[F_SHOW_NAME]))
		return K_EPISODE;
	if (!present(v[F_TRACK_NAME]) && !present(v[F_TRACK_URI]) && f->name_class == N_UNKNOWN)
		return K_VIDEO;
	if (present(v[F_TRACK_NAME]) && local_uri(v[F_TRACK_URI]))
		f->local++;
	return K_PLAY;
}

/* Converts and writes the current element; -1 on bad data (js->err). */
static int
convert(struct sp_jstream *js, struct file *f, const struct opts *o)
{
	const struct sp_jmember *const *v = f->val;
	char ts[22];
	const int *fl;
	int kind, i;

	if (js->elem_type != SP_JSON_OBJECT)
		return sp_jstream_error(js, NULL, "expected an object, got %s",
		    sp_json_kind_name(js->elem_type));
	collect(f, js);
	if (f->fmt == FMT_EXTENDED) {
		if (need(js, f, F_TS, SP_JSON_STRING) || need(js, f, F_MS_PLAYED, SP_JSON_NUMBER))
			return -1;
		kind = extended_kind(f);
	} else {
		if (need(js, f, A_END_TIME, SP_JSON_STRING) || need(js, f, A_MS_PLAYED, SP_JSON_NUMBER))
			return -1;
		if (end_time(v[A_END_TIME], ts) != 0)
			return sp_jstream_error(js, v[A_END_TIME]->val,
			    "'endTime' is not a time \"YYYY-MM-DD HH:MM\"");
		kind = v[A_PODCAST] != NULL || v[A_EPISODE] != NULL ? K_EPISODE : K_PLAY;
	}
	f->counts[kind]++;
	sp_progress_step(&pg, 1);
	if (!(o->kinds & 1u << kind))
		return 0;
	/* Room for the whole record: prefix, names, values, "null"s. */
	sp_buf_grow(&out, f->prefix[kind].len + js->elem_len + 1024);
	put(f->prefix[kind].data, f->prefix[kind].len);
	for (fl = kind_fields[kind], i = 0; fl[i] != END; i++) {
		const struct sp_jmember *m;
		int k = fl[i];

		put(sep[k].data + (i == 0), sep[k].len - (i == 0));
		if (f->fmt == FMT_ACCOUNT) {
			switch (k) {
			case F_TS: put(ts, sizeof ts); continue;
			case F_MS_PLAYED: m = v[A_MS_PLAYED]; break;
			case F_TRACK_NAME: m = v[A_TRACK]; break;
			case F_ARTIST_NAME: m = v[A_ARTIST]; break;
			case F_EPISODE_NAME: m = v[A_EPISODE]; break;
			case F_SHOW_NAME: m = v[A_PODCAST]; break;
			default: m = NULL; break;
			}
		} else {
			m = v[k];
			/* A local file has no Spotify id: the play is kept by its
			 * names, with no URI (as when the export gives null). */
			if (k == F_TRACK_URI && local_uri(m))
				m = NULL;
		}
		if (m != NULL)
			put(m->val, m->val_len);
		else
			put("null", 4);
	}
	put("}}\n", 3);
	if (out.len >= (size_t)1 << 18)
		flush_out();
	return 0;
}

static void
report(const struct file *f, const char *what)
{
	char counts[256] = "";
	size_t n = 0;
	long total = 0;
	int k;

	for (k = 0; k < NKINDS; k++) {
		total += f->counts[k];
		if (f->counts[k] > 0 && n < sizeof counts)
			n += (size_t)snprintf(counts + n, sizeof counts - n, "%s%ld %s",
			    n ? ", " : ": ", f->counts[k],
			    sp_plural(f->counts[k], kind_name[k], kind_plural[k]));
	}
	sp_warn("%s: %s, %ld %s%s", f->display, what, total,
	    sp_plural(total, "record", "records"), counts);
	if (f->local > 0)
		sp_warn("%s: %ld local-file %s kept (no Spotify id)", f->display, f->local,
		    sp_plural(f->local, "play", "plays"));
}

/*
 * Imports one entry.  strict: an entry the user named, or one whose name
 * says it is a history; anything else that is not a history is skipped.
 * Returns 1 if it was a history, 0 if skipped, -1 on an error (printed).
 */
static int
import_entry(struct sp_entries *en, struct file *f, int strict, const struct opts *o)
{
	struct sp_jstream js;
	int r, t, rc = -1;

	sp_jstream_init(&js, sp_entries_read, en, f->display, 0);
	memset(f->counts, 0, sizeof f->counts);
	f->local = 0;
	t = sp_jstream_begin(&js);
	if (t >= 0 && t != SP_JSON_ARRAY && !strict) {
		if (o->verbose)
			sp_warn("%s: skipped: not a JSON array", f->display);
		rc = 0;
		goto done;
	}
	r = t < 0 ? -1 : sp_jstream_next(&js);
	if (r < 0 && !strict && !js.err_io) {
		if (o->verbose)
			sp_warn("%s: skipped: not JSON", f->display);
		rc = 0;
		goto done;
	}
	if (r < 0)
		goto fail;
	if (r == 0) {
		if (!strict) {
			if (o->verbose)
				sp_warn("%s: skipped: an empty array", f->display);
			rc = 0;
		} else {
			if (o->verbose)
				report(f, "empty history");
			rc = 1;
		}
		goto done;
	}
	if (js.elem_type == SP_JSON_OBJECT) {
		collect(f, &js);
		f->fmt = format_of(f);
	} else {
		f->fmt = FMT_NONE;
	}
	if (f->fmt == FMT_NONE) {
		if (!strict) {
			if (o->verbose)
				sp_warn("%s: skipped: not a listening history", f->display);
			rc = 0;
			goto done;
		}
		if (js.elem_type != SP_JSON_OBJECT)
			sp_jstream_error(&js, NULL, "expected an object, got %s",
			    sp_json_kind_name(js.elem_type));
		else
			sp_jstream_error(&js, NULL, "not a listening history record: "
			    "no 'ts' and 'ms_played', nor 'endTime' and 'msPlayed'");
		goto fail;
	}
	file_prefixes(f, o);
	do {
		if (convert(&js, f, o) != 0)
			goto fail;
	} while ((r = sp_jstream_next(&js)) == 1);
	if (r < 0)
		goto fail;
	if (o->verbose)
		report(f, f->fmt == FMT_EXTENDED ? "extended history" : "account-data history");
	rc = 1;
	goto done;
fail:
	if (js.err[0] != '\0')
		sp_warn("%s", js.err);
done:
	sp_jstream_free(&js);
	return rc;
}

/* Imports every history in path; -1 on an error (printed). */
static int
import_path(const char *path, struct file *f, const struct opts *o)
{
	struct sp_entries *en;
	const char *name, *display;
	char *zip = NULL;
	int r, found = 0, single;

	if ((en = sp_entries_open(path)) == NULL)
		return -1;
	single = sp_entries_kind(en) == SP_ENTRIES_FILE;
	while ((r = sp_entries_next(en, &name, &display)) == 1) {
		/* A ZIP inside a directory is not opened: named if nothing else is found. */
		if (zip == NULL && sp_entries_kind(en) == SP_ENTRIES_DIR &&
		    fnmatch("*.zip", name, FNM_CASEFOLD) == 0)
			zip = sp_xstrdup(display);
		f->name = name;
		f->display = display;
		f->name_class = name_class(name);
		r = import_entry(en, f, single || f->name_class != N_UNKNOWN, o);
		if (r < 0)
			break;
		found += r;
	}
	nhistories += found;
	sp_entries_close(en);
	if (r < 0) {
		free(zip);
		return -1;
	}
	if (found == 0) {
		sp_warn("%s: no listening history found", sp_input_name(path));
		if (zip != NULL)
			sp_hint("%s is a ZIP: give that file itself", zip);
		else
			sp_hint("expected Streaming_History_Audio_*.json, endsong_*.json or StreamingHistory*.json");
		free(zip);
		return -1;
	}
	free(zip);
	return 0;
}

static int
valid_time(const char *s)
{
	static const char pat[] = "dddd-dd-ddTdd:dd:dd";
	size_t i;

	for (i = 0; pat[i] != '\0'; i++)
		if (pat[i] == 'd' ? s[i] < '0' || s[i] > '9' : s[i] != pat[i])
			return 0;
	if (s[i] == '.')
		for (i++; s[i] >= '0' && s[i] <= '9'; i++)
			;
	return strcmp(s + i, "Z") == 0;
}

static unsigned
parse_kinds(const char *list)
{
	char *s = sp_xstrdup(list), *save = NULL, *t;
	unsigned bits = 0;
	int k;

	for (t = strtok_r(s, ",", &save); t != NULL; t = strtok_r(NULL, ",", &save)) {
		for (k = 0; k < NKINDS && strcmp(t, kind_name[k]) != 0; k++)
			;
		if (k == NKINDS) {
			sp_warn("--kind: unknown kind '%s' (play, episode, audiobook, video)", t);
			free(s);
			return 0;
		}
		bits |= 1u << k;
	}
	free(s);
	return bits;
}

static void __attribute__((noreturn))
usage(FILE *fp, int status)
{
	fprintf(fp,
	    "usage: sp-import [-qv] [-k KINDS] [--fetched-at TIME] ZIP|DIR|FILE...\n"
	    "Reads Spotify privacy exports and writes one NDJSON record per play.\n"
	    "  -k, --kind KINDS     emit only these kinds, comma-separated:\n"
	    "                       play, episode, audiobook, video (default: all)\n"
	    "      --fetched-at TIME  the envelope's fetched_at (YYYY-MM-DDTHH:MM:SSZ;\n"
	    "                       default: now)\n"
	    "  -q, --quiet          no progress line nor summary of the records read\n"
	    "  -v, --verbose        say what each file is, and which are skipped\n"
	    "  -h, --help           show this help\n"
	    "      --version        show the version\n");
	exit(status);
}

/*
 * sp-import reads Spotify privacy exports, each a ZIP, a directory or one
 * JSON file ("-" for stdin), without unpacking them to disk, and writes to
 * stdout one NDJSON record per play of the listening histories found:
 * {"kind":"play"|"episode"|"audiobook"|"video","source":"export",
 * "fetched_at":...,"file":ENTRY,"data":{...}}, data in the extended-history
 * field names.  Files are recognised by name and by the keys of their
 * first element; other files of an export are skipped.  Output is in
 * argument, entry and element order.  Exit status: 0 ok; 1 malformed or
 * unreadable input, no history found, or a write error (the records
 * written before the error stand; a reader that went away, EPIPE, is a
 * quiet 0); 2 usage.
 */
int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "fetched-at", required_argument, NULL, 'F' },
		{ "help", no_argument, NULL, 'h' },
		{ "kind", required_argument, NULL, 'k' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct opts o = { 0, (1u << NKINDS) - 1, NULL };
	char now[32];
	struct file f;
	time_t t;
	int c, i, k, quiet = 0, status = SP_EXIT_OK;

	sp_init(argv[0]);
	/* A reader that goes away (| head) ends the import with 0, not SIGPIPE. */
	signal(SIGPIPE, SIG_IGN);
	while ((c = getopt_long(argc, argv, "hk:qv", longopts, NULL)) != -1) {
		switch (c) {
		case 'F':
			if (!valid_time(optarg)) {
				sp_warn("--fetched-at: not an ISO 8601 UTC time (YYYY-MM-DDTHH:MM:SSZ): '%s'",
				    optarg);
				return SP_EXIT_USAGE;
			}
			o.fetched_at = optarg;
			break;
		case 'h':
			usage(stdout, SP_EXIT_OK);
		case 'k':
			if ((o.kinds = parse_kinds(optarg)) == 0)
				return SP_EXIT_USAGE;
			break;
		case 'q':
			quiet = 1;
			break;
		case 'v':
			o.verbose = 1;
			break;
		case 'V':
			sp_version();
		default:
			usage(stderr, SP_EXIT_USAGE);
		}
	}
	if (optind >= argc) {
		usage(stderr, SP_EXIT_USAGE);
	}
	if (o.fetched_at == NULL) {
		t = time(NULL);
		strftime(now, sizeof now, "%Y-%m-%dT%H:%M:%SZ", gmtime(&t));
		o.fetched_at = now;
	}
	htab_init();
	for (k = 0; k < NFIELDS; k++)
		sp_buf_printf(&sep[k], ",\"%s\":", field_name[k]);
	memset(&f, 0, sizeof f);
	sp_buf_grow(&out, (size_t)1 << 19);
	sp_progress_start(&pg, sp_progress_mode(quiet), "import", SP_PROGRESS_UNKNOWN, "records");
	for (i = optind; i < argc; i++) {
		if (import_path(argv[i], &f, &o) != 0) {
			status = SP_EXIT_DATA;
			break;
		}
	}
	flush_out();
	if (status == SP_EXIT_OK)
		sp_progress_end(&pg, "imported %zu %s from %ld %s", pg.done,
		    sp_plural((long)pg.done, "record", "records"), nhistories,
		    sp_plural(nhistories, "history", "histories"));
	for (k = 0; k < NKINDS; k++)
		sp_buf_free(&f.prefix[k]);
	for (k = 0; k < NFIELDS; k++)
		sp_buf_free(&sep[k]);
	sp_buf_free(&out);
	return status;
}
