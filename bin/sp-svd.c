/* sp-svd: truncated SVD of an encoded matrix: dense row embeddings X·V. */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "blaskern.h"
#include "buf.h"
#include "diag.h"
#include "linalg.h"
#include "mat.h"
#include "opt.h"

#define MAX_K 100000
#define MAX_P 100000
#define MAX_Q 1000

static void __attribute__((noreturn))
usage(FILE *fp, int status)
{
	fputs("usage: sp-svd -k K [-p P] [-q Q] [--seed N] [--variance F] [--model MODEL] [-v] [FILE]\n"
	    "       sp-svd --project MODEL [-v] [FILE]\n"
	    "Writes the K leading components of the sp matrix FILE (or stdin) as a\n"
	    "dense float32 embedding of its rows (randomized SVD; see sp-svd(1)).\n"
	    "  -k K               components (1 to 100000; required unless --project)\n"
	    "  -p P               oversampling columns (default 10)\n"
	    "  -q Q               power iterations (default 5)\n"
	    "      --seed N       the seed of the random test matrix (default 1)\n"
	    "      --variance F   keep the fewest components explaining at least F of\n"
	    "                     the variance, 0 < F <= 1\n"
	    "      --model MODEL  also save the fit (V) to MODEL\n"
	    "      --project MODEL  embed FILE's rows with a saved model\n"
	    "  -v, --verbose      shape, components and timings on stderr\n"
	    "  -h, --help         this help\n"
	    "      --version      the version\n",
	    fp);
	exit(status);
}

static void
bad_usage(const char *fmt, const char *arg)
{
	sp_warn(fmt, arg);
	usage(stderr, SP_EXIT_USAGE);
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Column names "svd0".."svd{k-1}", one JSON string a line. */
static void
set_svd_colnames(struct sp_mat *m, size_t k)
{
	struct sp_buf b = { NULL, 0, 0 };
	size_t c, len;
	char *p;

	if (k == 0)
		return;
	for (c = 0; c < k; c++)
		sp_buf_printf(&b, "\"svd%zu\"\n", c);
	p = sp_buf_detach(&b, &len);
	if (sp_mat_set_colnames(m, p, len) != 0)
		sp_die(SP_EXIT_DATA, "internal error: column names");
}

/*
 * Writes the n x k embedding (row stride lde) to stdout as dense float32,
 * with in's row labels (moved out of in) and columns svd0..svd{k-1}.  e is
 * compacted in place and freed.
 */
static void
write_embedding(struct sp_mat *in, float *e, size_t n, size_t k, size_t lde)
{
	struct sp_mat out;
	size_t i;

	memset(&out, 0, sizeof out);
	out.layout = SP_MAT_DENSE;
	out.dtype = SP_MAT_F32;
	out.rows = n;
	out.cols = k;
	out.nnz = n * k;
	if (lde != k)
		for (i = 0; i < n; i++)
			memmove(e + i * k, e + i * lde, k * sizeof *e);
	out.values = e;
	out.labels = in->labels;
	out.labels_len = in->labels_len;
	out.label_off = in->label_off;
	in->labels = NULL;
	in->label_off = NULL;
	in->labels_len = 0;
	set_svd_colnames(&out, k);
	if (sp_mat_write(stdout, &out) != 0)
		sp_die(SP_EXIT_DATA, "write error on stdout: %s", strerror(errno));
	sp_mat_free(&out);
}

/*
 * The model: a dense float64 matrix k x cols holding V^T (row c is the
 * component svd<c>, as scikit-learn's components_), the input's column
 * names, and one label per component with its singular value and
 * explained variance.
 */
static void
write_model(const char *path, const struct sp_mat *in, const double *v, size_t d,
    size_t k, const double *sigma, const double *var, const double *ratio)
{
	struct sp_mat m;
	struct sp_buf b = { NULL, 0, 0 };
	double *vt;
	size_t c, j, len;
	char *p;
	FILE *fp;

	memset(&m, 0, sizeof m);
	m.layout = SP_MAT_DENSE;
	m.dtype = SP_MAT_F64;
	m.rows = k;
	m.cols = d;
	vt = sp_xreallocarray(NULL, k * d + 1, sizeof *vt);
	for (c = 0; c < k; c++)
		for (j = 0; j < d; j++)
			vt[c * d + j] = v[j * k + c];
	m.values = vt;
	for (c = 0; c < k; c++)
		sp_buf_printf(&b, "{\"component\":%zu,\"singular_value\":%.17g,"
		    "\"explained_variance\":%.17g,\"explained_variance_ratio\":%.17g}\n",
		    c, sigma[c], var[c], ratio[c]);
	p = sp_buf_detach(&b, &len);
	if (sp_mat_set_labels(&m, p, len) != 0)
		sp_die(SP_EXIT_DATA, "internal error: model labels");
	if (in->colnames != NULL) {
		char *names = sp_xmalloc(in->colnames_len);

		memcpy(names, in->colnames, in->colnames_len);
		if (sp_mat_set_colnames(&m, names, in->colnames_len) != 0)
			sp_die(SP_EXIT_DATA, "internal error: model column names");
	}
	if ((fp = fopen(path, "wb")) == NULL)
		sp_die(SP_EXIT_DATA, "%s: %s", path, strerror(errno));
	if (sp_mat_write(fp, &m) != 0 || fclose(fp) != 0)
		sp_die(SP_EXIT_DATA, "%s: write error: %s", path, strerror(errno));
	sp_mat_free(&m);
}

/* Checks that the input x has the columns the model was fitted on. */
static void
check_columns(const struct sp_mat *x, const char *xname, const struct sp_mat *model,
    const char *mname)
{
	const char *a, *b;
	size_t al, bl;
	uint64_t j;

	if (x->cols != model->cols)
		sp_die(SP_EXIT_DATA, "%s: %" PRIu64 " columns, but the model %s has %" PRIu64,
		    xname, x->cols, mname, model->cols);
	if (x->colnames == NULL || model->colnames == NULL)
		return;
	for (j = 0; j < x->cols; j++) {
		a = sp_mat_colname(x, j, &al);
		b = sp_mat_colname(model, j, &bl);
		if (al != bl || memcmp(a, b, al) != 0)
			sp_die(SP_EXIT_DATA, "%s: column %" PRIu64 " is %.*s, but the model %s has %.*s",
			    xname, j, (int)al, a, mname, (int)bl, b);
	}
}

/* Loads an sp-svd model: V (cols x k, row-major double) and k. */
static double *
load_model(const char *path, struct sp_mat *model, size_t *k)
{
	const char *lab;
	size_t len, c, j, d;
	double *v;

	if (sp_mat_load(path, model) != 0)
		exit(SP_EXIT_DATA);
	lab = sp_mat_label(model, 0, &len);
	if (model->layout != SP_MAT_DENSE || model->rows == 0 || lab == NULL ||
	    len < 13 || memcmp(lab, "{\"component\":", 13) != 0)
		sp_die(SP_EXIT_DATA, "%s: not an sp-svd model (see sp-svd(1), --model)", path);
	*k = model->rows;
	d = model->cols;
	v = sp_xreallocarray(NULL, d * *k + 1, sizeof *v);
	for (c = 0; c < *k; c++)
		for (j = 0; j < d; j++)
			v[j * *k + c] = sp_mat_value(model, c * d + j);
	return v;
}

/* Refuses NaN and infinite values, which would poison every component. */
static void
check_finite(const struct sp_csr *a, const char *name)
{
	size_t i;
	uint64_t e;

	for (i = 0; i < a->rows; i++)
		for (e = a->indptr[i]; e < a->indptr[i + 1]; e++)
			if (!isfinite(a->values[e]))
				sp_die(SP_EXIT_DATA, "%s: row %zu, column %u: value is not finite",
				    name, i, a->indices[e]);
}

/*
 * The embedding X·V into e (at least n x sp_la_ld(k) floats from
 * sp_la_alloc_raw), or a new buffer when e is NULL, with row stride *lde.  The
 * product runs over the whole stride, V's padding columns being zero: whole
 * vectors are faster, and each column is computed independently of the
 * others.
 */
static float *
embed(const struct sp_csr *a, const double *v, size_t k, size_t *lde, float *e)
{
	size_t ld = sp_la_ld(k), j, c;
	float *vf = sp_la_alloc(a->cols * ld, sizeof *vf);

	/* Written whole by the product: not zeroed first. */
	if (e == NULL)
		e = sp_la_alloc_raw(a->rows * ld, sizeof *e);

	for (j = 0; j < a->cols; j++)
		for (c = 0; c < k; c++)
			vf[j * ld + c] = (float)v[j * k + c];
	sp_csr_mm(a, vf, ld, ld, e, ld);
	free(vf);
	*lde = ld;
	return e;
}

static void
print_spectrum(size_t k, const double *sigma, const double *ratio)
{
	double cum = 0;
	size_t c;

	fputs("component\tsingular_value\texplained_variance_ratio\tcumulative\n", stderr);
	for (c = 0; c < k; c++) {
		cum += ratio[c];
		fprintf(stderr, "svd%zu\t%.9g\t%.9g\t%.9g\n", c, sigma[c], ratio[c], cum);
	}
}

static int
project(const char *mpath, const char *path, int verbose)
{
	struct sp_mat model, x;
	struct sp_csr a;
	size_t k, lde;
	double *v, t0 = now();
	float *e;

	v = load_model(mpath, &model, &k);
	if (sp_mat_load(path, &x) != 0)
		exit(SP_EXIT_DATA);
	check_columns(&x, sp_input_name(path), &model, mpath);
	sp_mat_free(&model);
	sp_csr_from_mat(&x, &a);
	check_finite(&a, sp_input_name(path));
	e = embed(&a, v, k, &lde, NULL);
	if (verbose)
		sp_warn("projected %zu %s onto %zu %s in %.3f s; blas kernel %s",
		    a.rows, sp_plural((long)a.rows, "row", "rows"), k,
		    sp_plural((long)k, "component", "components"), now() - t0, sp_blas_kernel());
	write_embedding(&x, e, a.rows, k, lde);
	free(v);
	sp_csr_free(&a);
	sp_mat_free(&x);
	return SP_EXIT_OK;
}

struct fit_opts {
	size_t k, p, q;
	unsigned long seed;
	double variance;	/* 0: keep all k */
	const char *model;
	int verbose;
};

/*
 * The test matrix, drawn in a thread while the input is read: it depends
 * only on the sizes in the header, and drawing it costs about as much as
 * reading.
 */
struct draw {
	const struct fit_opts *o;
	size_t d, l;
	float *z;
	pthread_t tid;
	int started;
};

static void *
draw_main(void *arg)
{
	struct draw *w = arg;

	w->z = sp_rsvd_draw(w->d, w->l, w->o->seed);
	return NULL;
}

/* sp_mat_read's hook: starts the drawing once the sizes are known. */
static void
draw_start(const struct sp_mat *m, void *arg)
{
	struct draw *w = arg;
	size_t n = m->rows, mn = n < m->cols ? n : m->cols;
	size_t k = w->o->k < mn ? w->o->k : mn;

	if (k == 0)
		return;
	w->d = m->cols;
	w->l = sp_rsvd_width(n, w->d, k, w->o->p);
	w->started = pthread_create(&w->tid, NULL, draw_main, w) == 0;
}

/* The drawn test matrix, or NULL (sp_rsvd then draws it). */
static float *
draw_end(struct draw *w)
{
	if (w->started)
		pthread_join(w->tid, NULL);
	w->started = 0;
	return w->z;
}

static int
fit(const struct fit_opts *o, const char *path)
{
	struct sp_mat x;
	struct sp_csr a;
	struct sp_rsvd_opts ro = { o->k, o->p, o->q, o->seed, NULL, NULL };
	struct draw w = { o, 0, 0, NULL, 0, 0 };
	size_t n, d, mn, k, kept, c, lde;
	double *sigma, *v, *var, *ratio, total, cum, t0 = now(), t1, t2;
	float *e, *y = NULL;

	if (sp_mat_load_hook(path, &x, draw_start, &w) != 0)
		exit(SP_EXIT_DATA);
	sp_csr_from_mat(&x, &a);
	check_finite(&a, sp_input_name(path));
	n = a.rows;
	d = a.cols;
	mn = n < d ? n : d;
	k = o->k;
	if (n == 0) {
		free(draw_end(&w));
		/* Nothing to decompose: an empty embedding of the promised width. */
		if (o->model)
			sp_die(SP_EXIT_DATA, "%s: no rows: cannot fit a model", sp_input_name(path));
		write_embedding(&x, sp_la_alloc(0, sizeof(float)), 0, k, k);
		sp_csr_free(&a);
		sp_mat_free(&x);
		return SP_EXIT_OK;
	}
	if (k > mn) {
		sp_warn("%s: -k %zu is more than min(rows, columns) = %zu; computing %zu %s",
		    sp_input_name(path), k, mn, mn, sp_plural((long)mn, "component", "components"));
		k = ro.k = mn;
	}
	if (k == 0 && o->model)
		sp_die(SP_EXIT_DATA, "%s: no columns: cannot fit a model", sp_input_name(path));
	sigma = sp_xcalloc(k + 1, sizeof *sigma);
	v = sp_xcalloc(d * k + 1, sizeof *v);
	var = sp_xcalloc(k + 1, sizeof *var);
	ratio = sp_xcalloc(k + 1, sizeof *ratio);
	/*
	 * The SVD's work buffer, which then takes the embedding (as wide or
	 * wider), its pages faulted in while the test matrix is still being
	 * drawn rather than in the first product.
	 */
	if (k > 0) {
		size_t bytes = n * sp_la_ld(sp_rsvd_width(n, d, k, o->p)) * sizeof *y;

		ro.y = y = sp_la_alloc_raw(bytes / sizeof *y, sizeof *y);
		for (size_t b = 0; b < bytes; b += 4096)
			((volatile char *)y)[b] = 0;
	}
	ro.z = draw_end(&w);
	t1 = now();
	if (k > 0 && sp_rsvd(&a, &ro, sigma, v) != 0)
		exit(SP_EXIT_DATA);
	t2 = now();
	e = embed(&a, v, k, &lde, y);

	/*
	 * Explained variance as scikit-learn's TruncatedSVD computes it, for
	 * -v, --variance and --model (two passes over the embedding and the
	 * input: not for nothing).
	 */
	if (o->verbose || o->variance > 0 || o->model) {
		sp_col_var(e, n, k, lde, var);
		total = sp_csr_total_var(&a);
		for (c = 0; c < k; c++)
			ratio[c] = total > 0 ? var[c] / total : 0;
	}
	kept = k;
	if (o->variance > 0) {
		for (c = 0, cum = 0; c < k; c++) {
			cum += ratio[c];
			if (cum >= o->variance)
				break;
		}
		if (c < k)
			kept = c + 1;
		else
			sp_warn("%s: %zu %s %.4g of the variance, less than --variance %g; keeping %s",
			    sp_input_name(path), k, k == 1 ? "component explains" : "components explain",
			    cum, o->variance, k == 1 ? "it" : "them all");
	}
	if (o->verbose) {
		sp_warn("%s: %zu x %zu %s, %zu non-zeros; k %zu, p %zu, q %zu, seed %lu",
		    sp_input_name(path), n, d, sp_mat_layout_name(x.layout), a.nnz, k,
		    o->p, o->q, o->seed);
		print_spectrum(k, sigma, ratio);
		if (o->variance > 0)
			sp_warn("kept %zu of %zu %s (--variance %g)", kept, k,
			    sp_plural((long)k, "component", "components"), o->variance);
		sp_warn("read %.3f s, svd %.3f s, embedding %.3f s; blas kernel %s",
		    t1 - t0, t2 - t1, now() - t2, sp_blas_kernel());
	}
	if (o->model) {
		/* Keep the first kept columns of v, row stride kept. */
		for (size_t j = 0; j < d && kept < k; j++)
			memmove(v + j * kept, v + j * k, kept * sizeof *v);
		write_model(o->model, &x, v, d, kept, sigma, var, ratio);
	}
	write_embedding(&x, e, n, kept, lde);
	free(sigma);
	free(v);
	free(var);
	free(ratio);
	sp_csr_free(&a);
	sp_mat_free(&x);
	return SP_EXIT_OK;
}

/*
 * sp-svd reads one sp matrix (schemas/matrix.md; CSR or dense, float32 or
 * float64) from FILE or stdin and writes to stdout its rows embedded by a
 * truncated SVD, X·V, as a dense float32 matrix with the input's row
 * labels and the column names svd0..svd{k-1}.  With --project MODEL it
 * embeds the rows with a model saved earlier by --model.  -v prints the
 * spectrum to stderr.  Exit status: 0 ok; 1 bad input (unreadable,
 * truncated, a NaN or infinite value, a model that does not fit), a LAPACK
 * failure or a write error; 2 bad usage.
 */
int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "model", required_argument, NULL, 'M' },
		{ "project", required_argument, NULL, 'P' },
		{ "seed", required_argument, NULL, 'S' },
		{ "variance", required_argument, NULL, 'V' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "version", no_argument, NULL, 'R' },
		{ NULL, 0, NULL, 0 }
	};
	struct fit_opts o = { 0, 10, 5, 1, 0, NULL, 0 };
	const char *proj = NULL, *path;
	int ch, fitopt = 0;

	sp_init(argv[0]);
	sp_blas_init(argv);
	while ((ch = getopt_long(argc, argv, "hk:p:q:v", longopts, NULL)) != -1) {
		switch (ch) {
		case 'h':
			usage(stdout, SP_EXIT_OK);
			break;
		case 'k':
			o.k = (size_t)sp_opt_long("-k", optarg, 1, MAX_K, usage);
			fitopt = 1;
			break;
		case 'M':
			o.model = optarg;
			fitopt = 1;
			break;
		case 'p':
			o.p = (size_t)sp_opt_long("-p", optarg, 0, MAX_P, usage);
			fitopt = 1;
			break;
		case 'P':
			proj = optarg;
			break;
		case 'q':
			o.q = (size_t)sp_opt_long("-q", optarg, 0, MAX_Q, usage);
			fitopt = 1;
			break;
		case 'R':
			sp_version();
			break;
		case 'S':
			o.seed = (unsigned long)sp_opt_long("--seed", optarg, 0, LONG_MAX, usage);
			fitopt = 1;
			break;
		case 'v':
			o.verbose = 1;
			break;
		case 'V':
			if (sp_parse_double(optarg, 0, 1, &o.variance) != 0 || o.variance == 0)
				bad_usage("--variance: expected a share in (0, 1], got '%s'", optarg);
			fitopt = 1;
			break;
		default:
			usage(stderr, SP_EXIT_USAGE);
		}
	}
	if (argc - optind > 1)
		bad_usage("%s: only one input file", argv[optind + 1]);
	path = optind < argc ? argv[optind] : NULL;
	/* The products share their work between threads of their own (linalg.h). */
	sp_blas_one_thread();
	if (proj != NULL) {
		if (fitopt)
			bad_usage("%s: --project takes only -v and FILE", proj);
		return project(proj, path, o.verbose);
	}
	if (o.k == 0)
		bad_usage("%s", "-k K is required");
	return fit(&o, path);
}
