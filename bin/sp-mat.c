/* sp-mat: inspects and converts sp matrix files (schemas/matrix.md). */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "diag.h"
#include "mat.h"
#include "ndjson.h"
#include "opt.h"

static void __attribute__((noreturn))
usage(FILE *fp, int status)
{
	fputs("usage: sp-mat info [FILE]\n"
	    "       sp-mat head [-n N] [FILE]\n"
	    "       sp-mat labels [FILE]\n"
	    "       sp-mat colnames [FILE]\n"
	    "       sp-mat to-mtx [--labels OUT] [--colnames OUT] [FILE]\n"
	    "       sp-mat from-mtx [--labels IN] [--colnames IN] [--csr | --dense] [--f64] [FILE]\n"
	    "Shows an sp matrix (FILE or stdin), or converts it to and from Matrix\n"
	    "Market (see sp-mat(1)).\n"
	    "  -n, --lines N      rows to print with head (default 10)\n"
	    "      --labels FILE  to-mtx: write the row labels to FILE; from-mtx: read\n"
	    "                     them from FILE (NDJSON, one line per row)\n"
	    "      --colnames FILE  the same for column names (a JSON string a line)\n"
	    "      --csr          from-mtx: store the matrix sparse (CSR)\n"
	    "      --dense        from-mtx: store the matrix dense\n"
	    "      --f64          from-mtx: store float64 values (default float32)\n"
	    "  -h, --help         this help\n"
	    "      --version      the version\n",
	    fp);
	exit(status);
}

static void
load(const char *path, struct sp_mat *m)
{
	if (sp_mat_load(path, m) != 0)
		exit(SP_EXIT_DATA);
}

static int
cmd_info(const char *path)
{
	struct sp_mat m;
	uint64_t nval;

	load(path, &m);
	nval = m.layout == SP_MAT_CSR ? m.nnz : m.rows * m.cols;
	printf("format\tspmat %d\n", SP_MAT_VERSION);
	printf("layout\t%s\n", sp_mat_layout_name(m.layout));
	printf("dtype\t%s\n", sp_mat_dtype_name(m.dtype));
	printf("rows\t%" PRIu64 "\n", m.rows);
	printf("cols\t%" PRIu64 "\n", m.cols);
	printf("nnz\t%" PRIu64 "\n", nval);
	if (m.layout == SP_MAT_CSR && m.rows > 0 && m.cols > 0)
		printf("density\t%.6g\n", (double)nval / ((double)m.rows * (double)m.cols));
	printf("labels\t%s\n", m.labels ? "yes" : "no");
	printf("colnames\t%s\n", m.colnames ? "yes" : "no");
	sp_mat_free(&m);
	return 0;
}

static void
put_colname(FILE *fp, const struct sp_mat *m, uint64_t j)
{
	size_t len;
	const char *s = sp_mat_colname(m, j, &len);

	if (s != NULL)
		fwrite(s, 1, len, fp);
	else
		fprintf(fp, "\"c%" PRIu64 "\"", j);
}

/*
 * Value k of m, at row i and column j, for printing: NaN and infinities
 * are not JSON nor portable Matrix Market, and no sp tool writes them, so
 * a file holding one is refused, naming where.
 */
static double
finite_value(const char *path, const struct sp_mat *m, uint64_t k, uint64_t i, uint64_t j)
{
	double v = sp_mat_value(m, k);

	if (!isfinite(v))
		sp_die(SP_EXIT_DATA, "%s: row %" PRIu64 ", column %" PRIu64 ": value is not finite (%g)",
		    sp_input_name(path), i, j, v);
	return v;
}

static int
cmd_head(const char *path, long n)
{
	struct sp_mat m;
	uint64_t i, j, k;
	size_t len;
	const char *lab;

	load(path, &m);
	for (i = 0; i < m.rows && (n < 0 || i < (uint64_t)n); i++) {
		printf("{\"row\":%" PRIu64 ",\"label\":", i);
		if ((lab = sp_mat_label(&m, i, &len)) != NULL)
			fwrite(lab, 1, len, stdout);
		else
			fputs("null", stdout);
		if (m.layout == SP_MAT_CSR) {
			fputs(",\"values\":{", stdout);
			for (k = m.indptr[i]; k < m.indptr[i + 1]; k++) {
				if (k > m.indptr[i])
					putchar(',');
				put_colname(stdout, &m, m.indices[k]);
				printf(":%.9g", finite_value(path, &m, k, i, m.indices[k]));
			}
			fputs("}}\n", stdout);
		} else {
			fputs(",\"values\":[", stdout);
			for (j = 0; j < m.cols; j++)
				printf(j ? ",%.9g" : "%.9g", finite_value(path, &m, i * m.cols + j, i, j));
			fputs("]}\n", stdout);
		}
	}
	sp_mat_free(&m);
	return 0;
}

static int
cmd_lines(const char *path, int colnames)
{
	struct sp_mat m;

	load(path, &m);
	if (colnames && m.colnames)
		fwrite(m.colnames, 1, m.colnames_len, stdout);
	else if (!colnames && m.labels)
		fwrite(m.labels, 1, m.labels_len, stdout);
	sp_mat_free(&m);
	return 0;
}

static void
write_text(const char *out, const char *data, size_t len)
{
	FILE *fp = fopen(out, "w");

	if (fp == NULL)
		sp_die(SP_EXIT_DATA, "%s: %s", out, strerror(errno));
	if ((len > 0 && fwrite(data, 1, len, fp) != len) || fclose(fp) != 0)
		sp_die(SP_EXIT_DATA, "%s: write error: %s", out, strerror(errno));
}

static int
cmd_to_mtx(const char *path, const char *labels_out, const char *colnames_out)
{
	struct sp_mat m;
	uint64_t i, j, k;

	load(path, &m);
	if (labels_out != NULL)
		write_text(labels_out, m.labels ? m.labels : "", m.labels ? m.labels_len : 0);
	if (colnames_out != NULL)
		write_text(colnames_out, m.colnames ? m.colnames : "", m.colnames ? m.colnames_len : 0);
	if (m.layout == SP_MAT_CSR) {
		printf("%%%%MatrixMarket matrix coordinate real general\n");
		printf("%% written by sp-mat from %s\n", sp_input_name(path));
		printf("%" PRIu64 " %" PRIu64 " %" PRIu64 "\n", m.rows, m.cols, m.nnz);
		for (i = 0; i < m.rows; i++)
			for (k = m.indptr[i]; k < m.indptr[i + 1]; k++)
				printf("%" PRIu64 " %u %.9g\n", i + 1, m.indices[k] + 1,
				    finite_value(path, &m, k, i, m.indices[k]));
	} else {
		/* Matrix Market arrays are column-major. */
		printf("%%%%MatrixMarket matrix array real general\n");
		printf("%% written by sp-mat from %s\n", sp_input_name(path));
		printf("%" PRIu64 " %" PRIu64 "\n", m.rows, m.cols);
		/* No rows: nothing to write, however many columns (no spinning). */
		for (j = 0; m.rows > 0 && j < m.cols; j++)
			for (i = 0; i < m.rows; i++)
				printf("%.9g\n", finite_value(path, &m, i * m.cols + j, i, j));
	}
	sp_mat_free(&m);
	return 0;
}

/* The whole of a labels or colnames file, ending with a newline. */
static char *
read_text(const char *path, size_t *len)
{
	char *text = sp_read_file(path, SIZE_MAX, len);

	if (text == NULL)
		sp_die(SP_EXIT_DATA, "%s: %s", path, strerror(errno));
	if (*len > 0 && text[*len - 1] != '\n') {
		text = sp_xrealloc(text, *len + 2);
		text[(*len)++] = '\n';
		text[*len] = '\0';
	}
	return text;
}

static int
cmd_from_mtx(const char *path, const char *labels_in, const char *colnames_in,
    int want_layout, int dtype)
{
	struct sp_lines r;
	struct sp_mat m;
	unsigned long long rows, cols;
	char *text;
	size_t len;

	if (sp_lines_open(&r, path) != 0)
		exit(SP_EXIT_DATA);
	sp_mtx_read(&r, want_layout, dtype, &m);
	sp_lines_close(&r);
	rows = m.rows;
	cols = m.cols;
	if (labels_in != NULL) {
		text = read_text(labels_in, &len);
		if (sp_mat_set_labels(&m, text, len) != 0)
			sp_die(SP_EXIT_DATA, "%s: expected %llu label lines", labels_in, rows);
	}
	if (colnames_in != NULL) {
		text = read_text(colnames_in, &len);
		if (sp_mat_set_colnames(&m, text, len) != 0)
			sp_die(SP_EXIT_DATA, "%s: expected %llu column name lines", colnames_in, cols);
	}
	if (sp_mat_write(stdout, &m) != 0)
		sp_die(SP_EXIT_DATA, "write error on stdout: %s", strerror(errno));
	sp_mat_free(&m);
	return 0;
}

/*
 * sp-mat reads one matrix file (FILE or stdin) and prints it: info as
 * tab-separated "key value" lines, head and labels as NDJSON, colnames as
 * JSON strings a line, to-mtx as Matrix Market.  from-mtx reads Matrix
 * Market and writes an sp matrix.  Exit status: 0 ok, 1 bad or truncated
 * input or a write error, 2 usage.
 */
int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "colnames", required_argument, NULL, 'C' },
		{ "csr", no_argument, NULL, 's' },
		{ "dense", no_argument, NULL, 'd' },
		{ "f64", no_argument, NULL, '8' },
		{ "help", no_argument, NULL, 'h' },
		{ "labels", required_argument, NULL, 'L' },
		{ "lines", required_argument, NULL, 'n' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	const char *cmd, *file, *labels = NULL, *colnames = NULL;
	long n = 10;
	int c, layout = 0, dtype = SP_MAT_F32;

	sp_init(argv[0]);
	if (argc < 2)
		usage(stderr, SP_EXIT_USAGE);
	if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)
		usage(stdout, SP_EXIT_OK);
	if (strcmp(argv[1], "--version") == 0)
		sp_version();
	if (argv[1][0] == '-')
		usage(stderr, SP_EXIT_USAGE);
	/* The command comes first; its options follow it. */
	cmd = argv[1];
	argc--;
	argv++;
	while ((c = getopt_long(argc, argv, "hn:V", longopts, NULL)) != -1) {
		switch (c) {
		case 'C': colnames = optarg; break;
		case 'L': labels = optarg; break;
		case 'd': layout = SP_MAT_DENSE; break;
		case 's': layout = SP_MAT_CSR; break;
		case '8': dtype = SP_MAT_F64; break;
		case 'h': usage(stdout, SP_EXIT_OK); break;
		case 'V': sp_version(); break;
		case 'n':
			n = sp_opt_long("-n", optarg, 0, LONG_MAX, usage);
			break;
		default: usage(stderr, SP_EXIT_USAGE); break;
		}
	}
	if (argc - optind > 1)
		usage(stderr, SP_EXIT_USAGE);
	file = optind < argc ? argv[optind] : NULL;
	if (strcmp(cmd, "info") == 0)
		return cmd_info(file);
	if (strcmp(cmd, "head") == 0)
		return cmd_head(file, n);
	if (strcmp(cmd, "labels") == 0)
		return cmd_lines(file, 0);
	if (strcmp(cmd, "colnames") == 0)
		return cmd_lines(file, 1);
	if (strcmp(cmd, "to-mtx") == 0)
		return cmd_to_mtx(file, labels, colnames);
	if (strcmp(cmd, "from-mtx") == 0)
		return cmd_from_mtx(file, labels, colnames, layout, dtype);
	sp_warn("unknown command '%s'", cmd);
	usage(stderr, SP_EXIT_USAGE);
}
