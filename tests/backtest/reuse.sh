# backtest: with -o DIR, a rerun keeps each live listener's files and
# redoes only the listeners whose features changed (make reuses the rest).
. "$SP_ROOT/tests/lib/lib.sh"

mkdir -p data/tidytuesday-spotify-songs
csv=data/tidytuesday-spotify-songs/spotify_songs.csv
cp "$SP_ROOT/tests/backtest/tiny-songs.csv" $csv
run() {
	SP_DATA=$PWD/data "$SP_ROOT/pipelines/backtest/run.sh" -c 2019-09-01 -m live \
	    -j 2 -o work >table 2>log || { cat log table >&2; fail "run.sh failed"; }
}
stages() { paste -sd ' ' "work/2019-09-01/live/$1/logs/stages.log"; }
run
expect_eq "p1 first run" "encode svd cosine blend rerank" "$(stages p1)"
expect_eq "p2 first run" "encode svd cosine blend rerank" "$(stages p2)"
cp work/2019-09-01/recs-live.ndjson recs.first
run
expect_eq "p1 rerun" "encode svd cosine blend rerank" "$(stages p1)"
expect_eq "p2 rerun" "encode svd cosine blend rerank" "$(stages p2)"
expect_file recs.first work/2019-09-01/recs-live.ndjson

# p1 gains a track before T: only p1 is redone.
echo 'x1,Extra,Cid,10,X1,Extra,2019-03-01,List p1,p1,pop,dance pop,0.5,0.5,1,-5,1,0.1,0.1,0,0.1,0.5,120,200000' >>$csv
run
expect_eq "p1 changed" "encode svd cosine blend rerank encode svd cosine blend rerank" "$(stages p1)"
expect_eq "p2 unchanged" "encode svd cosine blend rerank" "$(stages p2)"
expect_eq "p1 history" 1 "$(jq -s 'map(select(.track_id == "x1" and .heard)) | length' work/2019-09-01/live/p1/features.ndjson)"
