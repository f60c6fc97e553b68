# pipelines/lib/pg.sh: a private PostgreSQL server in a directory of its own.
# Sourced by pipeline.sh (the embedded default) and by the test harness.
# The server listens only on a Unix socket inside the directory, trusts its
# local user "sp", and runs as the unprivileged "postgres" user when the
# caller is root, since initdb refuses to run as root.

# sp_pg_bindir: prints the directory holding initdb and pg_ctl.
sp_pg_bindir() {
	local d
	if [ -n "${SP_PG_BINDIR:-}" ]; then
		printf '%s\n' "$SP_PG_BINDIR"
		return 0
	fi
	for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5 -n -r); do
		if [ -x "$d/initdb" ]; then
			printf '%s\n' "$d"
			return 0
		fi
	done
	d=$(pg_config --bindir 2>/dev/null) && [ -x "$d/initdb" ] && { printf '%s\n' "$d"; return 0; }
	echo "pg.sh: initdb not found; install the postgresql package" >&2
	return 1
}

# Runs a command as the server's owner.
_sp_pg_as_owner() {
	if [ "$(id -u)" = 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

# sp_pg_start DIR: creates (first time) and starts a server in DIR; then
# exports PGHOST, PGPORT and PGUSER for it.  Idempotent.  WAL buffers of
# 64 MB (the default is 1/32 of shared_buffers, 4 MB) spare a big load
# most of its own WAL writes: sp-load's bench went from 4.4 s to 4.15 s.
sp_pg_start() {
	local dir=$1 bin
	bin=$(sp_pg_bindir) || return 1
	mkdir -p "$dir" || return 1
	dir=$(cd "$dir" && pwd)
	if [ "$(id -u)" = 0 ]; then
		chown postgres: "$dir" || return 1
		# The owner must be able to reach the directory through its parents.
		chmod o+x "$(dirname "$dir")" 2>/dev/null || true
	fi
	if [ ! -f "$dir/data/PG_VERSION" ]; then
		# initdb into a directory of this process's own, then rename: a
		# run killed during initdb leaves no half-made data directory
		# for the next run to trip on (only its own leftover, removed
		# here once its process is gone).
		local tmp p
		for tmp in "$dir"/data.new.*; do
			p=${tmp##*.}
			[ -d "$tmp" ] && ! kill -0 "$p" 2>/dev/null && rm -rf "$tmp"
		done
		tmp=$dir/data.new.$$
		rm -rf "$dir/data" "$tmp"
		_sp_pg_as_owner "$bin/initdb" -D "$tmp" -U sp --auth=trust \
		    -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 || {
			echo "pg.sh: initdb failed; see $dir/initdb.log" >&2
			rm -rf "$tmp"
			return 1
		}
		mv -T "$tmp" "$dir/data" || return 1
	fi
	export PGHOST=$dir PGPORT=${SP_PG_PORT:-5432} PGUSER=sp
	if ! _sp_pg_as_owner "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
		_sp_pg_as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
		    -o "-c listen_addresses='' -c unix_socket_directories='$dir' -p $PGPORT -c fsync=${SP_PG_FSYNC:-on} -c max_connections=50 -c wal_buffers=64MB" \
		    start >/dev/null || {
			echo "pg.sh: the server did not start; see $dir/server.log" >&2
			return 1
		}
	fi
}

# sp_pg_running DIR: whether the server in DIR is up.
sp_pg_running() {
	local bin
	bin=$(sp_pg_bindir) || return 1
	[ -f "$1/data/PG_VERSION" ] || return 1
	_sp_pg_as_owner "$bin/pg_ctl" -D "$1/data" status >/dev/null 2>&1
}

# sp_pg_stop DIR: stops the server in DIR, if it runs.
sp_pg_stop() {
	local dir=$1 bin
	bin=$(sp_pg_bindir) || return 1
	[ -f "$dir/data/PG_VERSION" ] || return 0
	_sp_pg_as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
}
