# sp-load against a PostgreSQL older than 15 (the migrations use 15's
# NULLS NOT DISTINCT): a clear message naming the versions and exit 3,
# before any migration runs.  The old server is a stand-in speaking the
# wire protocol on a Unix socket, saying "14.2"; it records the queries.
. "$SP_ROOT/tests/lib/lib.sh"
export SP_HOME=$PWD/home
mkdir -p sock

python3 - "$PWD/sock/.s.PGSQL.5432" >fake.log 2>&1 <<'EOF' &
import os, socket, struct, sys
path = sys.argv[1]
srv = socket.socket(socket.AF_UNIX)
srv.bind(path)
srv.listen(1)
open(path + '.ready', 'w').close()
srv.settimeout(30)
c, _ = srv.accept()
c.settimeout(10)
def msg(t, body):
    c.sendall(t + struct.pack('!i', len(body) + 4) + body)
def read(n):
    b = b''
    while len(b) < n:
        k = c.recv(n - len(b))
        if not k:
            raise EOFError
        b += k
    return b
n = struct.unpack('!i', read(4))[0]
read(n - 4)                                     # the startup packet
msg(b'R', struct.pack('!i', 0))                 # AuthenticationOk
for k, v in (('server_version', '14.2'), ('server_encoding', 'UTF8'),
             ('client_encoding', 'UTF8'), ('integer_datetimes', 'on'),
             ('standard_conforming_strings', 'on')):
    msg(b'S', k.encode() + b'\0' + v.encode() + b'\0')
msg(b'K', struct.pack('!ii', 1, 2))
msg(b'Z', b'I')
try:
    while True:
        t = read(1)
        body = read(struct.unpack('!i', read(4))[0] - 4)
        if t == b'X':
            break
        print('query:', body.rstrip(b'\0').decode(), flush=True)
        for q in body.rstrip(b'\0').split(b';'):
            if q.strip():
                msg(b'C', b'SET\0')
        msg(b'Z', b'I')
except EOFError:
    pass
EOF
fake=$!
trap 'kill $fake 2>/dev/null' EXIT
for i in $(seq 100); do
	[ -e sock/.s.PGSQL.5432.ready ] && break
	sleep 0.1
done
PGHOST=$PWD/sock PGPORT=5432 PGUSER=sp PGDATABASE=sp expect_status 3 sp-load
expect_err "sp-load: PostgreSQL 14.2 is too old: sp needs 15 or later"
wait $fake
# Only the session settings were sent: no migration was tried.
expect_eq "queries" "query: set client_min_messages = warning; set timezone = 'UTC'" "$(cat fake.log)"
