# needs: pg
# sp-load: a connection the server refuses for good (no such database or
# role, no CONNECT right) is exit 1 with a hint that names the fix; a
# server not there is exit 3, the rerun-may-fix-it status, with a hint
# naming SP_DATABASE_URL when it is set.
. "$SP_ROOT/tests/lib/lib.sh"
need_pg
export SP_HOME=$PWD/home
mkdir -p home
url() {	# url DATABASE [USER]: a URL to the suite's server for DATABASE
	printf 'postgresql://%s@/%s?host=%s&port=%s\n' "${2:-$PGUSER}" "$1" "$PGHOST" "$PGPORT"
}

SP_DATABASE_URL=$(url "${PGDATABASE}_nope") expect_status 1 sp-load
expect_err "sp-load: cannot connect to PostgreSQL: connection to server on socket \"$PGHOST/.s.PGSQL.$PGPORT\" failed: FATAL:  database \"${PGDATABASE}_nope\" does not exist"
expect_grep '^sp-load: hint: create the database (createdb NAME), or name one that exists in SP_DATABASE_URL$' err

SP_DATABASE_URL=$(url "$PGDATABASE" "${PGDATABASE}_nobody") expect_status 1 sp-load
expect_grep "FATAL:  role \"${PGDATABASE}_nobody\" does not exist" err
expect_grep '^sp-load: hint: check the user and password in SP_DATABASE_URL' err

# A role without CONNECT on the database.
role=${PGDATABASE}_r
psql -q -X -v ON_ERROR_STOP=1 -c "create role $role login; revoke connect on database $PGDATABASE from public" ||
	fail "setting up the role failed"
SP_DATABASE_URL=$(url "$PGDATABASE" "$role") expect_status 1 sp-load
expect_grep "FATAL:  permission denied for database \"$PGDATABASE\"" err
expect_grep "^sp-load: hint: role '$role' may not connect to database '$PGDATABASE': a DBA can allow it (grant connect on database \"$PGDATABASE\" to \"$role\")$" err

# No server at the place named: a rerun may fix it.
mkdir nopg
SP_DATABASE_URL="postgresql:///$PGDATABASE?host=$PWD/nopg" expect_status 3 sp-load
expect_grep '^sp-load: cannot connect to PostgreSQL: connection to server on socket ' err
expect_grep '^sp-load: hint: is the server that SP_DATABASE_URL names running and reachable? a rerun may fix it then$' err
exit 0
