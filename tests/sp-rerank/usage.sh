# sp-rerank: -h, --version, and bad usage exiting 2 with the usage.
. "$SP_ROOT/tests/lib/lib.sh"

expect_status 0 sp-rerank -h
expect_grep '^usage: sp-rerank -H HISTORY -l LABELS' out
expect_status 0 sp-rerank --version
expect_grep '^sp-rerank ' out
expect_status 2 sp-rerank -l x
expect_err "sp-rerank: -H HISTORY and -l LABELS are required"
expect_status 2 sp-rerank -H x -l y --artist abc
expect_err "sp-rerank: --artist: expected a number, got 'abc'"
expect_status 2 sp-rerank -H x -l y -n 0
expect_err "sp-rerank: -n: expected an integer from 1 to 1000000, got '0'"
