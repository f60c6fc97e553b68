# pipelines/run.mk: rebuilds the stale recommendation files of one run
# directory from its intermediate files:
#   features.ndjson -> encoded.spm -> embedded.spm -> recs.ndjson
# Usage: make -f pipelines/run.mk -C var/runs/latest ROOT=/path/to/sp
# (or 'make recs' at the top).  Changing the encode spec reruns encode,
# svd and cosine; changing SVD_FLAGS reruns svd and cosine; and so on.
ROOT ?= $(abspath ../../..)
include $(ROOT)/pipelines/recommend.mk
BIN = $(ROOT)/bin
NOW ?=

all: recs.ndjson

# Each stage's flags live in a file that changes only when they do.
define flagfile
$(shell mkdir -p .flags; printf '%s\n' '$(2)' | cmp -s - .flags/$(1) || printf '%s\n' '$(2)' >.flags/$(1))
endef
$(call flagfile,svd,$(SVD_FLAGS))
$(call flagfile,cosine,$(COSINE_FLAGS) $(if $(NOW),--now $(NOW)))

encoded.spm: features.ndjson $(SPEC)
	$(BIN)/sp-encode -s $(SPEC) features.ndjson >$@.tmp && mv $@.tmp $@

embedded.spm: encoded.spm .flags/svd
	$(BIN)/sp-svd $(SVD_FLAGS) --model svd-model.spm -v encoded.spm >$@.tmp 2>logs/svd.log && mv $@.tmp $@

recs.ndjson: embedded.spm .flags/cosine
	$(BIN)/sp-cosine $(COSINE_FLAGS) $(if $(NOW),--now $(NOW)) embedded.spm >$@.tmp && mv $@.tmp $@

.PHONY: all
.DELETE_ON_ERROR:
