# The database password never reaches a command line (ps shows argv to
# every local user): pipeline.sh gives psql SP_DATABASE_URL without its
# password, which goes to PGPASSWORD.  A psql stand-in first on PATH
# records its argv and the PGPASSWORD it got, and fails as an unreachable
# server would.
. "$SP_ROOT/tests/lib/lib.sh"
export SP_HOME=$PWD/home XDG_CONFIG_HOME=$PWD/config XDG_STATE_HOME=$PWD/state
mkdir -p fake "$SP_HOME"
cat >fake/psql <<X
#!/bin/sh
printf '%s\n' "\$*" >>"$PWD/argv.log"
printf '%s\n' "\${PGPASSWORD-}" >>"$PWD/pgpassword.log"
echo 'psql: error: connection refused' >&2
exit 2
X
chmod +x fake/psql
export PATH=$PWD/fake:$PATH

# try URL PASSWORD: status and the candidate query with SP_DATABASE_URL=URL.
try() {
	rm -f argv.log pgpassword.log
	SP_DATABASE_URL=$1 "$SP_ROOT/pipeline.sh" status >out 2>err
	SP_DATABASE_URL=$1 expect_status 3 "$SP_ROOT/pipeline.sh" recommend
	[ -s argv.log ] || fail "the psql stand-in was not called"
	if grep -F -e "$2" -e "${3:-$2}" argv.log; then fail "the password is on psql's command line ($1)"; fi
	grep -vqxF -- "$2" pgpassword.log && { cat pgpassword.log >&2; fail "PGPASSWORD is not '$2' ($1)"; }
	return 0
}
try 'postgresql://sp:s3cr%21e%25t@127.0.0.1:1/sp' 's3cr!e%t' 's3cr%21e%25t'
expect_eq argv "-X -v ON_ERROR_STOP=1 postgresql://sp@127.0.0.1:1/sp" "$(head -n 1 argv.log | cut -d' ' -f1-4)"
try 'postgres://sp@127.0.0.1:1/sp?sslmode=disable&password=p%40ss' 'p@ss' 'p%40ss'
expect_eq argv "-X -v ON_ERROR_STOP=1 postgres://sp@127.0.0.1:1/sp?sslmode=disable" "$(head -n 1 argv.log | cut -d' ' -f1-4)"
try "host=127.0.0.1 port=1 password='a \\'b c' dbname=sp" "a 'b c" "'b c"
expect_eq argv "-X -v ON_ERROR_STOP=1 host=127.0.0.1 port=1  dbname=sp" "$(head -n 1 argv.log | cut -d' ' -f1-7)"
