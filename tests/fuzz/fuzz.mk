# tests/fuzz/fuzz.mk: the harnesses with libFuzzer, ASan and UBSan (clang),
# in tests/fuzz/build; run from the top directory by tests/fuzz/lib/fuzz.sh.
include config.mk

FZ      ?= tests/fuzz/build
FZCC    ?= clang
# No -Werror: another compiler's warnings in the library are not findings.
FZFLAGS  = -std=c11 -O1 -g -fno-omit-frame-pointer -Wall -Wno-unused-parameter \
           -fsanitize=address,undefined -fno-sanitize-recover=undefined

FZ_LIB_SRC := $(sort $(wildcard libcommon/*.c))
FZ_LIB_OBJ := $(patsubst libcommon/%.c,$(FZ)/obj/%.o,$(FZ_LIB_SRC))
FZ_SRC     := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FZ_BIN     := $(patsubst tests/fuzz/%.c,$(FZ)/%,$(FZ_SRC))

all: $(FZ_BIN)

$(FZ)/obj/%.o: libcommon/%.c
	@mkdir -p $(@D)
	@printf '  %-6s %s\n' FZCC $@
	@$(FZCC) $(CPPFLAGS) $(PKG_CFLAGS) $(FZFLAGS) -fsanitize=fuzzer-no-link -MMD -MP -c -o $@ $<

$(FZ)/libcommon.a: $(FZ_LIB_OBJ)
	@rm -f $@ && $(AR) rcs $@ $(FZ_LIB_OBJ)

# A harness may include a tool (bin/sp-*.c) or any header.
$(FZ)/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/guard.c tests/fuzz/fuzz.h $(FZ)/libcommon.a \
    $(wildcard bin/*.c libcommon/*.h)
	@printf '  %-6s %s\n' FZLD $@
	@$(FZCC) $(CPPFLAGS) $(PKG_CFLAGS) $(FZFLAGS) -fsanitize=fuzzer -Wl,--wrap=exit \
	    -o $@ $< tests/fuzz/guard.c $(FZ)/libcommon.a $(LDLIBS)

.SECONDARY:
-include $(wildcard $(FZ)/obj/*.d)
