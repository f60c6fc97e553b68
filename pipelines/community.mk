# pipelines/community.mk: community mode (pipeline.sh community): one
# recommender over several listeners' runs (a household, a club), where
# each listener's list may use the others' signals.  Rebuilds the stale
# files of a community directory, whose listeners.tsv (NAME<TAB>RUN_DIR a
# line, written by pipelines/community.sh) names the listeners' runs:
#   their features.ndjson -> features.ndjson (pipelines/community.jq: one
#   row per track, with the listeners who played it and its artists)
#   -> encoded.spm -> embedded.spm -> scored.ndjson (+ blend.ndjson)
#   -> ranked.ndjson (each listener's top N, "user" its NAME)
#   -> recs.ndjson (the same with the names of each track and of the
#   tracks of its "because": pipelines/jq/recs-names.jq, as run.mk's)
# and history.ndjson, every listener's history (pipelines/history.jq), and
# exclude.ndjson, what each is never recommended though it is not its
# history (pipelines/exclude.jq).  A listener's features.ndjson that jq
# cannot read stops the build (exit 1), naming the listener and the file.
# The window, SVD, cosine, blend and history settings are those of
# pipelines/recommend.mk; the encoding is pipelines/community.json and the
# rerank the backtest's community method's (COMMUNITY_RERANK in
# pipelines/backtest/methods.conf), so that one file owns each setting.
# Usage: make -f pipelines/community.mk -C DIR ROOT=/path/to/sp [NOW=DATE]
ROOT ?= $(abspath ../../..)
include $(ROOT)/pipelines/recommend.mk
include $(ROOT)/pipelines/backtest/methods.conf
BIN = $(ROOT)/bin
SPEC = $(ROOT)/pipelines/community.json
RERANK_FLAGS = $(COMMUNITY_RERANK)
NOW ?= $(shell cat now 2>/dev/null)
RUN_FEATURES := $(shell cut -f 2 listeners.tsv 2>/dev/null | sed 's|$$|/features.ndjson|')

all: recs.ndjson

listeners.tsv:
	@echo "community.mk: $(CURDIR): no listeners.tsv (pipeline.sh community makes one)" >&2; exit 1

# Each stage's flags live in a file that changes only when they do.
define flagfile
$(shell mkdir -p .flags; printf '%s\n' '$(2)' | cmp -s - .flags/$(1) || printf '%s\n' '$(2)' >.flags/$(1))
endef
$(call flagfile,svd,$(SVD_FLAGS))
$(call flagfile,cosine,$(COSINE_FLAGS) --now $(NOW))
$(call flagfile,blend,$(BLEND_COSINE_FLAGS) --now $(NOW) --days $(DAYS))
$(call flagfile,rerank,$(RERANK_FLAGS) --blend $(BLEND_WEIGHT))

# A listener's file that jq cannot read stops the build, naming both:
# bash's pipefail, for a failure before the last command of a pipe.
SHELL := /bin/bash
.SHELLFLAGS := -o pipefail -c
unreadable = { echo "community.mk: $@: listener '$$name': $$dir/features.ndjson: cannot be read (jq's message above)" >&2; exit 1; }

features.ndjson: listeners.tsv $(RUN_FEATURES) $(ROOT)/pipelines/community.jq
	@mkdir -p logs && echo features >>logs/stages.log
	while IFS='	' read -r name dir; do \
	    jq -c --arg l "$$name" '. + {listener: $$l}' "$$dir/features.ndjson" || $(unreadable); \
	done <listeners.tsv | jq -s -c -f $(ROOT)/pipelines/community.jq >$@.tmp && mv $@.tmp $@

# Every listener's history, as run.mk makes one listener's, "user" its NAME.
history.ndjson: listeners.tsv $(RUN_FEATURES) $(ROOT)/pipelines/history.jq .flags/cosine
	now=$$(date -u -d "$(NOW) 23:59:59" +%s) && \
	while IFS='	' read -r name dir; do \
	    jq -c --argjson now "$$now" --argjson tau $(HISTORY_TAU_DAYS) \
	        -f $(ROOT)/pipelines/history.jq "$$dir/features.ndjson" | \
	    jq -c --arg u "$$name" '.user = $$u' || $(unreadable); \
	done <listeners.tsv >$@.tmp && mv $@.tmp $@

# Every listener's exclusions, the same way.
exclude.ndjson: listeners.tsv $(RUN_FEATURES) $(ROOT)/pipelines/exclude.jq
	while IFS='	' read -r name dir; do \
	    jq -c -f $(ROOT)/pipelines/exclude.jq "$$dir/features.ndjson" | \
	    jq -c --arg u "$$name" '.user = $$u' || $(unreadable); \
	done <listeners.tsv >$@.tmp && mv $@.tmp $@

encoded.spm: features.ndjson $(SPEC)
	@echo encode >>logs/stages.log
	$(BIN)/sp-encode -s $(SPEC) -v features.ndjson >$@.tmp 2>logs/encode.log && mv $@.tmp $@

embedded.spm: encoded.spm .flags/svd
	@echo svd >>logs/stages.log
	$(BIN)/sp-svd $(SVD_FLAGS) -v encoded.spm >$@.tmp 2>logs/svd.log && mv $@.tmp $@

labels.ndjson: embedded.spm
	$(BIN)/sp-mat labels embedded.spm >$@.tmp && mv $@.tmp $@

scored.ndjson: embedded.spm history.ndjson exclude.ndjson .flags/cosine
	@echo cosine >>logs/stages.log
	$(BIN)/sp-cosine $(COSINE_FLAGS) -n 1000000 --history history.ndjson --exclude exclude.ndjson \
	    --now $(NOW) -v embedded.spm >$@.tmp 2>logs/cosine.log && mv $@.tmp $@

blend.ndjson: embedded.spm history.ndjson exclude.ndjson .flags/blend
	@echo blend >>logs/stages.log
	$(BIN)/sp-cosine $(BLEND_COSINE_FLAGS) --days $(DAYS) -n 1000000 --because 0 \
	    --history history.ndjson --exclude exclude.ndjson --now $(NOW) -v embedded.spm >$@.tmp 2>logs/blend.log && mv $@.tmp $@

ranked.ndjson: scored.ndjson labels.ndjson history.ndjson blend.ndjson .flags/rerank
	@echo rerank >>logs/stages.log
	$(BIN)/sp-rerank -H history.ndjson -l labels.ndjson $(RERANK_FLAGS) \
	    --blend $(BLEND_WEIGHT):blend.ndjson scored.ndjson >$@.tmp 2>logs/rerank.log && mv $@.tmp $@

# The names of each track and of its reasons, as run.mk gives a run's.
recs.ndjson: ranked.ndjson features.ndjson $(ROOT)/pipelines/jq/recs-names.jq
	jq -n -c --slurpfile features features.ndjson -f $(ROOT)/pipelines/jq/recs-names.jq \
	    ranked.ndjson >$@.tmp && mv $@.tmp $@

.PHONY: all
.DELETE_ON_ERROR:
