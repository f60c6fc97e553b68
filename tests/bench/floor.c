/* floor.c: the floors the benchmark prints beside its figures. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cblas.h>

#include "blaskern.h"
#include "diag.h"
#include "linalg.h"
#include "mat.h"

/*
 * floor sgemm M N K THREADS: the seconds THREADS threads take to form an
 * M x N x K float product in tiles of 1152 x 64 (sp-cosine's), each
 * thread its own tiles, one BLAS thread each: the product alone, without
 * reading, reducing or writing anything.
 * floor spmm FILE L: the seconds of the 12 sparse products (A Z and A^T Y,
 * L columns, alternately) of sp-svd's randomized SVD with the defaults
 * (q = 5), on FILE's matrix, reading excluded.
 * Both print "SECONDS KERNEL".
 */
static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

enum { TH = 1152, TC = 64 };
static long M, N, K, ntile;
static int nthreads;
static float *A, *B;

static void *
run(void *arg)
{
	long t = (long)arg;
	float *c = malloc(sizeof(float) * TH * TC);

	for (long i = t; i < ntile; i += nthreads)
		cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, TH, TC, (int)K, 1.0f,
		    B, (int)K, A, (int)K, 0.0f, c, TC);
	free(c);
	return NULL;
}

int
main(int argc, char **argv)
{
	double t0;

	sp_init("floor");
	sp_blas_init(argv);
	openblas_set_num_threads(1);
	if (argc == 6 && strcmp(argv[1], "sgemm") == 0) {
		pthread_t tid[64];

		M = atol(argv[2]), N = atol(argv[3]), K = atol(argv[4]);
		nthreads = atoi(argv[5]);
		if (nthreads < 1 || nthreads > 64 || M < 1 || N < 1 || K < 1)
			return 2;
		ntile = ((M + TC - 1) / TC) * ((N + TH - 1) / TH);
		A = sp_xcalloc((size_t)TC * K, sizeof *A);
		B = sp_xcalloc((size_t)TH * K, sizeof *B);
		for (long i = 0; i < TC * K; i++)
			A[i] = (float)((i * 7919) % 1000) / 1000.0f;
		for (long i = 0; i < TH * K; i++)
			B[i] = (float)((i * 104729) % 1000) / 1000.0f;
		t0 = now();
		for (long t = 0; t < nthreads; t++)
			pthread_create(&tid[t], NULL, run, (void *)t);
		for (long t = 0; t < nthreads; t++)
			pthread_join(tid[t], NULL);
		printf("%.3f %s\n", now() - t0, sp_blas_kernel());
		return 0;
	}
	if (argc == 4 && strcmp(argv[1], "spmm") == 0) {
		struct sp_mat m;
		struct sp_csr a;
		size_t l = (size_t)atol(argv[3]), ld;
		float *z, *y;

		if (sp_mat_load(argv[2], &m) != 0)
			return 1;
		sp_csr_from_mat(&m, &a);
		ld = sp_la_ld(l);
		z = sp_la_alloc(a.cols * ld, sizeof *z);
		y = sp_la_alloc(a.rows * ld, sizeof *y);
		for (size_t i = 0; i < a.cols * ld; i++)
			z[i] = (float)((i * 7919) % 1000) / 1000.0f;
		t0 = now();
		for (int p = 0; p < 6; p++) {
			sp_csr_mm(&a, z, ld, l, y, ld);
			sp_csr_tmm(&a, y, ld, l, z, ld);
		}
		printf("%.3f %s\n", now() - t0, sp_blas_kernel());
		free(z);
		free(y);
		sp_csr_free(&a);
		sp_mat_free(&m);
		return 0;
	}
	fprintf(stderr, "usage: floor sgemm M N K THREADS | floor spmm FILE L\n");
	return 2;
}
