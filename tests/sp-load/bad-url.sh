# sp-load: a malformed SP_DATABASE_URL is exit 1 (a rerun cannot fix it)
# with a message that says what is wrong and never its password: libpq
# quotes a string it cannot parse whole, password and all.
. "$SP_ROOT/tests/lib/lib.sh"
export SP_HOME=$PWD/home
mkdir -p home

# One slash: libpq takes it for key=value pairs.
SP_DATABASE_URL='postgresql:/spuser:S3cr3tTypo@127.0.0.1:55439/spdb' expect_status 1 sp-load
expect_err "sp-load: cannot connect to PostgreSQL: SP_DATABASE_URL is not a connection URL: it begins 'postgresql:/', not 'postgresql://'"
expect_grep '^sp-load: hint: write it as postgresql://USER:PASSWORD@HOST:PORT/DATABASE' err
! grep -q S3cr3tTypo err || fail "the password is in the message: $(cat err)"

# A URL libpq rejects, quoting it whole: the password is redacted.
SP_DATABASE_URL='postgresql://spuser:S3cr3tTypo@[::1/spdb' expect_status 1 sp-load
expect_err 'sp-load: cannot connect to PostgreSQL: SP_DATABASE_URL is malformed: end of string reached when looking for matching "]" in IPv6 host address in URI: "postgresql://spuser:[redacted]@[::1/spdb"'

# An unknown parameter, and --db rather than the setting.
expect_status 1 sp-load --db 'postgresql://spuser:S3cr3tTypo@127.0.0.1/spdb?sslmod=require'
expect_err 'sp-load: cannot connect to PostgreSQL: the connection string is malformed: invalid URI query parameter: "sslmod"'

# A password holding '@' or '/' unencoded: libpq would read a piece of it
# as the host or the port, and quote that.
SP_DATABASE_URL='postgresql://spuser:S3cr@3tTypo@127.0.0.1/spdb' expect_status 1 sp-load
expect_err "sp-load: cannot connect to PostgreSQL: SP_DATABASE_URL is malformed: its user or password holds '@'"
expect_grep '^sp-load: hint: write each .@. in them as %40' err
SP_DATABASE_URL='postgresql://spuser:S3cr/3tTypo@127.0.0.1/spdb' expect_status 1 sp-load
expect_err "sp-load: cannot connect to PostgreSQL: SP_DATABASE_URL is malformed: its user or password holds '/'"

# An invalid port: a setting to fix, not a failure to wait out.
SP_DATABASE_URL='postgresql://spuser:S3cr3tTypo@127.0.0.1:5x432/spdb' expect_status 1 sp-load
expect_err 'sp-load: cannot connect to PostgreSQL: invalid integer value "5x432" for connection option "port"'
expect_grep '^sp-load: hint: fix the setting it names in SP_DATABASE_URL$' err

# key=value pairs: the password= value is redacted too.
SP_DATABASE_URL="host=127.0.0.1 password='S3cr3t Typo' dbname=spdb sslmode" expect_status 1 sp-load
expect_err 'sp-load: cannot connect to PostgreSQL: SP_DATABASE_URL is malformed: missing "=" after "sslmode" in connection info string'
SP_DATABASE_URL="host=127.0.0.1 password=S3cr3tTypo port=5x432" expect_status 1 sp-load
! grep -q S3cr3tTypo err || fail "the password is in the message: $(cat err)"
exit 0
