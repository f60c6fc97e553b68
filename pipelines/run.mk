# pipelines/run.mk: rebuilds the stale recommendation files of one run
# directory from its intermediate files:
#   features.ndjson -> encoded.spm -> embedded.spm -> ranked.ndjson
# and, when RERANK_FLAGS is set, through a rerank:
#   embedded.spm + history.ndjson -> scored.ndjson -> ranked.ndjson
# then ranked.ndjson + features.ndjson -> recs.ndjson: the same lines with
# the names of each track and of the tracks of its "because"
# (pipelines/jq/recs-names.jq), so that jq reads it without a join.
# blending in, when BLEND_COSINE_FLAGS is set, a second scoring of every
# candidate (blend.ndjson) with weight BLEND_WEIGHT.
# Usage: make -f pipelines/run.mk -C var/runs/latest ROOT=/path/to/sp
# (or 'make recs' at the top).  The settings live in pipelines/recommend.mk:
# changing the encode spec reruns encode, svd and cosine (and rerank);
# changing SVD_FLAGS reruns svd and cosine (and rerank); COSINE_FLAGS or
# NOW cosine (and blend, rerank); RERANK_FLAGS only rerank.  Each stage that runs
# appends its name to logs/stages.log.  NOW defaults to the run's own day
# (the file 'now' that pipeline.sh writes), so a rerun scores the same
# window.  Files made from recs.ndjson by other commands (playlist.*, by
# pipeline.sh publish; report.html, by pipeline.sh report) are not rebuilt
# here: when recs.ndjson is newer, 'make' says they are stale.
ROOT ?= $(abspath ../../..)
include $(ROOT)/pipelines/recommend.mk
BIN = $(ROOT)/bin
NOW ?= $(shell cat now 2>/dev/null)
RERANK_FLAGS ?=
BLEND_COSINE_FLAGS ?=
BLEND_WEIGHT ?= 1
HISTORY_TAU_DAYS ?= 180

all: recs.ndjson stale

# A run directory without features (an hourly or backfill run).
features.ndjson:
	@echo "run.mk: $(CURDIR): no features.ndjson: not a run that recommends (pipeline.sh run or recommend makes one)" >&2; exit 1

stale: recs.ndjson
	@for f in playlist.txt report.html; do \
	    if [ -e $$f ] && [ $$f -ot recs.ndjson ]; then \
	        case $$f in playlist.txt) what='playlist.* (pipeline.sh publish $(CURDIR))' ;; \
	        *) what='report.html (pipeline.sh report)' ;; esac; \
	        echo "run.mk: stale: $$what is older than recs.ndjson" >&2; \
	    fi; done

# Each stage's flags live in a file that changes only when they do.
define flagfile
$(shell mkdir -p .flags; printf '%s\n' '$(2)' | cmp -s - .flags/$(1) || printf '%s\n' '$(2)' >.flags/$(1))
endef
ifneq ($(MAKECMDGOALS),method)
$(call flagfile,svd,$(SVD_FLAGS))
$(call flagfile,cosine,$(COSINE_FLAGS) $(if $(NOW),--now $(NOW)))
$(call flagfile,rerank,$(RERANK_FLAGS) $(if $(strip $(BLEND_COSINE_FLAGS)),--blend $(BLEND_WEIGHT)))
$(call flagfile,blend,$(BLEND_COSINE_FLAGS) $(if $(NOW),--now $(NOW)) --days $(DAYS))
endif

encoded.spm: features.ndjson $(SPEC)
	@mkdir -p logs && echo encode >>logs/stages.log
	$(BIN)/sp-encode -s $(SPEC) -v features.ndjson >$@.tmp 2>logs/encode.log && mv $@.tmp $@

embedded.spm: encoded.spm .flags/svd
	@echo svd >>logs/stages.log
	$(BIN)/sp-svd $(SVD_FLAGS) --model svd-model.spm -v encoded.spm >$@.tmp 2>logs/svd.log && mv $@.tmp $@

# What is never recommended though it is not history: see pipelines/exclude.jq.
exclude.ndjson: features.ndjson $(ROOT)/pipelines/exclude.jq
	jq -c -f $(ROOT)/pipelines/exclude.jq features.ndjson >$@.tmp && mv $@.tmp $@

ifeq ($(strip $(RERANK_FLAGS)),)
# .flags/rerank: turning the rerank off rebuilds ranked.ndjson too.
ranked.ndjson: embedded.spm exclude.ndjson .flags/cosine .flags/rerank
	@echo cosine >>logs/stages.log
	$(BIN)/sp-cosine $(COSINE_FLAGS) --exclude exclude.ndjson $(if $(NOW),--now $(NOW)) -v embedded.spm \
	    >$@.tmp 2>logs/cosine.log && mv $@.tmp $@
else
# The listener's history: see pipelines/history.jq.
history.ndjson: features.ndjson $(ROOT)/pipelines/history.jq .flags/cosine
	jq -c --argjson now "$$(date -u -d "$(if $(NOW),$(NOW) 23:59:59,now)" +%s)" \
	    --argjson tau $(HISTORY_TAU_DAYS) -f $(ROOT)/pipelines/history.jq features.ndjson >$@.tmp && mv $@.tmp $@

labels.ndjson: embedded.spm
	$(BIN)/sp-mat labels embedded.spm >$@.tmp && mv $@.tmp $@

# Every candidate is scored, so that the rerank sees them all.
scored.ndjson: embedded.spm history.ndjson exclude.ndjson .flags/cosine
	@echo cosine >>logs/stages.log
	$(BIN)/sp-cosine $(COSINE_FLAGS) -n 1000000 --history history.ndjson --exclude exclude.ndjson \
	    $(if $(NOW),--now $(NOW)) -v embedded.spm >$@.tmp 2>logs/cosine.log && mv $@.tmp $@

ifneq ($(strip $(BLEND_COSINE_FLAGS)),)
BLEND_FILE = blend.ndjson
blend.ndjson: embedded.spm history.ndjson exclude.ndjson .flags/blend
	@echo blend >>logs/stages.log
	$(BIN)/sp-cosine $(BLEND_COSINE_FLAGS) --days $(DAYS) -n 1000000 --because 0 --history history.ndjson \
	    --exclude exclude.ndjson $(if $(NOW),--now $(NOW)) -v embedded.spm >$@.tmp 2>logs/blend.log && mv $@.tmp $@
endif

ranked.ndjson: scored.ndjson labels.ndjson history.ndjson .flags/rerank $(BLEND_FILE)
	@echo rerank >>logs/stages.log
	$(BIN)/sp-rerank -H history.ndjson -l labels.ndjson $(RERANK_FLAGS) \
	    $(if $(BLEND_FILE),--blend $(BLEND_WEIGHT):$(BLEND_FILE)) scored.ndjson >$@.tmp \
	    2>logs/rerank.log && mv $@.tmp $@
endif

recs.ndjson: ranked.ndjson features.ndjson $(ROOT)/pipelines/jq/recs-names.jq
	jq -n -c --slurpfile features features.ndjson -f $(ROOT)/pipelines/jq/recs-names.jq \
	    ranked.ndjson >$@.tmp && mv $@.tmp $@

# The method named in the playlist's description (read by pipeline.sh).
method:
	@echo '$(METHOD)'

.PHONY: all method stale
.DELETE_ON_ERROR:
