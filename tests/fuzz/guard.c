/* guard.c: the exit guard and in-memory files of the harnesses (fuzz.h). */
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fuzz.h"

jmp_buf sp_fuzz_jmp;
volatile int sp_fuzz_armed;

void __real_exit(int status) __attribute__((noreturn));
void __wrap_exit(int status) __attribute__((noreturn));

/* Every exit() of the harness and the library comes here (--wrap=exit). */
void
__wrap_exit(int status)
{
	if (sp_fuzz_armed) {
		sp_fuzz_armed = 0;
		fflush(stdout);
		longjmp(sp_fuzz_jmp, SP_FUZZ_EXITED | (status & 0xff));
	}
	__real_exit(status);
}

void
sp_fuzz_done(int st, unsigned allowed)
{
	sp_fuzz_armed = 0;
	if ((st & SP_FUZZ_EXITED) && !(allowed & (1u << (st & 0xff)))) {
		fprintf(stderr, "fuzz: the reader exited with status %d\n", st & 0xff);
		abort();
	}
}

const char *
sp_fuzz_memfile(const uint8_t *data, size_t size, int *fd)
{
	static char path[64];
	size_t off = 0;
	ssize_t n;

	if ((*fd = memfd_create("fuzz", 0)) < 0) {
		perror("memfd_create");
		abort();
	}
	while (off < size) {
		if ((n = write(*fd, data + off, size - off)) <= 0) {
			perror("memfd write");
			abort();
		}
		off += (size_t)n;
	}
	if (lseek(*fd, 0, SEEK_SET) != 0)
		abort();
	snprintf(path, sizeof path, "/proc/self/fd/%d", *fd);
	return path;
}
