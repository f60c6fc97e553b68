# Bad usage exits 2 with a message and the usage on stderr.
. "$SP_ROOT/tests/sp-cosine/cosine.bash"

expect_status 0 sp-cosine -h
expect_grep '^usage: sp-cosine ' out
expect_status 2 sp-cosine --now 2026-13-01
expect_err "sp-cosine: --now: expected a date YYYY-MM-DD, got '2026-13-01'"
expect_grep '^usage: sp-cosine ' err
expect_status 2 sp-cosine --now 2026-11
expect_err "sp-cosine: --now: expected a date YYYY-MM-DD, got '2026-11'"
expect_status 2 sp-cosine --score best
expect_err "sp-cosine: --score: unknown method 'best' (max, topk-mean, centroid, weighted)"
expect_status 2 sp-cosine -n 0
expect_err "sp-cosine: -n: expected an integer from 1 to 1000000, got '0'"
expect_status 2 sp-cosine --days 7x
expect_err "sp-cosine: --days: expected an integer from 1 to 1000000, got '7x'"
expect_status 2 sp-cosine a.spm b.spm
expect_grep '^usage: sp-cosine ' err
