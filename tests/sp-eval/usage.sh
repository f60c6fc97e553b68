# sp-eval: -h prints the usage to stdout; bad usage exits 2 with it on stderr.
. "$SP_ROOT/tests/lib/lib.sh"

expect_status 0 sp-eval -h
expect_grep '^usage: sp-eval -t TRUTH' out
expect_status 2 sp-eval
expect_err "sp-eval: -t TRUTH is required"
expect_status 2 sp-eval -t x -k 0
expect_err "sp-eval: -k: expected an integer from 1 to 1000000, got '0'"
expect_status 2 sp-eval --bogus
expect_grep '^usage: sp-eval' err
expect_status 0 sp-eval --version
expect_grep '^sp-eval ' out
