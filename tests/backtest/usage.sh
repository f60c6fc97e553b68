# backtest: bad usage exits 2 with one line naming the option, before any
# data is read.
. "$SP_ROOT/tests/lib/lib.sh"

bt=$SP_ROOT/pipelines/backtest/run.sh
expect_status 2 env SP_DATA=/nonexistent "$bt" -m live,bogus
expect_err "backtest: -m: unknown method 'bogus'"
expect_status 2 env SP_DATA=/nonexistent "$bt" -j 0
expect_err "backtest: -j: expected a positive number"
expect_status 0 "$bt" -h
expect_grep 'random popularity same-artist existing live community' out
# Without the data: exit 1, naming the file.
expect_status 1 env SP_DATA=/nonexistent "$bt" -m live
expect_err "backtest: /nonexistent/tidytuesday-spotify-songs/spotify_songs.csv: not found (set SP_DATA)"
