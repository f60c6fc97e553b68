# pipelines/run.mk rebuilds only the stale stages of a run: nothing when
# nothing changed; encode, svd, cosine (and the rerank after it) when the
# encode spec changes; svd and cosine for SVD_FLAGS; cosine for
# COSINE_FLAGS; the blended scoring for BLEND_COSINE_FLAGS; the rerank
# alone for RERANK_FLAGS or BLEND_WEIGHT.
. "$SP_ROOT/tests/lib/lib.sh"
. "$SP_ROOT/tests/pipeline/features.bash"
small_run

stages() {	# stages ARGS...: runs make, prints the stages that ran (one line)
	rm -f run/logs/stages.log
	make -s --no-print-directory -f "$SP_ROOT/pipelines/run.mk" -C run ROOT="$SP_ROOT" \
	    SPEC="$PWD/spec.json" SVD_FLAGS="-k 2 --seed 1" "$@" >make.out 2>&1 || {
		cat make.out >&2
		fail "make $* failed"
	}
	cat run/logs/stages.log 2>/dev/null | tr '\n' ' '
}

expect_eq "first build" "encode svd cosine blend rerank " "$(stages)"
[ -s run/recs.ndjson ] || fail "no recommendations"
expect_eq "unchanged" "" "$(stages)"

# A changed encode spec (a feature's weight): encode, svd and cosine.
sleep 1
jq -c '.features[1].weight = 0.5' spec.json >spec.new && mv spec.new spec.json
expect_eq "spec changed" "encode svd cosine blend rerank " "$(stages)"
expect_eq "unchanged" "" "$(stages)"
expect_eq "rerank flags changed" "rerank " "$(stages RERANK_FLAGS='-n 4 --artist 0.5')"
[ "$(wc -l <run/recs.ndjson)" = 4 ] || fail "RERANK_FLAGS -n 4 not applied"
expect_eq "blend weight changed" "rerank " "$(stages RERANK_FLAGS='-n 4 --artist 0.5' BLEND_WEIGHT=0.5)"
expect_eq "blend scoring changed" "blend rerank " \
    "$(stages RERANK_FLAGS='-n 4 --artist 0.5' BLEND_WEIGHT=0.5 BLEND_COSINE_FLAGS='--score max')"

# Without a rerank: cosine alone writes recs.ndjson.
expect_eq "rerank off" "cosine " "$(stages RERANK_FLAGS=)"
expect_eq "svd flags changed" "svd cosine " "$(stages RERANK_FLAGS= SVD_FLAGS='-k 3 --seed 1')"
expect_eq "cosine flags changed" "cosine " "$(stages RERANK_FLAGS= SVD_FLAGS='-k 3 --seed 1' COSINE_FLAGS='-n 5')"
expect_eq "unchanged" "" "$(stages RERANK_FLAGS= SVD_FLAGS='-k 3 --seed 1' COSINE_FLAGS='-n 5')"
[ "$(wc -l <run/recs.ndjson)" = 5 ] || fail "COSINE_FLAGS -n 5 not applied"
expect_eq "method" "$(make -s -f "$SP_ROOT/pipelines/recommend.mk" -p ROOT=x 2>/dev/null | sed -n 's/^METHOD = //p')" \
    "$(make -s --no-print-directory -f "$SP_ROOT/pipelines/run.mk" -C run ROOT="$SP_ROOT" method)"
