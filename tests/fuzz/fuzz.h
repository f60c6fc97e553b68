/* fuzz.h: what every harness in tests/fuzz shares: the entry point, the exit guard, inputs as files. */
#ifndef SP_FUZZ_H
#define SP_FUZZ_H

#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Each harness defines LLVMFuzzerTestOneInput.  It is linked either with
 * libFuzzer (make fuzz, clang, ASan+UBSan) or with driver.c, which feeds
 * it every file named on its command line (make check's replay).  Both
 * link with -Wl,--wrap=exit so that the guard below sees exit().
 */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * The exit guard.  A reader of outside data may end the tool on bad data
 * (sp_die with status 1, or 2 for a bad spec): for a harness that is an
 * outcome, not a crash.  SP_FUZZ_TRY() arms the guard and is 0 on the way
 * in; an exit() while armed comes back to it as SP_FUZZ_EXITED | status.
 * sp_fuzz_done(st, allowed) disarms it and aborts when st is an exit
 * whose status is not in allowed (a bit mask: 1 << status), so that an
 * unexpected status is a finding.  Memory held by the abandoned frames is
 * not freed: harnesses that use the guard run with leak detection off.
 */
#define SP_FUZZ_EXITED 0x100
extern jmp_buf sp_fuzz_jmp;
extern volatile int sp_fuzz_armed;
#define SP_FUZZ_TRY() (sp_fuzz_armed = 1, setjmp(sp_fuzz_jmp))
void sp_fuzz_done(int st, unsigned allowed);

/*
 * sp_fuzz_memfile: data[0, size) as a file in memory (memfd), for readers
 * that take a path: returns its path ("/proc/self/fd/N") in a static
 * buffer and the descriptor in *fd (close it when done).  Aborts on error.
 */
const char *sp_fuzz_memfile(const uint8_t *data, size_t size, int *fd);

#endif
