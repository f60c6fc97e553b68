# backtest: one cutoff of the release-radar backtest on the real playlists
# (pipelines/backtest/run.sh) gives sane figures: the baselines order as
# the issue measured them, and community mode beats both anchors.
. "$SP_ROOT/tests/lib/lib.sh"
need_data tidytuesday-spotify-songs

# The live method runs a pipeline per listener (tests/backtest/live.sh
# checks its wiring on small data); here the others.
"$SP_ROOT/pipelines/backtest/run.sh" -c 2019-09-01 \
    -m random,popularity,same-artist,existing,community -o work >table 2>log ||
	{ cat log table >&2; fail "run.sh failed"; }
cat table
r=work/results.ndjson
expect_eq methods "random popularity same-artist existing community" "$(jq -r .name $r | paste -sd ' ')"
expect_eq users 160 "$(jq -r 'select(.name == "random") | .users' $r)"
ndcg() { jq -r --arg m "$1" 'select(.name == $m) | .ndcg' $r; }
# Each method's NDCG@25 lies in a band around the issue's anchors.
in_band() {	# in_band METHOD LO HI
	awk -v x="$(ndcg "$1")" -v lo="$2" -v hi="$3" 'BEGIN { exit !(x >= lo && x <= hi) }' ||
		fail "$1: NDCG@25 $(ndcg "$1") not in [$2, $3]"
}
in_band random 0 0.05
in_band popularity 0.02 0.08
in_band same-artist 0.25 0.32
in_band existing 0.17 0.24
in_band community 0.39 1
expect_grep '^| community | ' table
expect_grep '^backtest: 1 cutoffs in ' table
