# tests/pipeline/lib.bash: a simulated listener for the pipeline.sh cases.
# Sourced after lib.sh.  pl_listener generates the account (the simulator's
# state, "now" being now, so this week's releases are this week's) and
# its privacy export; pl_start serves it, logged in.
. "$SP_ROOT/tests/lib/sim.sh"

export SP_HOME=$PWD/home
export XDG_CONFIG_HOME=$PWD/config XDG_STATE_HOME=$PWD/state XDG_CACHE_HOME=$PWD/cache

pl_listener() {
	python3 "$SP_ROOT/tests/spotify-sim/server.py" --print-state --kind --seed 11 --artists 12 \
	    --plays "${1:-600}" --new-releases 6 --saved 20 --now "$(date -u +%Y-%m-%dT%H:%M:%SZ)" \
	    >state.json || fail "the simulator could not generate a listener"
	python3 "$SP_ROOT/pipelines/demo/export.py" state.json export.zip || fail "export.py failed"
}

pl_start() {
	start_sim --kind --state state.json
	sim_tokens
}

# pl_rows: the row counts that a rerun must not change.
pl_rows() {
	psql -X -Atq -c "select (select count(*) from raw.plays), (select count(*) from raw.plays where dup_of is null),
	    (select count(*) from raw.tracks), (select count(*) from raw.artists),
	    (select count(*) from raw.saved_tracks), (select count(*) from analytics.mart_spotify__merged_tracks)"
}

# pl_last_run: the run directory of the last command in runs.log.
pl_last_run() {
	tail -n 1 "$SP_HOME/runs.log" | cut -f4
}
