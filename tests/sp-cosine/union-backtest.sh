# On the backtest's real playlists (pipelines/backtest/run.sh, two
# cutoffs, the existing method's embedding), many listeners scored through
# the union product get byte for byte the lines of each listener's own
# product keeping every candidate (SP_COSINE_PRODUCT=per-listener): the
# settings of the existing and community methods, the artist cap, and
# the centroid blend.
. "$SP_ROOT/tests/sp-cosine/cosine.bash"
need_data tidytuesday-spotify-songs

"$SP_ROOT/pipelines/backtest/run.sh" -c 2019-05-01,2019-09-01 -m existing -j 2 -o work \
    >table 2>log || { cat log table >&2; fail "run.sh failed"; }
n=0
for d in work/2019-05-01 work/2019-09-01; do
	now=$(date -u -d "$(basename $d) + 29 days" +%F)
	users=$(jq -r .user $d/history.ndjson | sort -u | wc -l)
	[ "$users" -ge 100 ] || fail "$d: only $users listeners"
	for args in "--score max -n 25 --because 3" "--score topk-mean --topk 10 --because 3 -n 100" \
	    "--score max --per-artist 1 -n 25" "--score centroid -n 200 --because 0" "--score weighted --because 2"; do
		n=$((n + 1))
		# shellcheck disable=SC2086
		expect_status 0 sp-cosine -v --history $d/history.ndjson --now "$now" --days 30 $args $d/existing.spm
		expect_grep "^sp-cosine: listeners 1 to $users: " err
		mv out union.$n
		[ "$(wc -l <union.$n)" -ge 1000 ] || fail "$args: only $(wc -l <union.$n) lines"
		# shellcheck disable=SC2086
		SP_COSINE_PRODUCT=per-listener expect_status 0 sp-cosine --history $d/history.ndjson \
		    --now "$now" --days 30 $args $d/existing.spm
		expect_file union.$n out
	done
done
