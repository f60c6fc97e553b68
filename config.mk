# config.mk: build settings for sp; override on the command line (make CC=clang).
VERSION = 0.1.0
PREFIX  = /usr/local
MANPREFIX = $(PREFIX)/share/man

CC      = cc
OPT     = -O2 -g
WARN    = -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wno-unused-parameter -Werror
CPPFLAGS = -D_GNU_SOURCE -DSP_VERSION=\"$(VERSION)\" -Ilibcommon
CFLAGS  = -std=c11 $(OPT) $(WARN) -MMD -MP
# --as-needed: a tool links only the libraries it calls (Debian's gcc
# does so already; spelt out for other toolchains).  OpenBLAS's
# constructor starts a thread per core that spins for a tenth of a
# second: in a tool that never calls BLAS it only takes a core from the
# tool's own work (sp-encode's, when it pulled in linalg.o for its thread
# count; the thread helpers are in parallel.c since).
LDFLAGS = -Wl,--as-needed

# Libraries.  libjq ships no .pc file in Debian 12, and GSL's .pc names its
# own CBLAS, which would clash with OpenBLAS: both are spelled out.
PKGS    = libcurl libpq lapacke openblas libarchive zlib yaml-0.1
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
LDLIBS  = $(PKG_LIBS) -lgsl -ljq -lonig -lm -lpthread

# make SAN=1: AddressSanitizer and UBSan, aborting on the first report.
ifeq ($(SAN),1)
OPT     = -O1 -g -fno-omit-frame-pointer
CFLAGS += -fsanitize=address,undefined -fno-sanitize-recover=undefined
LDFLAGS += -fsanitize=address,undefined
endif
CPPFLAGS += -DSP_SHAREDIR=\"$(PREFIX)/share/sp\"
