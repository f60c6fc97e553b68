# recs.ndjson carries names: each recommendation the track_name and
# artist_names of its track, each entry of its "because" those of the track
# played, taken from the run's features.ndjson; every other field is the
# ranking's (ranked.ndjson) as it was.  With and without the rerank.
. "$SP_ROOT/tests/lib/lib.sh"
. "$SP_ROOT/tests/pipeline/features.bash"
small_run names

build() {
	make -s --no-print-directory -f "$SP_ROOT/pipelines/run.mk" -C run ROOT="$SP_ROOT" \
	    SPEC="$PWD/spec.json" SVD_FLAGS="-k 2 --seed 1" "$@" >make.out 2>&1 || {
		cat make.out >&2
		fail "make $* failed"
	}
}

# check: recs.ndjson is ranked.ndjson plus the names of features.ndjson.
check() {
	local n
	n=$(wc -l <run/ranked.ndjson)
	[ "$n" -gt 0 ] || fail "no recommendations"
	expect_eq "lines" "$n" "$(wc -l <run/recs.ndjson)"
	# Names, computed here from the features, not by the program under test.
	jq -r '[.track_id, .track_name, (.artist_names | join("|"))] | @tsv' run/features.ndjson |
	    sort >names.tsv
	jq -r '.track_id, (.because[]?.track_id)' run/ranked.ndjson | sort -u |
	    join -t "$(printf '\t')" - names.tsv >want.tsv
	jq -r '(., .because[]?) | [.track_id, .track_name, (.artist_names | join("|"))] | @tsv' \
	    run/recs.ndjson | sort -u >got.tsv
	expect_file want.tsv got.tsv
	grep -q '"because":\[{' run/recs.ndjson || fail "no because entries to name"
	# Without the names, each line is the ranking's line.
	jq -c 'del(.track_name, .artist_names) | if .because then .because |= map(del(.track_name, .artist_names)) else . end' \
	    run/recs.ndjson >stripped
	jq -c . run/ranked.ndjson >ranked.norm
	expect_file ranked.norm stripped
	expect_eq "a name by jq alone" 'Song "30"' \
	    "$(jq -r 'select(.track_id == "t30") | .track_name' run/recs.ndjson)"
}

build
check
build RERANK_FLAGS=
check

# A renamed track in the features: the run is rebuilt with the new name.
sleep 1
sed 's/"Song \\"30\\""/"Renamed"/' run/features.ndjson >f.new && mv f.new run/features.ndjson
rm -f run/logs/stages.log
build RERANK_FLAGS=
expect_eq "stages" "encode svd cosine" "$(tr '\n' ' ' <run/logs/stages.log | sed 's/ $//')"
expect_eq "renamed" "Renamed" "$(jq -r 'select(.track_id == "t30") | .track_name' run/recs.ndjson)"
exit 0
