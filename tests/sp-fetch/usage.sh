# -h prints the usage (the man page's SYNOPSIS) and exits 0; bad options,
# unknown resources and missing arguments exit 2 with the usage on stderr;
# without tokens, exit 1 with a hint.
. "$SP_ROOT/tests/lib/lib.sh"
expect_status 0 sp-fetch -h
expect_eq first 'usage: sp-fetch [options] recently-played' "$(head -n 1 out)"
sed -n '/^\.SH SYNOPSIS/,/^\.fi/p' "$SP_ROOT/bin/sp-fetch.1" | grep '^sp-fetch' >synopsis
sed -n 's/^\(usage:\)\{0,1\} *\(sp-fetch .*\)/\2/p' out >usage-lines
expect_file synopsis usage-lines
expect_status 2 sp-fetch --bogus saved
expect_grep '^usage: sp-fetch' err
expect_status 2 sp-fetch frobnicate
expect_status 2 sp-fetch playlist
expect_status 2 sp-fetch --days x releases
expect_err "sp-fetch: --days: expected an integer from 0 to 3650, got 'x'"
expect_status 0 sp-fetch --version
expect_grep '^sp-fetch ' out
XDG_CONFIG_HOME=$PWD/none expect_status 1 sp-fetch saved
expect_err "sp-fetch: not logged in: no $PWD/none/sp/tokens.json"
expect_eq hint "sp-fetch: hint: run 'sp-auth login'" "$(sed -n 2p err)"
