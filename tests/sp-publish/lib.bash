# tests/sp-publish/lib.bash: a simulated account for the sp-publish cases.
# Sourced after lib.sh; starts the simulator with tokens in place.
. "$SP_ROOT/tests/lib/sim.sh"

export SP_HOME=$PWD/home

# pub_start [SERVER-ARGS]: the simulator, logged in, its state in ./state.json.
pub_start() {
	start_sim --kind --seed 7 "$@"
	sim_tokens
	sim_ctl GET state >state.json
}

# pub_recs N [SKIP]: N recommendations of catalogue tracks SKIP.. (each
# "because" the last tracks of the catalogue), as sp-cosine writes them.
pub_recs() {
	jq -c --argjson n "$1" --argjson skip "${2:-0}" '
	    .tracks as $t | range($n) as $i |
	    {rank: ($i + 1), track_id: $t[$i + $skip].id, score: (1 - $i / 1000),
	     because: [{track_id: $t[-1 - ($i % 5)].id, similarity: 0.9}]}' state.json
}

# pub_items ID: the track ids of playlist ID in the simulator, one a line.
pub_items() {
	sim_ctl GET state | jq -r --arg id "$1" '.playlists[] | select(.id == $id) | .items[].track_id'
}

# pub_named NAME: how many playlists are called NAME.
pub_named() {
	sim_ctl GET state | jq --arg n "$1" '[.playlists[] | select(.name == $n)] | length'
}

# pub_writes: the logged PUT and POST requests (method path), one a line.
pub_writes() {
	sim_log | jq -r 'select(.method == "PUT" or .method == "POST") | "\(.method) \(.path) \(.status)"'
}

# pub_id: the stored playlist id of the default name.
pub_id() {
	jq -r '.playlists["sp: new releases for you"]' "$SP_HOME/state/publish.json"
}
