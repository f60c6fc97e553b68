# backtest: the random baseline is seeded (RANDOM_SEED in methods.conf):
# its lists reproduce from the same inputs, run after run, and another
# seed gives another order (tiny synthetic catalogue).
. "$SP_ROOT/tests/lib/lib.sh"

mkdir -p data/tidytuesday-spotify-songs
cp "$SP_ROOT/tests/backtest/tiny-songs.csv" data/tidytuesday-spotify-songs/spotify_songs.csv
SP_DATA=$PWD/data "$SP_ROOT/pipelines/backtest/run.sh" -c 2019-09-01 -m random \
    -o work >table 2>log || { cat log >&2; fail "run.sh failed"; }
d=work/2019-09-01
# Every candidate is listed for both listeners.
expect_eq lines 8 "$(wc -l <$d/recs-random.ndjson)"
expect_grep '^| random | ' table
seed=$(sed -n 's/^RANDOM_SEED[[:space:]]*=[[:space:]]*//p' "$SP_ROOT/pipelines/backtest/methods.conf")
again() {	# again SEED: the baseline's ranking, as run.sh makes it
	sp-rerank -H $d/history.ndjson -l $d/labels.ndjson --content 0 --random "$1" $d/all.ndjson
}
again "$seed" >again1
again "$seed" >again2
expect_file $d/recs-random.ndjson again1
expect_file again1 again2
other=0
for s in 2 3 4 5; do
	again $s | jq -r .track_id >order
	jq -r .track_id again1 | cmp -s - order || other=1
done
expect_eq "other seeds reorder" 1 "$other"
