# -h prints the usage (matching the man page SYNOPSIS) and exits 0; a bad
# option or a missing -s prints it to stderr and exits 2.
. "$SP_ROOT/tests/lib/lib.sh"
expect_status 0 sp-encode -h
expect_eq "usage line" "usage: sp-encode -s SPEC [-v] [FILE]" "$(head -n 1 out)"
synopsis=$(sed -n '/^\.SH SYNOPSIS/,/^\.SH/p' "$SP_ROOT/bin/sp-encode.1" | grep '^sp-encode')
expect_eq "man SYNOPSIS" "usage: $synopsis" "$(head -n 1 out)"
expect_status 2 sp-encode --bogus
expect_grep '^usage: sp-encode' err
expect_status 2 sp-encode in.ndjson
expect_err "sp-encode: missing -s SPEC"
expect_status 0 sp-encode --version
expect_grep '^sp-encode [0-9]' out
