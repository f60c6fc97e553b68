# Makefile: builds every bin/sp-*.c against libcommon.a; see README.md.
include config.mk

TOOLS_SRC := $(sort $(wildcard bin/sp-*.c))
TOOLS     := $(TOOLS_SRC:.c=)
LIB_SRC   := $(sort $(wildcard libcommon/*.c))
LIB_OBJ   := $(LIB_SRC:.c=.o)
UNIT_SRC  := $(sort $(wildcard tests/unit/test_*.c))
UNIT      := $(UNIT_SRC:.c=)
# The fuzz harnesses, built here with driver.c to replay their corpora
# (tests/fuzz/replay.sh); make fuzz builds them with libFuzzer.
FUZZ_SRC  := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ      := $(FUZZ_SRC:.c=)

ifneq ($(V),1)
Q = @
msg = @printf '  %-6s %s\n' $(1) $(2);
endif

all: $(TOOLS) $(UNIT) $(FUZZ)

# A change of compiler or flags (make SAN=1) rebuilds everything.
FLAGS_LINE := $(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) $(LDLIBS)
.build-flags: FORCE
	$(Q)printf '%s\n' '$(FLAGS_LINE)' | cmp -s - $@ || printf '%s\n' '$(FLAGS_LINE)' >$@

libcommon/libcommon.a: $(LIB_OBJ)
	$(call msg,AR,$@)rm -f $@ && $(AR) rcs $@ $(LIB_OBJ)

%.o: %.c .build-flags
	$(call msg,CC,$@)$(CC) $(CPPFLAGS) $(PKG_CFLAGS) $(CFLAGS) -c -o $@ $<

bin/sp-%: bin/sp-%.o libcommon/libcommon.a
	$(call msg,LD,$@)$(CC) $(LDFLAGS) -o $@ $< libcommon/libcommon.a $(LDLIBS)

tests/unit/test_%: tests/unit/test_%.o libcommon/libcommon.a
	$(call msg,LD,$@)$(CC) $(LDFLAGS) -o $@ $< libcommon/libcommon.a $(LDLIBS)

tests/fuzz/fuzz_%: tests/fuzz/fuzz_%.o tests/fuzz/driver.o tests/fuzz/guard.o libcommon/libcommon.a
	$(call msg,LD,$@)$(CC) $(LDFLAGS) -Wl,--wrap=exit -o $@ $< tests/fuzz/driver.o tests/fuzz/guard.o \
	    libcommon/libcommon.a $(LDLIBS)

# make fuzz: each harness under libFuzzer with ASan+UBSan, FUZZ_SECONDS
# (60) each; FUZZ_TARGETS="mat mtx" narrows it.  Needs clang (installed
# when missing, as root).  See tests/fuzz/README.md.
fuzz:
	$(Q)./tests/fuzz/lib/fuzz.sh $(FUZZ_TARGETS)

# The dependency step: installs the Debian packages when missing.
deps:
	$(Q)./pipelines/deps.sh

# make check: the whole suite; its last line is 'N passed, N failed'.
check: deps
	$(Q)$(MAKE) --no-print-directory all
	$(Q)./tests/run.sh $(TESTS)

# make bench: the recommend chain (sp-encode | sp-svd | sp-cosine), then
# sp-import, sp-stage | sp-load and the weekly fetch on the realistic
# simulator; each prints its figures and PASS/MISS.
bench: deps
	$(Q)$(MAKE) --no-print-directory all
	$(Q)st=0; \
	echo '== recommend chain (issue 2)'; ./tests/bench/run.sh || st=1; \
	echo; echo '== sp-import (issue 3)'; ./tests/bench/import.sh || st=1; \
	echo; echo '== sp-stage | sp-load (issue 3)'; ./tests/bench/load.sh || st=1; \
	echo; echo '== first backfill load, account data (issue 11)'; ./tests/bench/backfill.sh || st=1; \
	echo; echo '== weekly fetch on the realistic simulator (issue 12)'; ./tests/bench/sweep.sh || st=1; \
	exit $$st

# Reruns the stale stages of a run from its intermediate files (the latest
# run with recommendations under SP_HOME, default var/; RUN=DIR another).
RUN ?= $(or $(SP_HOME),var)/runs/latest
recs: all
	$(Q)[ -d $(RUN) ] || { echo "make recs: $(RUN): no run with recommendations yet (./pipeline.sh run or recommend makes one; RUN=DIR names another)" >&2; exit 1; }
	$(Q)$(MAKE) --no-print-directory -f $(CURDIR)/pipelines/run.mk -C $(RUN) ROOT=$(CURDIR)

models: all
	$(Q)./pipeline.sh transform

backtest: all
	$(Q)./pipelines/backtest/run.sh

install: all
	mkdir -p $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(MANPREFIX)/man1
	cp -f $(TOOLS) $(DESTDIR)$(PREFIX)/bin/
	cp -f $(wildcard bin/*.1) $(DESTDIR)$(MANPREFIX)/man1/
	mkdir -p $(DESTDIR)$(PREFIX)/share/sp
	cp -R pipelines schemas $(DESTDIR)$(PREFIX)/share/sp/

clean:
	rm -f bin/*.o bin/*.d libcommon/*.o libcommon/*.d libcommon/libcommon.a \
	    tests/unit/*.o tests/unit/*.d $(TOOLS) $(UNIT) .build-flags \
	    tests/fuzz/*.o tests/fuzz/*.d $(FUZZ)

.PHONY: all deps check bench install clean recs models backtest fuzz FORCE
.SUFFIXES:
.SECONDARY:

-include $(wildcard bin/*.d libcommon/*.d tests/unit/*.d tests/fuzz/*.d)
