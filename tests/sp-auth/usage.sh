# -h prints the usage (the man page's SYNOPSIS) and exits 0; bad usage
# exits 2; status without tokens and login without a client id exit 1.
. "$SP_ROOT/tests/lib/lib.sh"
expect_status 0 sp-auth -h
sed -n '/^\.SH SYNOPSIS/,/^\.fi/p' "$SP_ROOT/bin/sp-auth.1" | grep '^sp-auth' >synopsis
sed -n 's/^\(usage:\)\{0,1\} *\(sp-auth .*\)/\2/p' out >usage-lines
expect_file synopsis usage-lines
expect_status 2 sp-auth --bogus status
expect_grep '^usage: sp-auth' err
expect_status 2 sp-auth
expect_status 2 sp-auth frobnicate
expect_status 2 sp-auth --port 70000 login
expect_err "sp-auth: --port: expected an integer from 0 to 65535, got '70000'"
export XDG_CONFIG_HOME=$PWD/cfg
expect_status 1 sp-auth status
expect_err "sp-auth: not logged in: no $PWD/cfg/sp/tokens.json"
unset SP_CLIENT_ID
expect_status 1 sp-auth login --no-browser
expect_err 'sp-auth: no client id'
mkdir -p cfg/sp
echo 'client_id = from-config' >cfg/sp/config
SP_ACCOUNTS_BASE=http://127.0.0.1:9 expect_status 3 sp-auth login --no-browser --port 0 --timeout 1
expect_grep 'client_id=from-config&' out
